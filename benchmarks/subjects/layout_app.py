"""A second startup baseline: stock Textual widgets in flowise-tui's first-screen layout
(a side panel with a title, a filter, a note and a list; a bar, a log with a welcome text,
a prompt; a footer with the same keys), doing nothing else. What any app of this shape
pays to start, before its own work."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, OptionList, Static, TextArea

from benchmarks.subjects import LAYOUT


class LayoutApp(App[None]):
    CSS = """
    #sidebar {
        width: 34;
        dock: left;
        background: $panel;
        border-right: vkey $foreground 10%;
        padding: 0 1;
    }
    #log { height: 1fr; }
    #prompt { height: 3; }
    """
    BINDINGS = [
        Binding("ctrl+n", "bell", "New chat"),
        Binding("ctrl+b", "bell", "Chatflows"),
        Binding("ctrl+o", "bell", "History"),
        Binding("ctrl+s", "bell", "Export"),
        Binding("f2", "bell", "Connect"),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="sidebar"):
                yield Static("Chatflows")
                yield Input(placeholder="Filter, or paste an id")
                yield Static("Loading…")
                yield OptionList()
            with Vertical():
                yield Static("No chatflow yet")
                with VerticalScroll(id="log"):
                    yield Static("Welcome")
                yield TextArea(id="prompt", placeholder=LAYOUT.ready)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()


if __name__ == "__main__":
    LayoutApp().run()
