"""Uploads on the demo server, in Flowise 3.1.4's wire format (see the `uploads_config_*`,
`attachments_*` and `upload_*` recordings): what each flow accepts, `GET /chatflows-uploads`,
`POST /attachments/{flow}/{chat}`, and the checks a prediction's `uploads` go through."""

from __future__ import annotations

import base64
import binascii
import email.parser
import email.policy
import mimetypes
from pathlib import PurePath
from typing import TYPE_CHECKING

from .flows import DemoFlow, find_flow
from .wire import error_response, json_response

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

UPLOADS_KIND = "attach"
IMAGE_TYPES = ["image/gif", "image/jpeg", "image/png", "image/webp", ""]  # "" as Flowise sends
FULL_FILE_TYPES = "text/plain,text/markdown,text/csv,application/json"
_ATTACH_PREFIX = "Error: attachmentService.createAttachment - "
_NO_UPLOADS = {
    "isSpeechToTextEnabled": False,
    "isImageUploadAllowed": False,
    "isRAGFileUploadAllowed": False,
    "imgUploadSizeAndTypes": [],
    "fileUploadSizeAndTypes": [],
}
# Flowise checks that a file's extension fits its declared type; these are its names.
_EXTENSION_TYPES = {".md": "text/markdown", ".webm": "audio/webm", ".ogg": "audio/ogg"}


def uploads_config(flow: DemoFlow) -> dict[str, object]:
    """What `GET /chatflows-uploads/{id}` says of `flow`."""
    if flow.kind != UPLOADS_KIND:
        return dict(_NO_UPLOADS)
    return {
        **_NO_UPLOADS,
        "isSpeechToTextEnabled": True,
        "isImageUploadAllowed": True,
        "imgUploadSizeAndTypes": [{"fileTypes": IMAGE_TYPES, "maxUploadSize": 5}],
    }


def full_file_upload(flow: DemoFlow) -> dict[str, object] | None:
    """The chatbot config's `fullFileUpload` of `flow`, if it has one."""
    if flow.kind != UPLOADS_KIND:
        return None
    return {"status": True, "allowedUploadFileTypes": FULL_FILE_TYPES}


async def chatflow_uploads(request: Request) -> Response:
    flow_id = request.path_params["flow_id"]
    flow = find_flow(flow_id)
    if flow is None:
        return error_response(
            500,
            f"Error: chatflowsService.checkIfChatflowIsValidForUploads - Chatflow {flow_id} "
            "not found",
        )
    return json_response(uploads_config(flow))


async def attachments(request: Request) -> Response:
    """The text of each uploaded document, as Flowise's file loader gives it."""
    flow = find_flow(request.path_params["flow_id"])
    if flow is None:
        flow_id = request.path_params["flow_id"]
        return error_response(500, _ATTACH_PREFIX + f"Chatflow {flow_id} not found")
    config = full_file_upload(flow)
    if not config:
        return error_response(500, _ATTACH_PREFIX + "File upload is not enabled for this chatflow")
    allowed = str(config["allowedUploadFileTypes"]).split(",")
    replies = []
    for name, mime, data in read_files(
        request.headers.get("content-type", ""), await request.body()
    ):
        if mime not in allowed:
            return error_response(
                500,
                _ATTACH_PREFIX
                + f"File type '{mime}' is not allowed. Allowed types: {', '.join(allowed)}",
            )
        if mismatch := extension_mismatch(name, mime):
            return error_response(500, _ATTACH_PREFIX + mismatch)
        text = data.decode("utf-8", "replace")
        replies.append({"name": name, "mimeType": mime, "size": len(data), "content": text})
    return json_response(replies)


def read_files(content_type: str, body: bytes) -> list[tuple[str, str, bytes]]:
    """The `files` parts of a multipart body: name, MIME type, content."""
    if not content_type.startswith("multipart/form-data"):
        return []
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    files = []
    for part in message.iter_parts():
        name = part.get_filename()
        if part.get_param("name", header="content-disposition") != "files" or not name:
            continue
        data = part.get_payload(decode=True)
        files.append((PurePath(name).name, part.get_content_type(), bytes(data or b"")))
    return files


def extension_mismatch(name: str, mime: str) -> str | None:
    """Flowise's refusal of a file whose extension does not fit its declared type."""
    suffix = PurePath(name).suffix.lower()
    expected = _EXTENSION_TYPES.get(suffix) or mimetypes.guess_type(name, strict=False)[0]
    if expected is None or expected == mime:
        return None
    return (
        f'MIME type mismatch: file extension "{suffix.lstrip(".")}" does not match declared '
        f'MIME type "{mime}". Expected: {(mimetypes.guess_extension(mime) or "?").lstrip(".")}'
    )


def data_uri_size(data: str) -> int | None:
    """The size of the bytes in a `data:...;base64,` URI, or None when it is not one."""
    if not data.startswith("data:") or "," not in data:
        return None
    try:
        return len(base64.b64decode(data.split(",", 1)[1], validate=True))
    except (binascii.Error, ValueError):
        return None


def stored_upload(upload: dict[str, object]) -> dict[str, object]:
    """One of a prediction's `uploads` as Flowise 3.1.4 keeps it in the user message's
    `fileUploads` (recordings `uploads_chatmessage_*`): the data dropped, a file kept in
    storage renamed `stored-file`, a link kept with its URL."""
    kind = upload.get("type")
    kept = {key: upload[key] for key in ("type", "name", "mime") if key in upload}
    if kind in ("file", "file:rag", "audio") and upload.get("data"):
        kept["type"] = "stored-file"
    elif kind == "file:full" and upload.get("data"):
        kept["type"] = "stored-file:full"
    elif kind == "url" and upload.get("data"):
        kept = {"data": upload["data"], "name": upload.get("name"), "type": "url"}
        kept["mime"] = upload.get("mime") or "image/png"
    return kept
