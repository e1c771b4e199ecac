"""The startup baseline: a minimal Textual app with one input, nothing else."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from benchmarks.subjects import MINIMAL

READY = MINIMAL.ready


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(placeholder=READY)


if __name__ == "__main__":
    MinimalApp().run()
