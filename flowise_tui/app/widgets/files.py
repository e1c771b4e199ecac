"""The files an answer returned, in its Files pane: each named, shown as far as a terminal
can, and saved by its own button.

Markdown shows as Markdown, code fenced, HTML as its plain text (never interpreted). An
image shows as a line (name, type, size), the image itself where the terminal can draw it
(`picture.py`), and a link to the server's copy.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets import Button, Markdown, Static

from flowise_tui.app import plain, render
from flowise_tui.returned_files import ReturnedFile, as_markdown

if TYPE_CHECKING:
    from textual.widget import Widget

LinkOf = Callable[[ReturnedFile], str | None]


class FileMarkdown(Markdown):
    """A returned file's Markdown: server text; a link in it opens only if it is http(s)."""

    def __init__(self, markdown: str) -> None:
        super().__init__(markdown, open_links=False)

    @on(Markdown.LinkClicked)
    def _open_web_link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        plain.open_web_link(self, event.href)


def title_content(item: ReturnedFile) -> Content:
    return render.styled(plain.line(item.describe(), 160), "bold")


def link_content(url: str) -> Content:
    shown = plain.line(url, 300)
    return Content.assemble(
        render.styled("open: ", "dim"), Content(shown).stylize(Style(link=url, underline=True))
    )


def picture_of(item: ReturnedFile, link: str | None, headless: bool) -> list[Widget]:
    """The image itself where this terminal can draw it (see `app/widgets/picture.py`, only
    imported once an answer returns an image), else nothing."""
    from flowise_tui.app.widgets.picture import Picture, shows_images
    from flowise_tui.images import data_url_bytes

    if not shows_images(headless):
        return []
    if item.content is None:  # the screen fetches it (its server, its chat)
        return [Picture(item.name, link, item=item)]  # no link (an annotation): not kept
    content = item.content

    async def inline() -> bytes:
        return await asyncio.to_thread(data_url_bytes, content)

    key = "inline:" + hashlib.sha256(content.encode("utf-8", "replace")).hexdigest()
    return [Picture(item.name, key, load=inline)]


class ReturnedFiles(Vertical):
    """Every file of one answer; `show` them again when the answer changes."""

    DEFAULT_CSS = """
    ReturnedFiles { height: auto; }
    ReturnedFiles .returned-file { height: auto; margin-bottom: 1; }
    ReturnedFiles .file-head { height: 1; }
    ReturnedFiles .file-title { width: 1fr; height: 1; }
    ReturnedFiles .save-file { width: auto; min-width: 8; height: 1; margin-left: 1; }
    ReturnedFiles FileMarkdown { height: auto; margin: 0; padding: 0 0 0 2; }
    ReturnedFiles .file-link { padding-left: 2; }
    """

    @dataclass
    class SaveRequested(Message):
        files: ReturnedFiles
        item: ReturnedFile

    def __init__(self) -> None:
        super().__init__(id="files-body")
        self.files: list[ReturnedFile] = []
        self._shown = 0
        self._links: list[str | None] = []

    def show(self, files: list[ReturnedFile], link_of: LinkOf) -> None:
        links = [link_of(item) for item in files]
        if (files, links) == (self.files, self._links):
            return
        self.files, self._links = list(files), links
        self._shown += 1
        self.remove_children()
        self.mount_all([self._block(i, item, links[i]) for i, item in enumerate(files)])

    def _block(self, index: int, item: ReturnedFile, link: str | None) -> Widget:
        parts: list[Widget] = [
            Horizontal(
                Static(title_content(item), classes="file-title", markup=False),
                Button(
                    "Save", id=f"save-file-{self._shown}-{index}", classes="save-file", compact=True
                ),
                classes="file-head",
            )
        ]
        if item.is_image:
            parts += picture_of(item, link, self.app.is_headless)
        if item.content is not None and not item.is_image:
            parts.append(FileMarkdown(as_markdown(item)))
        elif item.content is not None:
            parts.append(Static(render.styled("inline image: Save writes it", "dim"), markup=False))
        else:
            url = plain.web_link(link or "")
            note = "stored on the server: Save downloads it"
            parts.append(Static(render.styled(note, "dim"), markup=False))
            if url is not None:
                parts.append(Static(link_content(url), classes="file-link", markup=False))
        return Vertical(*parts, classes="returned-file")

    @on(Button.Pressed, ".save-file")
    def _save(self, event: Button.Pressed) -> None:
        event.stop()
        index = int((event.button.id or "").rsplit("-", 1)[-1])
        if 0 <= index < len(self.files):
            self.post_message(self.SaveRequested(self, self.files[index]))
