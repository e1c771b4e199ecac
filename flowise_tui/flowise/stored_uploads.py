"""The files a stored user message names (`fileUploads` of `GET /chatmessage/{id}`), as
`Attachment`s: name, type and kind, never content.

Flowise 3.1.4 stores what `uploads` held, without the data (recordings `uploads_chatmessage*`):

    [{"type": "stored-file", "name": "red dot.png", "mime": "image/png"}]

`stored-file` is an image, audio or a document for search kept in the server's storage (the
web chat reads it back through `GET /get-upload-file`), `stored-file:full` a document whose
text went before the question, `url` an image link, whose `data` is the URL. The field is a
JSON string or a list. Stored messages carry no size, so it is unknown.
"""

from __future__ import annotations

from typing import Any

from flowise_tui.flowise.coerce import as_dict, as_list, json_value
from flowise_tui.flowise.uploads import Attachment

MAX_STORED_UPLOADS = 50
_MAX_FIELD_CHARS = 1000


def stored_attachments(value: Any) -> list[Attachment]:
    """The attachments one stored message names, at most `MAX_STORED_UPLOADS`; entries that
    are not objects are skipped."""
    attachments = []
    for item in as_list(json_value(value))[:MAX_STORED_UPLOADS]:
        if not isinstance(item, dict):
            continue
        item = as_dict(item)
        mime = _bounded(item.get("mime"))
        attachments.append(
            Attachment.from_json(
                {"name": _file_name(item.get("name")), "mime": mime, "kind": _kind(item, mime)}
            )
        )
    return attachments


def _kind(item: dict[str, Any], mime: str) -> str:
    """The upload kind the file was sent as, from the stored type and the file's type."""
    stored = _bounded(item.get("type"))
    if stored in ("stored-file:full", "file:full"):
        return "file:full"
    if stored == "url":
        return "url"
    if mime.startswith("image/"):
        return "file"
    if mime.startswith("audio/"):
        return "audio"
    return "file:rag" if stored in ("stored-file", "file:rag") else stored.removeprefix("stored-")


def _file_name(value: Any) -> str:
    """The last part of a stored name: a name from a server may hold a path."""
    name = _bounded(value).replace("\\", "/").rsplit("/", 1)[-1]
    return "" if name in (".", "..") else name


def _bounded(value: Any) -> str:
    return value[:_MAX_FIELD_CHARS].strip() if isinstance(value, str) else ""
