"""An image full-screen: as large as the screen allows (never larger than its own pixels)."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from textual.containers import Center, Vertical
from textual.widgets import Static

from flowise_tui.app import graphics, plain, render
from flowise_tui.app.actions import bindings
from flowise_tui.app.screens.dialog import Dialog

if TYPE_CHECKING:
    from textual import events
    from textual.app import ComposeResult

    from flowise_tui.images import DecodedImage


class PictureScreen(Dialog[None]):
    BINDINGS = bindings("pictureview")
    DEFAULT_CSS = """
    #picture-view { border: round $accent; background: $surface; height: 1fr; }
    #picture-view .picture-about { color: $text-muted; height: 1; }
    #picture-frame { height: 1fr; }
    """

    def __init__(self, decoded: DecodedImage, title: str, library: ModuleType) -> None:
        super().__init__()
        self.decoded = decoded
        self.title_text = title
        self._library = library
        self._box: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="picture-view") as view:
            view.border_title = plain.content(plain.line(self.title_text, 120))
            view.border_subtitle = "Esc closes"
            yield Static(render.plain(self.decoded.describe), classes="picture-about")
            yield Center(id="picture-frame")

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._draw)

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        self.call_after_refresh(self._draw)

    def _draw(self) -> None:
        frame = self.query_one("#picture-frame", Center)
        room = frame.content_size
        if not room.width or not room.height:
            return
        headless = self.app.is_headless
        protocol = graphics.protocol_here(headless)
        cell = graphics.cell_for(protocol, headless)
        picture = self.decoded.picture
        shape = graphics.box(picture.width, picture.height, room.width, room.height, cell)
        if shape == self._box:
            return
        self._box = shape
        drawn = graphics.scaled(picture, protocol, *shape, headless)
        frame.remove_children()
        frame.mount(graphics.image_widget(self._library, protocol, drawn, *shape))
