"""Record the lab's artifact traffic into tests/fixtures/flowise-wire (run by hand, never in CI).

    eval "$(python tests/live/lab_env.py)" && python -m tests.live.record_artifacts

Needs `tests/live/lab_artifacts.py` run first. Each case is written through
tests/live/recording.py: NAME.request, NAME.headers and the body (NAME.sse, .json, .txt or
.png) with the API key redacted, and a row added to (or replaced in) INDEX.tsv.
"""

from __future__ import annotations

import base64
import json
import struct
import uuid
import zlib

from tests.live.recording import Recorder

FLOW_NAME = "TUI Lab Artifacts"
CHART_NAME = "tui-lab-chart.png"


def tiny_png(width: int = 6, height: int = 4) -> bytes:
    """A small RGB gradient, made here so the recording needs no image file."""
    rows = b"".join(
        b"\x00" + b"".join(bytes([(x * 40) % 256, (y * 60) % 256, 120]) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    recorder = Recorder()
    record = recorder.record
    flow_id = recorder.flow_ids()[FLOW_NAME]
    chart = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    upload = {"data": chart, "type": "file", "name": CHART_NAME, "mime": "image/png"}
    chat_id = str(uuid.uuid4())
    body = {"question": "Draw the chart", "streaming": True, "chatId": chat_id, "uploads": [upload]}
    predict = f"/api/v1/prediction/{flow_id}"
    note = "Tool Agent + custom tool: an artifacts event (4 types)"
    record("artifacts_stream", "POST", predict, note, json=body)
    plain_chat = str(uuid.uuid4())
    body = {"question": "Draw the chart", "chatId": plain_chat, "uploads": [upload]}
    note = "the same, not streamed: artifacts in the JSON reply"
    record("artifacts_prediction", "POST", predict, note, json=body)
    query = {"chatflowId": flow_id, "chatId": chat_id, "fileName": CHART_NAME}
    files = "/api/v1/get-upload-file"
    note = "the PNG artifact's file; no Content-Type"
    record("artifacts_get_upload_file", "GET", files, note, params=query)
    missing = {**query, "fileName": "nope.png"}
    note = "a file the chat does not hold: HTTP 500 JSON"
    record("artifacts_get_upload_file_missing", "GET", files, note, params=missing)
    traversal = {**query, "fileName": "../x"}
    note = "a name with '..': HTTP 400 text"
    record("artifacts_get_upload_file_traversal", "GET", files, note, params=traversal)
    download = "/api/v1/openai-assistants-file/download"
    note = "a file annotation's download (the web UI's route): the same file"
    record("artifacts_assistant_file_download", "POST", download, note, json=query)
    history = f"/api/v1/chatmessage/{flow_id}"
    note = "history: artifacts parsed back to a list"
    record("artifacts_chatmessage", "GET", history, note, params={"chatId": chat_id})
    print(json.dumps({"flow": flow_id, "chat": chat_id}))


if __name__ == "__main__":
    main()
