"""Everything the log needs from Textual that Textual does not offer in public.

The only place in flowise-tui that touches Textual's private names. Each function is one
small reach into Textual; `INTERNALS` lists them for the canary test
(tests/app/test_textual_canary.py), which fails, naming the internal, when a Textual
release changes one. Textual is pinned to the range these were checked against.

Two modules: this one (widgets and scrolling, needed by the first screen) and
`markdown` (the Markdown widget's internals, loaded with the first answer: the Markdown
stack is not needed before, and loading it costs start-up time).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from textual._styles_cache import StylesCache
from textual.style import Style

if TYPE_CHECKING:
    from textual.color import Color
    from textual.widget import Widget

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
    "Widget._styles_cache": "the lines a widget drew, and the compositor's copies of them "
    "(forget_drawn_lines, drawn_lines)",
    "StylesCache._cache": "the lines drawn, by line (drawn_lines)",
    "StylesCache.get_inner_outer": "a cache that keeps removed widgets' lines alive "
    "(cache_colours_only)",
}
"""Each private name the adapter relies on, and what for."""


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


def drawn_lines(widget: Widget) -> int:
    """How many of its lines `widget` keeps, drawn, for the next frame."""
    return len(widget._styles_cache._cache)


def forget_drawn_lines(widget: Widget) -> None:
    """Drop the lines `widget` drew and what the compositor made of them (a copy in the
    terminal's colours, and that copy cut at the edges of the widgets on each line: a
    dozen objects a line). A line is drawn again, from the widget's content, when next on
    screen."""
    widget._styles_cache.clear()


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return Style(background=base_background + background), Style(background=base_background)


def _get_inner_outer(
    self: StylesCache, base_background: Color, background: Color
) -> tuple[Style, Style]:
    return _inner_outer(base_background, background)


def cache_colours_only() -> None:
    """Textual caches the two background styles of a widget's lines by the widget's
    `StylesCache` as well as by the colours (an `lru_cache` on a method), so the last 1024
    caches stay alive, every line they drew with them, long after their widgets are gone
    (Textual issue 6665). Cached by the colours alone, the styles are the same."""
    StylesCache.get_inner_outer = _get_inner_outer  # type: ignore[assignment, method-assign]
