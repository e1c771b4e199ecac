"""What the app draws, read back: the text of a widget on screen, and what a terminal is sent.

Both come from Textual's own screenshot (`App.export_screenshot`), which renders the whole
screen, modal screens over the ones below, into a recording Rich console: its text, and the
escape sequences a terminal would get with it, are taken from that console instead of the SVG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from unittest.mock import patch

from rich.cells import get_character_cell_size
from rich.console import Console
from textual.app import App
from textual.widget import Widget

OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;]*[mH]")
"""What Textual and Rich write between the text: colours, text styles, cursor moves."""
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""A character a terminal acts on (or reads text backwards for), rather than shows."""


@dataclass(frozen=True)
class Drawn:
    rows: list[str]
    """The screen's text, a row per line."""
    terminal: str
    """The same screen as a terminal is sent it: text and escape sequences."""


def drawn(app: App) -> Drawn:
    captured: dict[str, str] = {}

    def record(console: Console, **_: object) -> str:
        captured["text"] = console.export_text(clear=False)
        captured["terminal"] = console.export_text(styles=True)
        return ""

    with patch.object(Console, "export_svg", record):
        app.export_screenshot()
    return Drawn(captured["text"].split("\n"), captured["terminal"])


def _cells(row: str, start: int, end: int) -> str:
    """The characters of `row` drawn in the cells from `start` to `end`."""
    kept, cell = [], 0
    for character in row:
        if start <= cell < end:
            kept.append(character)
        cell += get_character_cell_size(character)
    return "".join(kept)


def text_in(app: App, widget: Widget) -> str:
    """The text drawn inside `widget` (its part on screen), row after row with the spaces at
    the end of each row dropped."""
    rows = drawn(app).rows
    region = widget.content_region
    top, bottom = max(region.y, 0), min(region.bottom, len(rows))
    return "".join(_cells(rows[y], region.x, region.right).rstrip() for y in range(top, bottom))


def cell_of(app: App, widget: Widget, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """The screen cells (x, y) inside `widget` where `pattern` matches, row by row."""
    rows = drawn(app).rows
    region = widget.content_region
    found = []
    for y in range(max(region.y, 0), min(region.bottom, len(rows))):
        text = _cells(rows[y], region.x, region.right)
        for match in pattern.finditer(text):
            found.append((region.x + _width(text[: match.start()]), y))
    return found


def _width(text: str) -> int:
    return sum(get_character_cell_size(character) for character in text)


def unsafe_output(app: App) -> list[str]:
    """Every character of the screen's text, and of what a terminal is sent besides Textual's
    own sequences, that a terminal would act on rather than show."""
    screen = drawn(app)
    found = UNSAFE.findall("\n".join(screen.rows))
    found += UNSAFE.findall(OWN_SEQUENCES.sub("", screen.terminal).replace("\n", ""))
    return found
