"""How this terminal draws an image: which graphics protocol, at what size, with which widget.

The protocol is chosen from the environment, never by asking the terminal: a question sent
while Textual reads the keyboard would have its answer read as keys. `FLOWISE_TUI_IMAGES`
(`kitty`, `sixel`, `halfcell`, `none`) overrides the choice. Kitty and Ghostty speak the
Kitty graphics protocol; WezTerm, iTerm2, Konsole, foot, mlterm, contour and Windows Terminal
speak Sixel; tmux and screen pass neither on by default, so there (and in any other terminal)
the image is drawn with coloured half blocks. A headless app (tests) draws none unless told.

The drawing is textual-image's (the optional `images` extra), imported on the first image,
off the UI thread: its import asks the terminal what it supports unless standard output is
hidden from it, so it is hidden for that import, and the cell size it would ask the terminal
for is given to it first (from the tty's window size, else 10 x 20 pixels).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping
from math import ceil
from types import ModuleType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage
    from textual.widget import Widget

Protocol = Literal["kitty", "sixel", "halfcell", "none"]
PROTOCOLS: tuple[Protocol, ...] = ("kitty", "sixel", "halfcell", "none")
ENVIRONMENT = "FLOWISE_TUI_IMAGES"
DEFAULT_CELL = (10, 20)
"""Pixels of a terminal cell (width, height) when the terminal does not say."""
SIXEL_PROGRAMS = frozenset({"WezTerm", "iTerm.app", "mintty", "contour"})
SIXEL_TERMS = ("foot", "mlterm", "contour", "yaft")

_lock = threading.Lock()
_library: ModuleType | None = None


def choose_protocol(environ: Mapping[str, str], *, headless: bool) -> Protocol:
    wanted = environ.get(ENVIRONMENT, "").strip().lower()
    for protocol in PROTOCOLS:
        if wanted == protocol:
            return protocol
    if headless:
        return "none"
    term = environ.get("TERM", "")
    program = environ.get("TERM_PROGRAM", "")
    if "TMUX" in environ or term.startswith(("screen", "tmux")):
        return "halfcell"
    if term in ("xterm-kitty", "xterm-ghostty") or "KITTY_WINDOW_ID" in environ:
        return "kitty"
    if program == "ghostty":
        return "kitty"
    if program in SIXEL_PROGRAMS or term.startswith(SIXEL_TERMS):
        return "sixel"
    if "KONSOLE_VERSION" in environ or "WT_SESSION" in environ:
        return "sixel"
    return "halfcell"


def protocol_here(headless: bool) -> Protocol:
    return choose_protocol(os.environ, headless=headless)


def cell_pixels(headless: bool) -> tuple[int, int]:
    """A cell's size in pixels as the tty reports it (no question asked), else the default."""
    if headless:
        return DEFAULT_CELL
    try:
        import fcntl
        import struct
        import termios

        packed = fcntl.ioctl(sys.__stderr__, termios.TIOCGWINSZ, b"\0" * 8)  # type: ignore[arg-type]
        rows, columns, width, height = struct.unpack("HHHH", packed)
    except (ImportError, OSError, ValueError, AttributeError, TypeError):
        return DEFAULT_CELL
    if not (rows and columns and width and height):
        return DEFAULT_CELL
    return max(1, width // columns), max(1, height // rows)


def cell_for(protocol: Protocol, headless: bool) -> tuple[int, int]:
    """The pixels of the image one cell shows: a half block shows two, one above the other
    (a cell is about twice as tall as wide); a graphics protocol fills the cell's pixels."""
    return (1, 2) if protocol == "halfcell" else cell_pixels(headless)


def box(
    width: int, height: int, max_columns: int, max_rows: int, cell: tuple[int, int]
) -> tuple[int, int]:
    """Columns and rows for a `width` x `height` image: its own size in cells, never larger,
    shrunk (aspect kept) to fit `max_columns` x `max_rows`."""
    columns = max(1, ceil(width / cell[0]))
    rows = max(1, ceil(height / cell[1]))
    scale = min(1.0, max(1, max_columns) / columns, max(1, max_rows) / rows)
    return max(1, round(columns * scale)), max(1, round(rows * scale))


def load_library(headless: bool) -> ModuleType | None:
    """textual-image's widgets, imported without its questions to the terminal; None when it
    is not installed. Call it off the UI thread: the first import takes a while."""
    global _library
    with _lock:
        if _library is not None:
            return _library
        try:
            import PIL.Image  # noqa: F401  (before standard output is hidden)
            from textual_image import _terminal
        except ImportError:
            return None
        if not hasattr(_terminal.get_cell_size, "_result"):
            _terminal.get_cell_size._result = _terminal.CellSize(*cell_pixels(headless))  # type: ignore[attr-defined]
        shown = sys.__stdout__
        sys.__stdout__ = None  # type: ignore[misc]
        try:
            import textual_image.renderable  # its import asks the terminal, if it can
        finally:
            sys.__stdout__ = shown  # type: ignore[misc]
        import textual_image.widget

        _library = textual_image.widget
        return _library


def scaled(
    picture: PILImage, protocol: Protocol, columns: int, rows: int, headless: bool
) -> PILImage:
    """`picture` at the pixels the widget draws: a cell per column and two per row for half
    blocks, the cell's pixels for the graphics protocols."""
    cell = cell_for(protocol, headless)
    size = (columns * cell[0], rows * cell[1])
    return picture if picture.size == size else picture.resize(size)


def image_widget(
    library: ModuleType, protocol: Protocol, picture: PILImage, columns: int, rows: int
) -> Widget:
    """The widget that draws `picture` (already `scaled`) in `columns` x `rows` cells."""
    kind = {"kitty": library.TGPImage, "sixel": library.SixelImage}.get(
        protocol, library.HalfcellImage
    )
    widget: Widget = kind(picture, classes="picture-image")
    widget.styles.width = columns
    widget.styles.height = rows
    return widget
