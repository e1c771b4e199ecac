"""Record what the lab stores of uploads, and its auto-played speech, into
tests/fixtures/flowise-wire (a developer tool, run by hand).

    eval "$(python tests/live/lab_env.py)" && python tests/live/lab_uploads.py
    python tests/live/lab_overrides.py
    python -m tests.live.record_history_speech

- `uploads_chatmessage_image`: the stored messages of a chat that sent an image (`file`) and
  an image link (`url`) to `TUI Lab Image Upload`;
- `uploads_chatmessage_document`: the same for a whole document (`file:full`) sent to
  `TUI Lab File Upload`;
- `speech_autoplay_stream`: a streamed answer of `TUI Lab Speech Autoplay`, whose text to
  speech has auto-play on (the lab reaches no provider: `tts_start`, then `tts_end`).

Each case's row goes into INDEX.tsv (tests/live/recording.py).
"""

from __future__ import annotations

import base64
import struct
import time
import zlib

import httpx

from tests.live.recording import Recorder


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def ask(recorder: Recorder, flow_id: str, body: dict[str, object]) -> None:
    answer = httpx.post(
        f"{recorder.url}/api/v1/prediction/{flow_id}",
        json=body,
        headers={"Authorization": f"Bearer {recorder.key}"},
        timeout=60,
    )
    answer.raise_for_status()


def main() -> None:
    recorder = Recorder()
    ids = recorder.flow_ids()
    image, document = ids["TUI Lab Image Upload"], ids["TUI Lab File Upload"]
    speaking = ids["TUI Lab Speech Autoplay"]
    stamp = time.strftime("%Y%m%d%H%M%S")

    chat = f"tui-lab-history-image-{stamp}"
    picture = "data:image/png;base64," + base64.b64encode(one_pixel_png()).decode()
    ask(
        recorder,
        image,
        {
            "question": "What is in the picture?",
            "chatId": chat,
            "uploads": [
                {"data": picture, "type": "file", "name": "red dot.png", "mime": "image/png"}
            ],
        },
    )
    link = {
        "data": "https://example.com/images/cat.jpg",
        "type": "url",
        "name": "cat.jpg",
        "mime": "image/jpeg",
    }
    ask(recorder, image, {"question": "And in this one?", "chatId": chat, "uploads": [link]})
    stored = f"/api/v1/chatmessage/{image}?chatId={chat}"
    recorder.record("uploads_chatmessage_image", "GET", stored)

    chat = f"tui-lab-history-document-{stamp}"
    notes = {"data": "Lab notes: one line.", "type": "file:full", "name": "notes.txt"}
    ask(
        recorder,
        document,
        {"question": "Summarise it", "chatId": chat, "uploads": [{**notes, "mime": "text/plain"}]},
    )
    stored = f"/api/v1/chatmessage/{document}?chatId={chat}"
    recorder.record("uploads_chatmessage_document", "GET", stored)

    body = {"question": "Say hello", "streaming": True, "chatId": f"tui-lab-tts-auto-{stamp}"}
    recorder.record(
        "speech_autoplay_stream",
        "POST",
        f"/api/v1/prediction/{speaking}",
        "auto-play TTS, no provider reachable",
        json=body,
    )
    recorder.print_rows()


if __name__ == "__main__":
    main()
