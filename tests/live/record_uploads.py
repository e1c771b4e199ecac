"""Record the upload traffic of the lab into tests/fixtures/flowise-wire (a developer tool).

    eval "$(python tests/live/lab_env.py)" && python tests/live/lab_uploads.py
    python -m tests.live.record_uploads

Needs the `TUI Lab ...` upload flows (lab_uploads.py). Writes NAME.request / NAME.headers /
NAME.json through tests/live/recording.py (keys redacted, the install folder written as
/opt/flowise, INDEX.tsv rows replaced), and prints what the fake model received for the image
and the document.
"""

from __future__ import annotations

import base64
import json
import uuid

import httpx

from tests.live.recording import MODEL_LOG, Recorder

# A 1x1 red PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
NOTE = b"Flowise Lab note: the spare key is under the blue flowerpot.\n"
recorder = Recorder()
record = recorder.record


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
    ids = recorder.flow_ids()
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
    recorder.print_rows()


if __name__ == "__main__":
    main()
