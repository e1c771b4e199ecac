"""A retrieved chunk in full: its whole text and metadata; the next and previous chunks of the
same answer a key away, its link opened in the browser, its text copied."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from flowise_tui.app import render
from flowise_tui.app.actions import bindings
from flowise_tui.app.copying import copy_text
from flowise_tui.app.screens.dialog import Dialog
from flowise_tui.app.source_views import chunk_notes, linked

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from flowise_tui import sources


def chunk_content(chunk: sources.Chunk) -> Content:
    document = chunk.document
    head = [render.styled(document.title, "bold")]
    url = chunk.url
    if url is not None:
        head += [render.plain("\n"), linked(url, url, "underline $accent")]
    return Content.assemble(
        *head,
        render.styled("\n" + chunk_notes(chunk).strip(), "dim"),
        render.plain("\n\n" + document.page_content.strip()),
        render.styled("\n\nmetadata\n", "bold dim"),
        render.plain(render.pretty(document.metadata)),
    )


class DocumentScreen(Dialog[None]):
    BINDINGS = bindings("document")

    def __init__(self, chunks: Sequence[sources.Chunk], index: int = 0) -> None:
        super().__init__()
        self.chunks = list(chunks)
        self.index = index

    @property
    def chunk(self) -> sources.Chunk:
        return self.chunks[self.index]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="document") as scroll:
            scroll.border_subtitle = "Esc closes"
            scroll.border_title = self._title()
            yield Static(chunk_content(self.chunk), id="document-body", markup=False)

    def _title(self) -> str:
        total = len(self.chunks)
        return f"Source {self.index + 1} of {total}" if total > 1 else "Source"

    def _show(self, scroll: VerticalScroll) -> None:
        scroll.border_title = self._title()
        self.query_one("#document-body", Static).update(chunk_content(self.chunk))
        scroll.scroll_home(animate=False)

    def action_move(self, step: int) -> None:
        moved = self.index + step
        if not 0 <= moved < len(self.chunks):
            self.notify("No more sources that way.", markup=False)
            return
        self.index = moved
        self._show(self.query_one("#document", VerticalScroll))

    def action_copy_chunk(self) -> None:
        copy_text(self, self.chunk.document.page_content, "Chunk")

    def action_open_link(self) -> None:
        url = self.chunk.url
        if url is None:
            self.notify("This source has no web address.", markup=False)
            return
        self.app.open_url(url)
        self.notify(f"Opening {url} in the browser.", markup=False)
