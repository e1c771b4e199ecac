"""Retrieved chunks as inert `Content`: a document's row, a chunk's row and notes, a link."""

from __future__ import annotations

from textual.content import Content, Span
from textual.style import Style

from flowise_tui import sources
from flowise_tui.app import render

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
