"""The line under an answer that was spoken in its stream: the audio file, Save and Open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from flowise_tui.app import plain, render
from flowise_tui.flowise.uploads import human_size

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from flowise_tui.conversation import Turn


class SpeechLine(Horizontal):
    """`Speech: flowise-answer-….mp3 (12.3 KB)  [Save] [Open]`; the screen does the saving
    and opening (`app/runtime.py`)."""

    DEFAULT_CSS = """
    SpeechLine { height: 1; }
    SpeechLine #speech-file { width: 1fr; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    SpeechLine Button { width: auto; min-width: 6; height: 1; margin-left: 1; }
    """

    @dataclass
    class Requested(Message):
        turn: Turn
        open: bool
        """Open the file with the system's player; else save a copy in the current folder."""

    def __init__(self, turn: Turn) -> None:
        super().__init__(id="speech-line")
        self.turn = turn

    def compose(self) -> ComposeResult:
        speech = self.turn.speech
        label = f"{middle_cut(speech.name)} ({human_size(speech.size)})" if speech else ""
        yield Static(render.styled(f"Speech: {label}", "dim"), id="speech-file", markup=False)
        yield Button("Save", id="speech-save", compact=True)
        yield Button("Open", id="speech-open", compact=True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Requested(self.turn, open=event.button.id == "speech-open"))


def middle_cut(name: str, limit: int = 44) -> str:
    """`name` on one line, its middle left out when longer than `limit` (the end, with the
    format, stays)."""
    name = plain.line(name, 500)
    if len(name) <= limit:
        return name
    keep = (limit - 1) // 2
    return f"{name[:keep]}…{name[-keep:]}"
