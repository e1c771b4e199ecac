"""Local files made into a prediction's `uploads`, with the calls some kinds need first.

- an image (`file`) and audio go in the prediction as a base64 data URI;
- a whole document (`file:full`) goes first to `POST /attachments/{flow}/{chat}`, whose reply
  holds its text, and then in the prediction as that text;
- a document for search (`file:rag`) is first upserted into the flow's vector store with
  the chat id, and then named in the prediction as a data URI, as Flowise's web chat does.

The data URIs live only in the request body: what the log, history and exports keep is
`uploads.Attachment` (name, type, size, kind).
"""

from __future__ import annotations

import asyncio
import base64
from typing import TYPE_CHECKING, Any

from flowise_tui.flowise.coerce import as_str
from flowise_tui.flowise.errors import (
    FlowiseError,
    FlowiseHTTPError,
    FlowiseProtocolError,
    clean_server_message,
)
from flowise_tui.flowise.uploads import MAX_UPLOAD_BYTES, UploadChoice

if TYPE_CHECKING:
    from flowise_tui.flowise.client import FlowiseClient


class UploadRefusedError(FlowiseHTTPError):
    """The server refused a file (Flowise says so with HTTP 500 and a message)."""


class LocalFileError(FlowiseError):
    """A file attached earlier can no longer be read as it was."""


async def build_uploads(
    client: FlowiseClient, chatflow_id: str, chat_id: str, choices: list[UploadChoice]
) -> list[dict[str, str]]:
    """The `uploads` of a prediction for `choices`, after the calls their kinds need."""
    contents = await asyncio.gather(*(asyncio.to_thread(_read, c) for c in choices))
    texts: dict[int, str] = {}
    full = [i for i, c in enumerate(choices) if c.kind == "file:full"]
    if full:
        files = [_part(choices[i], contents[i]) for i in full]
        replies = await _refusing(client.create_attachments(chatflow_id, chat_id, files), files)
        if len(replies) != len(full):
            raise FlowiseProtocolError(
                f"The server turned {len(full)} documents into {len(replies)} texts."
            )
        texts = {i: as_str(reply.get("content")) for i, reply in zip(full, replies, strict=True)}
    rag = [
        _part(c, data) for c, data in zip(choices, contents, strict=True) if c.kind == "file:rag"
    ]
    if rag:
        await _refusing(client.upsert_files(chatflow_id, chat_id, rag), rag)
    uploads = []
    for index, (choice, data) in enumerate(zip(choices, contents, strict=True)):
        file = choice.file
        if choice.kind == "file:full":
            payload = texts[index]
        else:
            payload = f"data:{file.mime};base64,{base64.b64encode(data).decode('ascii')}"
        uploads.append({"data": payload, "type": choice.kind, "name": file.name, "mime": file.mime})
    return uploads


def _read(choice: UploadChoice) -> bytes:
    name = choice.file.name
    try:
        with choice.file.path.open("rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
    except OSError as exc:
        raise LocalFileError(f"Cannot read {name}: {exc.strerror or exc}.") from None
    if len(data) > MAX_UPLOAD_BYTES:
        raise LocalFileError(f"{name} grew larger than {MAX_UPLOAD_BYTES:,} bytes.")
    return data


def _part(choice: UploadChoice, data: bytes) -> tuple[str, bytes, str]:
    return (choice.file.name, data, choice.file.mime)


async def _refusing(call: Any, files: list[tuple[str, bytes, str]]) -> Any:
    """`call`, with a refusal by the server said as one of the files."""
    try:
        return await call
    except FlowiseHTTPError as exc:
        if exc.status_code not in (400, 500) or not exc.server_message:
            raise
        names = ", ".join(name for name, _, _ in files)
        said = clean_server_message(exc.server_message)
        raise UploadRefusedError(
            f"The chatflow refused {names}: {said}",
            status_code=exc.status_code,
            server_message=exc.server_message,
            url=exc.url,
        ) from None
