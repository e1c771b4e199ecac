"""The files an answer returned (artifacts and file annotations): shown as text, saved safely.

Used by the app, the cli and the export; it imports no Textual. Inline content is the
server's text: HTML is turned into plain text (tags dropped, scripts and styles with their
content, never interpreted), code is fenced, Markdown is passed on as Markdown. A stored file
(an image artifact, a file annotation) is fetched through the server's file endpoints.
"""

from __future__ import annotations

import mimetypes
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from flowise_tui.files import make_directory, os_error_reason, staged_file
from flowise_tui.flowise.artifacts import (
    Artifact,
    parse_artifacts,
    parse_file_annotations,
    safe_file_name,
)
from flowise_tui.flowise.errors import FlowiseError
from flowise_tui.terminal_text import for_terminal
from flowise_tui.text import strip_controls

if TYPE_CHECKING:
    from flowise_tui.conversation import Answer
    from flowise_tui.flowise.client import FlowiseClient

CODE_LANGUAGES = {"javascript": "javascript", "json": "json", "python": "python", "text": ""}
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "section",
        "article",
        "hr",
    ]
)
_HIDDEN_TAGS = frozenset({"script", "style", "head", "template", "noscript"})


@dataclass(frozen=True)
class ReturnedFile:
    """One file of an answer. `content` is its inline text, or None when the server stores
    it (`annotation`: fetched through the file-annotation route)."""

    name: str
    kind: str
    mime: str
    content: str | None = None
    annotation: bool = False

    @property
    def stored(self) -> bool:
        return self.content is None

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    @property
    def size(self) -> int | None:
        if self.content is None:
            return None
        if self.is_image:
            from flowise_tui import images  # not at start-up: only once an image comes

            if images.is_data_url(self.content):
                return images.data_url_size(self.content)
        return len(self.content.encode("utf-8"))

    def describe(self) -> str:
        """'chart.png · png image · on the server' or 'artifact.md · markdown · 1.2 KB'."""
        what = f"{self.kind} image" if self.is_image else self.kind
        size = "on the server" if self.size is None else human_size(self.size)
        return f"{self.name} · {what} · {size}"


def _from_artifact(artifact: Artifact, index: int, count: int) -> ReturnedFile:
    name = artifact.name
    if artifact.file_name is None and count > 1:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem}-{index}{dot}{ext}"
    content = None if artifact.file_name else artifact.content
    return ReturnedFile(name, artifact.kind, artifact.mime, content)


def returned_files(answer: Answer) -> list[ReturnedFile]:
    """The answer's artifacts, then its file annotations, each once, with usable names."""
    artifacts = parse_artifacts(answer.artifacts)
    files = [_from_artifact(a, i, len(artifacts)) for i, a in enumerate(artifacts, 1)]
    for note in parse_file_annotations(answer.file_annotations):
        files.append(ReturnedFile(note.file_name, "file", _mime(note.file_name), annotation=True))
    unique: dict[tuple[str, bool], ReturnedFile] = {}
    for item in files:
        unique.setdefault((item.name, item.stored), item)
    return list(unique.values())


def _mime(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """What a page says, as plain text: no tag, no script, no style, entities decoded."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return strip_controls(text).strip()


def fenced(text: str, language: str = "") -> str:
    """`text` as a fenced code block whose fence no line of it can close."""
    longest = max((len(run) for run in _backtick_runs(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def _backtick_runs(text: str) -> list[str]:
    return re.findall(r"`+", text)


def as_markdown(item: ReturnedFile) -> str:
    """What the file shows in a Markdown view: Markdown as it is, HTML as plain text in a
    block, code fenced; a stored file as a line that names it."""
    if item.content is None or item.is_image:
        return f"*{item.describe()}*"
    text = strip_controls(item.content)
    if item.kind in ("markdown", "md", "latex"):
        return text
    if item.kind == "html":
        return fenced(html_to_text(text), "text")
    return fenced(text, CODE_LANGUAGES.get(item.kind, item.kind))


async def file_bytes(
    client: FlowiseClient, chatflow_id: str, chat_id: str, item: ReturnedFile
) -> bytes:
    """The file's bytes: its inline text, or the server's copy (bounded by the client's
    `max_file_bytes`). An inline image is its data URL's bytes (ImageProblem if damaged)."""
    if item.content is not None and item.is_image:
        from flowise_tui import images

        if images.is_data_url(item.content):
            return images.data_url_bytes(item.content)
    if item.content is not None:
        return item.content.encode("utf-8")
    return await client.download_file(chatflow_id, chat_id, item.name, annotation=item.annotation)


def save_file(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write `data` at `path` whole (a temporary file renamed into place). An existing file
    is replaced only with `overwrite`; else FileExistsError. The name is sanitised; the file
    is private to the user (0600), as a download of someone else's data should start."""
    name = safe_file_name(path.name)
    if name is None:
        raise ValueError(f"{path.name!r} is not a usable file name")
    target = path.with_name(name)
    make_directory(target.parent)
    with staged_file(target.parent, name, data) as staged:
        if overwrite:
            os.replace(staged, target)
        else:
            _link_new(staged, target)
    return target


def _link_new(staged: Path, target: Path) -> None:
    try:
        os.link(staged, target)  # fails, unlike a rename, when the name is taken
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.replace(staged, target)


def free_path(directory: Path, name: str) -> Path:
    """`directory/name`, or `name-2`, `name-3`... when taken: never an existing file."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    for attempt in range(1, 1000):
        candidate = name if attempt == 1 else f"{stem}-{attempt}{dot}{ext}"
        if not (directory / candidate).exists():
            return directory / candidate
    raise FileExistsError(f"too many files named {name} in {directory}")


async def save_all(
    client: FlowiseClient, chatflow_id: str, chat_id: str, answer: Answer, directory: Path
) -> list[tuple[ReturnedFile, Path | str]]:
    """Save every file of the answer in `directory`, each under a free name (never over an
    existing file): per file, where it went or why it did not."""
    results: list[tuple[ReturnedFile, Path | str]] = []
    for item in returned_files(answer):
        try:
            data = await file_bytes(client, chatflow_id, chat_id, item)
            make_directory(directory)
            results.append((item, save_file(free_path(directory, item.name), data)))
        except FlowiseError as exc:
            results.append((item, exc.message))
        except (OSError, ValueError) as exc:
            results.append((item, os_error_reason(exc)))
    return results


def saved_lines(results: list[tuple[ReturnedFile, Path | str]]) -> list[str]:
    """What `save_all` did, a line per file, as a terminal may print it."""
    lines = []
    for item, outcome in results:
        if isinstance(outcome, Path):
            lines.append(f"saved {for_terminal(str(outcome), one_line=True)}")
        else:
            name, reason = (for_terminal(text, one_line=True) for text in (item.name, outcome))
            lines.append(f"not saved {name}: {reason}")
    return lines
