"""Record the lab's artifact traffic into tests/fixtures/flowise-wire (run by hand, never in CI).

    eval "$(python tests/live/lab_env.py)" && python tests/live/record_artifacts.py

Needs `tests/live/lab_artifacts.py` run first. Each case is written as NAME.request,
NAME.headers and the body (NAME.sse, .json, .txt or .png) with the API key redacted, and a
row is added to (or replaced in) INDEX.tsv.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import time
import uuid
import zlib
from pathlib import Path

import httpx

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "flowise-wire"
REDACTED = "FLOWISE_API_KEY_REDACTED"
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


def suffix(content_type: str, body: bytes) -> str:
    if "event-stream" in content_type:
        return ".sse"
    if "json" in content_type:
        return ".json"
    if body.startswith(b"\x89PNG"):
        return ".png"
    return ".txt"


def record(client: httpx.Client, name: str, request: httpx.Request, note: str) -> bytes:
    started = time.monotonic()
    response = client.send(request, stream=True)
    first = time.monotonic() - started
    body = response.read()
    total = time.monotonic() - started
    key = os.environ.get("FLOWISE_API_KEY", "")
    lines = [f"{request.method} {request.url}"]
    lines += [f"{k}: {v}" for k, v in request.headers.items() if k.lower() != "content-length"]
    text = "\n".join(lines) + "\n\n" + request.content.decode("utf-8", "replace")
    if key:
        text = text.replace(key, REDACTED)
    (WIRE / f"{name}.request").write_text(text)
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in response.headers.multi_items())
    (WIRE / f"{name}.headers").write_bytes((head + "\r\n").encode())
    content_type = response.headers.get("content-type", "")
    for old in WIRE.glob(f"{name}.*"):
        if old.suffix not in (".request", ".headers"):
            old.unlink()
    (WIRE / f"{name}{suffix(content_type, body)}").write_bytes(body)
    row = "\t".join(
        [name, request.method, request.url.raw_path.decode(), str(response.status_code),
         content_type, f"{first:.6f}", f"{total:.6f}", note]
    )  # fmt: skip
    index = WIRE / "INDEX.tsv"
    rows = [r for r in index.read_text().splitlines() if not r.startswith(f"{name}\t")]
    index.write_text("\n".join([*rows, row]) + "\n")
    print(f"{name:44} {response.status_code} {len(body)} bytes")
    return body


def main() -> None:
    url = os.environ["FLOWISE_URL"].rstrip("/")
    headers = {"Authorization": f"Bearer {os.environ['FLOWISE_API_KEY']}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        flows = client.get("/api/v1/chatflows").json()
        flow_id = next(f["id"] for f in flows if f["name"] == FLOW_NAME)
        chart = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
        upload = {"data": chart, "type": "file", "name": CHART_NAME, "mime": "image/png"}
        chat_id = str(uuid.uuid4())
        body = {"question": "Draw the chart", "streaming": True, "chatId": chat_id,
                "uploads": [upload]}  # fmt: skip
        predict = f"/api/v1/prediction/{flow_id}"
        record(client, "artifacts_stream", client.build_request("POST", predict, json=body),
               "Tool Agent + custom tool: an artifacts event (4 types)")  # fmt: skip
        plain_chat = str(uuid.uuid4())
        body = {"question": "Draw the chart", "chatId": plain_chat, "uploads": [upload]}
        record(client, "artifacts_prediction", client.build_request("POST", predict, json=body),
               "the same, not streamed: artifacts in the JSON reply")  # fmt: skip
        query = {"chatflowId": flow_id, "chatId": chat_id, "fileName": CHART_NAME}
        files = "/api/v1/get-upload-file"
        record(client, "artifacts_get_upload_file",
               client.build_request("GET", files, params=query),
               "the PNG artifact's file; no Content-Type")  # fmt: skip
        record(client, "artifacts_get_upload_file_missing",
               client.build_request("GET", files, params={**query, "fileName": "nope.png"}),
               "a file the chat does not hold: HTTP 500 JSON")  # fmt: skip
        record(client, "artifacts_get_upload_file_traversal",
               client.build_request("GET", files, params={**query, "fileName": "../x"}),
               "a name with '..': HTTP 400 text")  # fmt: skip
        download = "/api/v1/openai-assistants-file/download"
        record(client, "artifacts_assistant_file_download",
               client.build_request("POST", download, json=query),
               "a file annotation's download (the web UI's route): the same file")  # fmt: skip
        record(client, "artifacts_chatmessage",
               client.build_request("GET", f"/api/v1/chatmessage/{flow_id}",
                                    params={"chatId": chat_id}),
               "history: artifacts parsed back to a list")  # fmt: skip
    print(json.dumps({"flow": flow_id, "chat": chat_id}))


if __name__ == "__main__":
    main()
