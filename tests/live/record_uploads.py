"""Record the upload traffic of the lab into tests/fixtures/flowise-wire (a developer tool).

    eval "$(python tests/live/lab_env.py)" && python tests/live/lab_uploads.py
    python tests/live/record_uploads.py

Needs the `TUI Lab ...` upload flows (lab_uploads.py). Writes NAME.request / NAME.headers /
NAME.json in the recordings' format (keys redacted), prints an INDEX.tsv row per case, and
prints what the fake model received for the image and the document. As for every recording,
the install folder in `public_chatbot_config_file_upload.json` was then replaced by
`/opt/flowise/` (its Content-Length and ETag recomputed), and the INDEX rows pasted in.
"""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from pathlib import Path

import httpx

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "flowise-wire"
URL = os.environ.get("FLOWISE_URL", "http://127.0.0.1:3000")
KEY = os.environ["FLOWISE_API_KEY"]
LAB_DATA = Path.home() / ".cache" / "flowise-lab" / "data"
MODEL_LOG = LAB_DATA / "fake_llm_requests.jsonl"
REDACTED = "FLOWISE_API_KEY_REDACTED"
# A 1x1 red PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
NOTE = b"Flowise Lab note: the spare key is under the blue flowerpot.\n"
rows: list[str] = []


def record(name: str, method: str, path: str, note: str = "", **kwargs: object) -> httpx.Response:
    headers = {"Authorization": f"Bearer {KEY}", "Accept-Encoding": "identity"}
    with httpx.Client(base_url=URL, timeout=60) as http:
        request = http.build_request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
        request.read()
        started = time.monotonic()
        response = http.send(request)
        total = time.monotonic() - started
    shown = [
        f"{k}: {v}"
        for k, v in request.headers.items()
        if k.lower() in ("content-type", "authorization")
    ]
    text = f"{method} {request.url}\n" + "\n".join(shown) + "\n\n"
    (WIRE / f"{name}.request").write_bytes(text.replace(KEY, REDACTED).encode() + request.content)
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    head += "".join(f"{k.decode()}: {v.decode()}\r\n" for k, v in response.headers.raw) + "\r\n"
    (WIRE / f"{name}.headers").write_bytes(head.encode("latin-1"))
    (WIRE / f"{name}.json").write_bytes(response.content)
    kind = response.headers.get("content-type", "")
    elapsed = f"{response.elapsed.total_seconds():.6f}"
    rows.append(
        f"{name}\t{method}\t{request.url.path}\t{response.status_code}\t{kind}\t{elapsed}\t{total:.6f}\t{note}"
    )
    print(response.status_code, name, response.text[:300])
    return response


def flow_ids() -> dict[str, str]:
    flows = httpx.get(f"{URL}/api/v1/chatflows", headers={"Authorization": f"Bearer {KEY}"}).json()
    return {flow["name"]: flow["id"] for flow in flows}


def predict(
    name: str,
    flow: str,
    question: str,
    uploads: list[dict[str, str]],
    note: str,
    chat: str | None = None,
) -> httpx.Response:
    body = {
        "question": question,
        "streaming": False,
        "chatId": chat or str(uuid.uuid4()),
        "uploads": uploads,
    }
    return record(name, "POST", f"/api/v1/prediction/{flow}", note, json=body)


def data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def main() -> None:
    ids = flow_ids()
    image, full, rag = (ids[f"TUI Lab {kind} Upload"] for kind in ("Image", "File", "RAG"))
    plain = ids["Lab Plain Chat"]
    for flow, label in ((image, "image"), (full, "file"), (rag, "rag"), (plain, "plain")):
        record(f"uploads_config_{label}", "GET", f"/api/v1/chatflows-uploads/{flow}")
    record("public_chatbot_config_file_upload", "GET", f"/api/v1/public-chatbotConfig/{full}")
    seen = MODEL_LOG.stat().st_size
    png = {
        "data": data_uri("image/png", PNG),
        "type": "file",
        "name": "red-dot.png",
        "mime": "image/png",
    }
    predict("upload_image_prediction", image, "What is in this picture?", [png], "an image upload")
    chat = str(uuid.uuid4())
    files = {"files": ("lab-note.txt", NOTE, "text/plain")}
    reply = record(
        "attachments_text",
        "POST",
        f"/api/v1/attachments/{full}/{chat}",
        "full-file upload",
        files=files,
    )
    content = reply.json()[0]["content"]
    doc = {"data": content, "type": "file:full", "name": "lab-note.txt", "mime": "text/plain"}
    predict(
        "upload_file_full_prediction",
        full,
        "Where is the spare key?",
        [doc],
        "a full-file upload",
        chat,
    )
    bad = {"files": ("red-dot.png", PNG, "image/png")}
    record(
        "attachments_type_refused",
        "POST",
        f"/api/v1/attachments/{full}/{chat}",
        "type not allowed",
        files=bad,
    )
    record(
        "attachments_upload_off",
        "POST",
        f"/api/v1/attachments/{image}/{chat}",
        "flow without full-file upload",
        files=files,
    )
    rag_chat = str(uuid.uuid4())
    upsert = {"files": ("lab-note.txt", NOTE, "text/plain")}
    record(
        "vector_upsert_rag_file",
        "POST",
        f"/api/v1/vector/upsert/{rag}",
        "RAG upload: the upsert",
        files=upsert,
        data={"chatId": rag_chat},
    )
    rag_file = {
        "data": data_uri("text/plain", NOTE),
        "type": "file:rag",
        "name": "lab-note.txt",
        "mime": "text/plain",
    }
    predict(
        "upload_file_rag_prediction",
        rag,
        "Where is the spare key?",
        [rag_file],
        "RAG upload: the prediction",
        rag_chat,
    )
    audio = {
        "data": data_uri("audio/webm", b"\x1aE\xdf\xa3" + bytes(60)),
        "type": "audio",
        "name": "audio.webm",
        "mime": "audio/webm",
    }
    predict("upload_audio_no_stt", plain, "", [audio], "audio without a speech-to-text provider")
    spoof = {
        "data": data_uri("image/png", PNG),
        "type": "file",
        "name": "red-dot.txt",
        "mime": "image/png",
    }
    predict(
        "upload_image_name_mismatch",
        image,
        "And this?",
        [spoof],
        "extension does not match the type",
    )
    with MODEL_LOG.open("rb") as log:
        log.seek(seen)
        for line in log:
            entry = json.loads(line)
            print("MODEL GOT:", json.dumps(entry)[:1500])
    print("\n".join(rows))


if __name__ == "__main__":
    main()
