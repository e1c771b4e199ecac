"""What a flow hands back besides its text: artifacts and file annotations, read defensively.

Flowise 3.1.4 sends both as events (`artifacts`, `fileAnnotations`) and as fields of a reply
that is not streamed or of a stored message:

- an artifact is `{"type": ..., "data": ...}`. Images (`png`, `jpeg`, ...) name a file of the
  chat's storage, `FILE-STORAGE::<name>`, which `GET /api/v1/get-upload-file?chatflowId=
  &chatId=&fileName=<name>` serves; the other types (`markdown`, `html`, `text`, `json`,
  `javascript`, `latex`, ...) carry their content inline.
- a file annotation (OpenAI Assistant and Responses flows) is `{"filePath":
  "FILE-STORAGE::<name>", "fileName": <name>}`; the web chat downloads it with
  `POST /api/v1/openai-assistants-file/download {chatflowId, chatId, fileName}`.

Anything else in those lists is skipped. A name from the server becomes `file_name` only
through `safe_file_name`: never a path, a parent, a control character or an empty name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

STORED_PREFIX = "FILE-STORAGE::"
IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
               "webp": "image/webp"}  # fmt: skip
MARKDOWN_TYPES = frozenset({"markdown", "md", "latex"})
EXTENSIONS = {"markdown": "md", "html": "html", "text": "txt", "json": "json",
              "javascript": "js", "latex": "tex", "jpeg": "jpg"}  # fmt: skip
MAX_NAME_LENGTH = 120
_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]{0,31}\Z")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?\Z", re.IGNORECASE)


def safe_file_name(name: object) -> str | None:
    """`name` fit to be one file name in a folder the user chose, or None if nothing is left.

    The last part after any `/` or `\\` is kept; control, format and path characters go;
    leading dots and trailing dots and spaces go (no hidden files, no `..`); Windows device
    names are refused; the result is at most `MAX_NAME_LENGTH` characters, extension kept.
    """
    if not isinstance(name, str):
        return None
    last = re.split(r"[/\\]", name)[-1]
    kept = "".join(c for c in last if unicodedata.category(c)[0] != "C")
    kept = _UNSAFE.sub("", kept).strip().lstrip(".").rstrip(". ")
    if not kept or _RESERVED.match(kept):
        return None
    if len(kept) > MAX_NAME_LENGTH:
        stem, dot, ext = kept.rpartition(".")
        ext = ext[:16] if dot and stem else ""
        kept = kept[: MAX_NAME_LENGTH - len(ext) - 1].rstrip(". ") + ("." + ext if ext else "")
    return kept


def stored_name(value: object) -> str | None:
    """The file name in a `FILE-STORAGE::<name>` reference, sanitised, or None."""
    if isinstance(value, str) and value.startswith(STORED_PREFIX):
        return safe_file_name(value[len(STORED_PREFIX) :])
    return None


@dataclass(frozen=True)
class Artifact:
    """One artifact. `file_name` is set when the data is a file of the chat's storage (then
    `content` is empty); otherwise `content` holds it inline."""

    kind: str
    content: str = ""
    file_name: str | None = None

    @property
    def is_image(self) -> bool:
        return self.kind in IMAGE_TYPES

    @property
    def is_markdown(self) -> bool:
        return self.kind in MARKDOWN_TYPES

    @property
    def mime(self) -> str:
        if self.is_image:
            return IMAGE_TYPES[self.kind]
        return {"html": "text/html", "json": "application/json"}.get(self.kind, "text/plain")

    @property
    def name(self) -> str:
        """The stored file's name, or a name made from the type for inline content."""
        return self.file_name or f"artifact.{EXTENSIONS.get(self.kind, self.kind)}"

    @property
    def size(self) -> int | None:
        """Bytes of inline content (UTF-8); None for a stored file, known once downloaded."""
        return None if self.file_name else len(self.content.encode("utf-8"))

    @classmethod
    def from_json(cls, item: object) -> Artifact | None:
        if not isinstance(item, dict):
            return None
        kind = item.get("type")
        data = item.get("data")
        if not isinstance(kind, str) or not isinstance(data, str):
            return None
        kind = kind.strip().lower()
        if not _TYPE.match(kind):
            return None
        name = stored_name(data)
        if name is not None:
            return cls(kind, "", name)
        if data.startswith(STORED_PREFIX):
            return None  # a reference whose name is unusable
        return cls(kind, data)


@dataclass(frozen=True)
class FileAnnotation:
    """A file the flow made: `file_name` (sanitised) is what the download endpoint takes."""

    file_name: str

    @classmethod
    def from_json(cls, item: object) -> FileAnnotation | None:
        if not isinstance(item, dict):
            return None
        name = safe_file_name(item.get("fileName")) or stored_name(item.get("filePath"))
        return cls(name) if name else None


def parse_artifacts(value: Any) -> list[Artifact]:
    """The usable artifacts in a list (or one artifact), in order."""
    items = value if isinstance(value, list) else [value]
    return [a for a in (Artifact.from_json(item) for item in items) if a is not None]


def parse_file_annotations(value: Any) -> list[FileAnnotation]:
    items = value if isinstance(value, list) else [value]
    return [a for a in (FileAnnotation.from_json(item) for item in items) if a is not None]
