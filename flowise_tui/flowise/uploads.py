"""What a chatflow accepts as uploads, and which kind of upload a local file would be.

Flowise says it in two places: `GET /chatflows-uploads/{id}` (images, speech to text, RAG
file uploads) and the chatbot config's `fullFileUpload` (whole documents put before the
question). `choose_kind` is pure: given those settings and a local file's name, type and
size it picks the upload kind Flowise expects, or says why the flow would refuse it.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from flowise_tui.flowise.coerce import as_bool, as_dict, as_list, as_str, json_value

UploadKind = Literal["file", "file:full", "file:rag", "audio"]
MIB = 1024 * 1024
# However much a flow says it takes, a file is read whole into memory (and base64 makes it
# a third larger): this is the most the client sends.
MAX_UPLOAD_BYTES = 50 * MIB
# The audio types Flowise 3.1.4 hands to its speech-to-text provider; other audio is stored
# and ignored.
SPEECH_TYPES = ("audio/webm", "audio/mp4", "audio/ogg")
# Types `mimetypes` does not know, or knows otherwise than Flowise's upload checks.
_EXTRA_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".webm": "audio/webm"}
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
NO_UPLOADS = "no uploads"
KIND_LABELS: dict[str, str] = {
    "file": "image",
    "file:full": "document",
    "file:rag": "document for search",
    "audio": "audio",
    "url": "image link",
}


@dataclass(frozen=True, slots=True)
class UploadSettings:
    """The uploads one chatflow accepts. Sizes in bytes; types are MIME types, except RAG
    uploads, whose types are file extensions (`.txt`) or `*`, as the flow's loader says."""

    image_types: tuple[str, ...] = ()
    image_max_bytes: int = 0
    speech_to_text: bool = False
    rag_types: tuple[str, ...] = ()
    rag_max_bytes: int = 0
    full_file_types: tuple[str, ...] = ()
    full_file_enabled: bool = False
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, uploads: Any, chatbot_config: Any = None) -> UploadSettings:
        """From `GET /chatflows-uploads/{id}` and the flow's chatbot config (a dict or the
        JSON text a chatflow carries), either of which may be missing."""
        data = as_dict(uploads)
        image = _size_and_types(data.get("imgUploadSizeAndTypes"))
        rag = _size_and_types(data.get("fileUploadSizeAndTypes"))
        full = as_dict(as_dict(json_value(chatbot_config)).get("fullFileUpload"))
        full_types = as_str(full.get("allowedUploadFileTypes"))
        return cls(
            image_types=image[0] if as_bool(data.get("isImageUploadAllowed")) else (),
            image_max_bytes=image[1],
            speech_to_text=as_bool(data.get("isSpeechToTextEnabled")),
            rag_types=rag[0] if as_bool(data.get("isRAGFileUploadAllowed")) else (),
            rag_max_bytes=rag[1],
            full_file_enabled=as_bool(full.get("status")),
            full_file_types=_split(full_types.split(",")),
            raw={"uploads": data, "fullFileUpload": full},
        )

    @property
    def accepts_anything(self) -> bool:
        return bool(
            self.image_types
            or self.speech_to_text
            or self.rag_types
            or (self.full_file_enabled and self.full_file_types)
        )

    def allowed_summary(self) -> str:
        """What the flow takes, for a person: `images (image/png, ...) up to 5 MB; ...`."""
        parts = []
        if self.image_types:
            parts.append(
                f"images ({', '.join(self.image_types)}) up to {_mb(self.image_max_bytes)}"
            )
        if self.full_file_enabled and self.full_file_types:
            parts.append(f"documents ({', '.join(self.full_file_types)})")
        if self.rag_types:
            rag = ", ".join(self.rag_types)
            parts.append(f"documents for search ({rag}) up to {_mb(self.rag_max_bytes)}")
        if self.speech_to_text:
            parts.append(f"audio ({', '.join(SPEECH_TYPES)})")
        return "; ".join(parts) if parts else NO_UPLOADS


@dataclass(frozen=True, slots=True)
class LocalFile:
    """A file on this machine, as an upload would describe it."""

    path: Path
    name: str
    mime: str
    size: int

    @property
    def label(self) -> str:
        """`name (type, size)`, the way chips, the log and exports show a file."""
        return f"{self.name} ({self.mime}, {human_size(self.size)})"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a question, as it is shown and stored: never its content. `size` is
    None when unknown (Flowise's stored messages do not keep it)."""

    name: str
    mime: str
    size: int | None
    kind: str
    path: Path | None = field(default=None, compare=False)
    """Where the file is on this machine, while the app that sent it runs; never stored."""

    @property
    def label(self) -> str:
        kind = KIND_LABELS.get(self.kind, self.kind)
        parts = [kind, self.mime] + ([human_size(self.size)] if self.size is not None else [])
        return f"{self.name} ({', '.join(part for part in parts if part)})"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "mime": self.mime, "size": self.size, "kind": self.kind}

    @classmethod
    def from_json(cls, data: Any) -> Attachment:
        """From `to_json`'s dict, each part bounded and made safe to show."""
        data = as_dict(data)
        size = data.get("size")
        known = isinstance(size, int) and not isinstance(size, bool) and size >= 0
        return cls(
            name=_shown(data.get("name"), 200) or "file",
            mime=_shown(data.get("mime"), 100),
            size=size if known else None,
            kind=_shown(data.get("kind"), 20),
        )


