"""Server text as display text: never read as markup, never an escape sequence.

Every string a server sends (names, ids, types, labels, prompts, messages, metadata) reaches
a widget through here: as `Content`, which Textual shows as it is, or as a `str` with the
escape sequences and control characters a terminal would act on taken out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.content import Content

from flowise_tui.text import strip_controls

if TYPE_CHECKING:
    from textual.widget import Widget


def text(value: Any) -> str:
    """`value` as text a terminal only shows: no escape sequence, no control character but
    tab and newline, no bidi override."""
    return strip_controls(value if isinstance(value, str) else str(value))


def content(value: Any, style: str = "") -> Content:
    """`value` as `Content` (never parsed as markup), in `style` if one is given."""
    shown = text(value)
    return Content.styled(shown, style) if style else Content(shown)


def line(value: Any, limit: int = 100) -> str:
    """`value` on one line, whitespace runs as one space, cut to `limit` characters."""
    flat = " ".join(text(value).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


NAME_LIMIT = 200
"""A name from a server (a chatflow's) is shown on one line of at most this many characters."""


def name(value: Any) -> str:
    """A name on one line, cut to `NAME_LIMIT` characters."""
    return line(value, NAME_LIMIT)


def web_link(href: str) -> str | None:
    """`href` if it is an http(s) URL a browser may be asked to open, else None.

    A link in an answer is the server's text: a `file:` path, a program name or any other
    scheme is never handed on.
    """
    from flowise_tui import sources  # answers' links come after the first screen

    return sources.web_link(href)


def open_web_link(widget: Widget, href: str) -> None:
    """Open a clicked link of server text in the browser, if it is http(s) (`web_link`)."""
    url = web_link(href)
    if url is not None:
        widget.app.open_url(url)
