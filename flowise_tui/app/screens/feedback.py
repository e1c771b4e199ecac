"""Ask for an optional comment to go with a thumbs up or down."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.containers import Vertical
from textual.widgets import Input, Static

from flowise_tui.app.actions import bindings
from flowise_tui.app.screens.dialog import Dialog

if TYPE_CHECKING:
    from textual.app import ComposeResult


class FeedbackScreen(Dialog[str | None]):
    """Dismisses with the comment ('' for none), or None when cancelled."""

    BINDINGS = bindings("feedback")

    def __init__(self, rating: str) -> None:
        super().__init__()
        self.rating = rating

    def compose(self) -> ComposeResult:
        thumbs = "👍" if self.rating == "THUMBS_UP" else "👎"
        with Vertical(id="feedback") as box:
            box.border_title = f"{thumbs} Feedback"
            yield Static("A comment (optional). Enter sends, Esc cancels.")
            yield Input(placeholder="What was good or bad?", id="comment")

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
