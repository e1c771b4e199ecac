"""The sources pane: retrieved chunks grouped by document, in rank order; Enter opens one."""

from __future__ import annotations

from textual import on
from textual.content import Content, Span
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from flowise_tui import sources
from flowise_tui.app import render
from flowise_tui.flowise.models import SourceDocument

PREVIEW_LIMIT = 160


def linked(text: str, url: str, style: str = "") -> Content:
    """`text` as a terminal hyperlink to `url` (an http(s) URL checked by `web_link`)."""
    content = render.styled(text, style) if style else render.plain(text)
    return Content(content.plain, [*content.spans, Span(0, len(content.plain), Style(link=url))])


def group_row(group: sources.SourceGroup) -> Content:
    parts = [render.styled("▤ " + render.one_line(group.name, 120), "bold")]
    url = group.url
    if url is not None and url != group.name:
        parts += [render.plain("  "), linked("↗ " + render.one_line(url, 80), url, "underline")]
    elif url is not None:
        parts = [linked("▤ " + render.one_line(group.name, 120), url, "bold underline")]
    count = len(group.chunks)
    parts.append(render.styled(f"  {count} chunk{'s' if count != 1 else ''}", "dim"))
    return Content.assemble(*parts)


def chunk_notes(chunk: sources.Chunk) -> str:
    notes = [f"#{chunk.rank}"]
    if chunk.document.location:
        notes.append(render.one_line(chunk.document.location, 40))
    if chunk.score is not None:
        notes.append(f"score {sources.score_text(chunk.score)}")
    if chunk.count > 1:
        notes.append(f"×{chunk.count} identical")
    extra = [
        f"{key}={render.one_line(str(value), 30)}"
        for key, value in chunk.document.metadata.items()
        if key not in ("source", "title", "loc", "url", *sources.SCORE_KEYS)
        and isinstance(value, (str, int, float))
    ][:3]
    return " · ".join(notes + extra)


def chunk_row(chunk: sources.Chunk) -> Content:
    return Content.assemble(
        render.styled("  " + chunk_notes(chunk), "dim"),
        render.plain("\n  " + render.one_line(chunk.document.page_content, PREVIEW_LIMIT)),
    )


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
