"""Ask for the comment a Human Input node wants with a decision (its "Enable Feedback")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.containers import Vertical
from textual.widgets import Input, Static

from flowise_tui.app import plain
from flowise_tui.app.actions import bindings
from flowise_tui.app.screens.dialog import Dialog

if TYPE_CHECKING:
    from textual.app import ComposeResult

COMMENT_LIMIT = 4000
"""Characters of a comment at most: it goes to the flow as the decision's `feedback`."""


class DecisionCommentScreen(Dialog[str | None]):
    """Dismisses with the comment ('' for none), or None: Esc cancels the decision itself,
    and the flow goes on waiting. Its keys are the feedback dialog's (the same Esc)."""

    BINDINGS = bindings("feedback")

    def __init__(self, *, proceed: bool, label: str) -> None:
        super().__init__()
        self.proceed = proceed
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical(id="decision-comment") as box:
            mark = "✓" if self.proceed else "✗"
            box.border_title = plain.content(f"{mark} {plain.line(self.label, 40)}")
            yield Static(
                "The flow asks for a comment with your decision."
                " Enter sends both, Esc cancels the decision.",
                markup=False,
            )
            yield Input(
                placeholder="Your comment (optional)",
                id="decision-comment-input",
                max_length=COMMENT_LIMIT,
            )

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
