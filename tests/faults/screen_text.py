"""What the app draws, read back: the text of a widget on screen, and the bytes a terminal gets.

Both come from the screen's compositor, the same place the app's driver takes its updates
from: `terminal_bytes` is the full update a real terminal would be sent.
"""

from __future__ import annotations

import re

from textual.app import App
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

TEXTUAL_SEQUENCE = re.compile(r"\x1b\[[0-9;]*[mHJK]")
"""What Textual itself writes between the text: colours and cursor moves."""
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""A character a terminal acts on (or reads text backwards for), rather than shows."""


def strips(app: App) -> list[Strip]:
    return app.screen._compositor.render_strips()


def terminal_bytes(app: App) -> str:
    return app.screen._compositor.render_full_update().render_segments(app.console)


def text_in(app: App, widget: Widget) -> str:
    """The text drawn inside `widget` (its part on screen), row after row with the spaces at
    the end of each row dropped: a word wrapped over two rows reads as one."""
    region = widget.content_region.intersection(Region(0, 0, *app.screen.size))
    lines = strips(app)
    return "".join(
        lines[y].crop(region.x, region.right).text.rstrip() for y in range(region.y, region.bottom)
    )


def unsafe_output(app: App) -> list[str]:
    """Every character of the screen's text, and of what the terminal would be sent besides
    Textual's own colour and cursor sequences, that a terminal would act on."""
    found = [
        match.group()
        for strip in strips(app)
        for segment in strip
        if not segment.control
        for match in UNSAFE.finditer(segment.text)
    ]
    found += UNSAFE.findall(TEXTUAL_SEQUENCE.sub("", terminal_bytes(app)).replace("\n", ""))
    return found
