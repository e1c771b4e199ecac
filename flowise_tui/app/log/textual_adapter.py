"""Everything the log needs from Textual that Textual does not offer in public.

The only module in flowise-tui that touches Textual's private names. Each function is one
small reach into Textual; `INTERNALS` lists them for the canary test
(tests/app/test_textual_canary.py), which fails, naming the internal, when a Textual
release changes one. Textual is pinned to the range these were checked against.
"""

from __future__ import annotations

from collections.abc import Iterable

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.geometry import Size
from textual.layout import DockArrangeResult
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

INTERNALS: dict[str, str] = {
    "Markdown._markdown": "the source text, set without a re-parse (set_source)",
    "Markdown._parser_factory": "the parser the widget would use (parser_for)",
    "Markdown._parse_markdown": "block widgets from tokens, as update() makes them (parse_blocks)",
    "Markdown._table_of_contents": "dropped when headings change (set_source)",
    "Markdown._last_parsed_line": "where append() would go on (set_source)",
    "MarkdownBlock._blocks": "the nested blocks of a block not yet mounted (shift_lines)",
    "MarkdownBlock._content": "what a paragraph shows (update_in_place)",
    "MarkdownBlock._copy_context": "takes another block's token (update_in_place)",
    "MarkdownFence._highlighted_code": "what a code fence shows (update_in_place)",
    "Widget._anchor_released": "the user scrolled away from an anchored bottom (follows_bottom)",
    "Widget._closing": "a widget being removed (is_going)",
    "Widget._pruning": "a widget whose parent is being removed (is_going)",
    "App._closing": "the app shutting down (is_going)",
    "DOMNode._query_one_cache": "query results that keep removed children alive (forget_children)",
    "Widget._clear_arrangement_cache": "arrangements that keep removed children alive (ditto)",
    "Widget.arrange": "arranging children; overridden to lay blocks out once (LaidOutOnce)",
}
"""Each private name the adapter relies on, and what for."""


def parser_for(markdown: Markdown) -> MarkdownIt:
    """A parser configured as the one `markdown` uses for `update()`."""
    factory = markdown._parser_factory
    return MarkdownIt("gfm-like") if factory is None else factory()


def parse_blocks(markdown: Markdown, tokens: Iterable[Token]) -> Iterable[MarkdownBlock]:
    """The block widgets `markdown` would make of `tokens`, not mounted."""
    return markdown._parse_markdown(tokens)


def set_source(markdown: Markdown, text: str, *, complete: bool = False) -> None:
    """Make `markdown.source` read `text` without parsing it (the blocks are already there).
    `complete`: the blocks are those of the whole text, so `append()` and the table of
    contents start from them."""
    markdown._markdown = text
    if complete:
        markdown._table_of_contents = None
        lines = text.splitlines()
        markdown._last_parsed_line = len(lines) - (1 if lines and lines[-1] else 0)


def headings_changed(markdown: Markdown) -> None:
    """The table of contents is made again when next asked for."""
    markdown._table_of_contents = None


def shift_lines(block: MarkdownBlock, lines: int) -> None:
    """Make the source lines of a block, and of the blocks nested in it, count `lines` on."""
    start, end = block.source_range
    block.source_range = (start + lines, end + lines)
    for child in block._blocks:
        shift_lines(child, lines)


def update_in_place(old: MarkdownBlock, new: MarkdownBlock) -> bool:
    """Give mounted `old` the content of unmounted `new` when both are a paragraph, or both
    a code fence; False (and nothing done) otherwise."""
    if type(old) is not type(new) or old.name not in ("paragraph_open", "fence"):
        return False
    old.source_range = new.source_range
    if isinstance(old, MarkdownFence) and isinstance(new, MarkdownFence):
        if old._highlighted_code != new._highlighted_code:
            old._copy_context(new)
            old.set_content(new._highlighted_code)
    elif old._content != new._content:
        old._copy_context(new)
        old.set_content(new._content)
    return True


def anchor_released(scroller: Widget) -> bool:
    """Whether the user scrolled an anchored `scroller` away from its bottom."""
    return scroller._anchor_released


def is_going(widget: Widget) -> bool:
    """Whether `widget` is being removed, or the app is closing: nothing to redraw."""
    return widget._closing or widget._pruning or widget.app._closing


def forget_children(widget: Widget) -> None:
    """Drop what `widget` remembers of children removed from it, which would keep them, and
    everything in them, alive: the results of its queries, its arrangements, its list of
    displayed children."""
    widget._query_one_cache.clear()
    widget._clear_arrangement_cache()
    widget.displayed_children  # noqa: B018 - made again, without the removed children


class LaidOutOnce(Markdown):
    """A `Markdown` whose blocks keep their cached layout while the document grows.

    The blocks are all auto height, so arranging them in zero height places them the same;
    it keeps each block's cached size valid, instead of laying out every block again on
    each frame of a streamed answer.
    """

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        return super().arrange(Size(size.width, 0), optimal)
