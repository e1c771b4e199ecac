"""The sources pane: retrieved chunks grouped by document, in rank order; Enter opens one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from flowise_tui import sources
from flowise_tui.app.source_views import chunk_row, group_row

if TYPE_CHECKING:
    from flowise_tui.flowise.models import SourceDocument


class SourceList(OptionList):
    """A row per document, then a row per chunk of it; a chunk opens in full."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: list[SourceDocument] = []
        self.chunks: list[sources.Chunk] = []
        self._chunk_at: dict[int, int] = {}

    def on_focus(self) -> None:
        if self.highlighted is None and self._chunk_at:
            self.highlighted = min(self._chunk_at)

    def show(self, documents: list[SourceDocument]) -> None:
        if documents == self.documents and self.option_count:
            return
        self.documents = list(documents)
        groups = sources.group_sources(self.documents)
        self.chunks = sources.in_order(groups)
        options: list[Option] = []
        self._chunk_at = {}
        for group in groups:
            options.append(Option(group_row(group), disabled=True))
            for chunk in group.chunks:
                self._chunk_at[len(options)] = len(self._chunk_at)
                options.append(Option(chunk_row(chunk)))
        self.clear_options()
        self.add_options(options)

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        from flowise_tui.app.screens.document import DocumentScreen

        event.stop()
        index = self._chunk_at.get(event.option_index)
        if index is not None:
            self.app.push_screen(DocumentScreen(self.chunks, index))