@dataclass(frozen=True, slots=True)
class UploadChoice:
    file: LocalFile
    kind: UploadKind

    @property
    def attachment(self) -> Attachment:
        return Attachment(self.file.name, self.file.mime, self.file.size, self.kind, self.file.path)


@dataclass(frozen=True, slots=True)
class UploadRefusal:
    file: LocalFile | None
    reason: str
    allowed: str

    @property
    def message(self) -> str:
        if not self.allowed or self.allowed == NO_UPLOADS:
            return self.reason
        return f"{self.reason} This chatflow accepts: {self.allowed}."


def describe_file(path: str | os.PathLike[str]) -> LocalFile | UploadRefusal:
    """A local file's name, MIME type (from its extension, else its first bytes) and size;
    a refusal when it is missing, not a regular file, or not readable."""
    where = Path(os.path.expanduser(os.fspath(path)))
    shown = os.fspath(path)
    try:
        info = where.stat()
    except FileNotFoundError:
        return UploadRefusal(None, f"No file at {shown}.", "")
    except OSError as exc:
        return UploadRefusal(None, f"Cannot read {shown}: {exc.strerror or exc}.", "")
    if not where.is_file():
        return UploadRefusal(None, f"{shown} is not a file.", "")
    if not os.access(where, os.R_OK):
        return UploadRefusal(None, f"Cannot read {shown}: permission denied.", "")
    return LocalFile(where, where.name, guess_mime(where), info.st_size)


def guess_mime(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _EXTRA_TYPES:
        return _EXTRA_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name, strict=False)
    if guessed:
        return guessed
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return "application/octet-stream"
    for magic, mime in _IMAGE_MAGIC:
        if head.startswith(magic):
            return mime
    return "application/octet-stream"


def choose_kind(settings: UploadSettings, file: LocalFile) -> UploadChoice | UploadRefusal:
    """The upload kind Flowise expects for `file` on a flow with `settings`, in the order
    its web chat tries them (image, speech, whole document, document for search), or why
    the flow would not take it."""
    allowed = settings.allowed_summary()

    def refuse(reason: str) -> UploadRefusal:
        return UploadRefusal(file, reason, allowed)

    if file.size > MAX_UPLOAD_BYTES:
        return refuse(f"{file.label} is larger than the {_mb(MAX_UPLOAD_BYTES)} this client sends.")
    if not settings.accepts_anything:
        return refuse(f"This chatflow takes no uploads, so {file.name} cannot be sent.")
    suffix = file.path.suffix.lower()
    if file.mime in settings.image_types:
        if file.size > settings.image_max_bytes:
            return refuse(
                f"{file.label} is larger than the {_mb(settings.image_max_bytes)} the flow "
                "takes for an image."
            )
        return UploadChoice(file, "file")
    if file.mime in SPEECH_TYPES:
        if settings.speech_to_text:
            return UploadChoice(file, "audio")
        return refuse(
            f"{file.name} is audio, and this chatflow has no speech-to-text provider: "
            "Flowise would store it and answer as if nothing was said."
        )
    if settings.full_file_enabled and file.mime in settings.full_file_types:
        return UploadChoice(file, "file:full")
    if settings.rag_types and ("*" in settings.rag_types or suffix in settings.rag_types):
        if file.size > settings.rag_max_bytes:
            return refuse(f"{file.label} is larger than the {_mb(settings.rag_max_bytes)} allowed.")
        return UploadChoice(file, "file:rag")
    return refuse(f"This chatflow does not accept {file.name} ({file.mime}).")


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < MIB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MIB:.1f} MB"


def _shown(value: Any, limit: int) -> str:
    """A name or type on one line, without control characters, at most `limit` long."""
    text = "".join(c if c.isprintable() else " " for c in as_str(value)).strip()
    return text[:limit]


def _mb(size: int) -> str:
    return f"{size / MIB:g} MB"


def _split(items: list[Any]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        text = as_str(item).strip().lower()
        if text and len(text) <= 100:
            seen.setdefault(text, None)
    return tuple(seen)


def _size_and_types(value: Any) -> tuple[tuple[str, ...], int]:
    """The types and the largest size (MB in the reply) of a `...SizeAndTypes` list."""
    types: list[Any] = []
    largest = 0.0
    for entry in as_list(value)[:50]:
        entry = as_dict(entry)
        types.extend(as_list(entry.get("fileTypes"))[:200])
        size = entry.get("maxUploadSize")
        if isinstance(size, int | float) and not isinstance(size, bool) and 0 < size < 1e6:
            largest = max(largest, float(size))
    return _split(types), int(largest * MIB)
