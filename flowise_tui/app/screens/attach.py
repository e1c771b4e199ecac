"""Ask for the path of a file to attach, with completion of folders and file names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.containers import Vertical
from textual.widgets import Input, Static

from flowise_tui.app.actions import bindings
from flowise_tui.app.paths import PathSuggester
from flowise_tui.app.screens.dialog import Dialog

if TYPE_CHECKING:
    from textual.app import ComposeResult


class PathInput(Input):
    """Tab takes the suggested completion (Right at the end does too)."""

    BINDINGS = bindings("path")

    def action_complete(self) -> None:
        if self._suggestion:
            self.value = self._suggestion
            self.cursor_position = len(self.value)


class AttachScreen(Dialog[str | None]):
    """Dismisses with the path typed, or None when cancelled."""

    BINDINGS = bindings("attach")

    def __init__(self, accepted: str) -> None:
        super().__init__()
        self.accepted = accepted

    def compose(self) -> ComposeResult:
        with Vertical(id="attach") as box:
            box.border_title = "Attach a file"
            yield Static(
                f"This chatflow accepts: {self.accepted}.", id="attach-accepts", markup=False
            )
            yield Static("Tab completes, Enter attaches, Esc cancels.", classes="hint")
            yield PathInput(placeholder="~/path/to/file", suggester=PathSuggester(), id="path")

    @on(Input.Submitted)
    def _path_given(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
