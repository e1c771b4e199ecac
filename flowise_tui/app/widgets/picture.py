"""An image in the log, drawn through the terminal's graphics (see `app/graphics.py`) at most
`max_rows` tall and never wider than the log; Enter or a click opens it full-screen.

It is decoded off the UI thread. Until then, and when it cannot be shown (not an image,
truncated, too large, the `images` extra not installed), a dim line says so: the name line,
the link and the Save button around it stay as they were. A file the server keeps is asked
of the screen (`BytesWanted`), which answers with `load_with`.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from textual import events, work
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from flowise_tui import images
from flowise_tui.app import graphics, hints, plain, render
from flowise_tui.app.actions import bindings
from flowise_tui.flowise.errors import FlowiseError
from flowise_tui.images import DecodedImage, ImageProblem

if TYPE_CHECKING:
    from textual.widget import Widget

    from flowise_tui.flowise.uploads import Attachment
    from flowise_tui.returned_files import ReturnedFile

Loader = Callable[[], Awaitable[bytes]]
ROWS_IN_LOG = 16
ROWS_OF_ATTACHED = 8
CACHED = 8
"""Decoded images kept, so a turn made again as it scrolls back into sight is not decoded
again."""
_decoded: OrderedDict[str, DecodedImage] = OrderedDict()


def shows_images(headless: bool) -> bool:
    return graphics.protocol_here(headless) != "none"


def _prepare(
    data: bytes, decoded: DecodedImage | None, headless: bool
) -> tuple[DecodedImage, ModuleType]:
    """The image decoded (unless it was) and the library that draws it; run in a thread."""
    library = graphics.load_library(headless)
    if library is None:
        raise images.ImagesUnavailable(images.NO_EXTRA)
    return decoded or images.decode(data), library


class Picture(Vertical, can_focus=True):
    BINDINGS = bindings("picture")
    DEFAULT_CSS = """
    Picture { height: auto; width: 1fr; padding-left: 2; }
    Picture .picture-note { color: $text-muted; }
    Picture:focus .picture-note { text-style: reverse; }
    Picture:focus { background: $boost; }
    Picture.attached {
        background: $primary 15%;
        border-left: outer $primary;
        padding: 0 1;
        margin: 0 8 0 0;
    }
    """

    @dataclass
    class BytesWanted(Message):
        picture: Picture
        item: ReturnedFile

    def __init__(
        self,
        title: str,
        key: str | None,
        *,
        load: Loader | None = None,
        item: ReturnedFile | None = None,
        max_rows: int = ROWS_IN_LOG,
        classes: str = "",
    ) -> None:
        """`key` names the image among those decoded and kept (its source; None: not kept);
        `load` gives its bytes, or without it `item` is asked of the screen."""
        super().__init__(classes=f"picture {classes}".strip())
        self.title = title
        self.key = key
        self._load = load
        self._item = item
        self.max_rows = max_rows
        self.decoded: DecodedImage | None = None
        self.problem: str | None = None
        self._library: ModuleType | None = None
        self._box: tuple[int, int] | None = None

    def compose(self) -> list[Widget]:
        return [Static(render.styled("loading the image…", "dim"), classes="picture-note")]

    def on_mount(self) -> None:
        if self.key is not None and self.key in _decoded:
            self._decode_later(b"")
        elif self._load is not None:
            self._fetch(self._load)
        elif self._item is not None:
            self.post_message(self.BytesWanted(self, self._item))

    def load_with(self, load: Loader) -> None:
        """The answer to `BytesWanted`: how to get the image's bytes."""
        self._fetch(load)

    @work(group="picture")
    async def _fetch(self, load: Loader) -> None:
        try:
            data = await load()
        except ImageProblem as exc:
            self.fail(str(exc))
            return
        except FlowiseError as exc:
            self.fail(hints.describe(exc))
            return
        self._decode_later(data)

    def fail(self, reason: str) -> None:
        self.problem = reason
        note = self.query_one(".picture-note", Static)
        note.update(render.styled(f"image not shown: {plain.line(reason, 200)}", "dim"))

    @work(group="picture")
    async def _decode_later(self, data: bytes) -> None:
        headless = self.app.is_headless
        cached = _decoded.get(self.key) if self.key is not None else None
        try:
            decoded, library = await asyncio.to_thread(_prepare, data, cached, headless)
        except ImageProblem as exc:
            self.fail(str(exc))
            return
        if self.key is not None:
            _decoded[self.key] = decoded
            _decoded.move_to_end(self.key)
            while len(_decoded) > CACHED:
                _decoded.popitem(last=False)
        self.decoded, self._library = decoded, library
        self._draw()

    def _draw(self) -> None:
        decoded, library = self.decoded, self._library
        if decoded is None or library is None or not self.is_attached:
            return
        headless = self.app.is_headless
        protocol = graphics.protocol_here(headless)
        cell = graphics.cell_for(protocol, headless)
        width = self.content_size.width or max(10, self.app.size.width - 8)
        picture = decoded.picture
        shape = graphics.box(picture.width, picture.height, width, self.max_rows, cell)
        if shape == self._box:
            return
        self._box = shape
        drawn = graphics.scaled(picture, protocol, *shape, headless)
        self.remove_children()
        self.mount(graphics.image_widget(library, protocol, drawn, *shape))
        about = f"{plain.line(self.title, 120)} · {decoded.describe} · Enter or a click: full view"
        self.tooltip = plain.content(about)

    def on_resize(self, event: events.Resize) -> None:
        self._draw()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        if self.decoded is None or self._library is None:
            self.notify(self.problem or "The image is not ready yet.", markup=False)
            return
        from flowise_tui.app.screens.picture_view import PictureScreen

        self.app.push_screen(PictureScreen(self.decoded, self.title, self._library))


def attached_picture(attachment: Attachment) -> Picture:
    """A file the user sent from this machine, read (bounded) when it is drawn."""
    path = attachment.path
    assert path is not None

    async def read() -> bytes:
        return await asyncio.to_thread(images.read_local, path)

    key = f"local:{path}:{attachment.size}"
    return Picture(attachment.label, key, load=read, max_rows=ROWS_OF_ATTACHED, classes="attached")
