"""The lead form a chatflow asks for before the first message: fill it in, or skip it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from flowise_tui.app import plain
from flowise_tui.app.actions import bindings
from flowise_tui.app.screens.dialog import Dialog
from flowise_tui.flowise.leads import LeadForm, lead_problem

if TYPE_CHECKING:
    from textual.app import ComposeResult

LABELS = {"name": "Name", "email": "Email", "phone": "Phone"}


class LeadScreen(Dialog[dict[str, str] | None]):
    """Dismisses with the answers, or None when skipped."""

    BINDINGS = bindings("lead")
    DEFAULT_CSS = """
    LeadScreen { align: center middle; }
    #lead {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        overflow-y: auto; border: round $accent; background: $surface; padding: 1 2;
    }
    #lead Label { margin-top: 1; color: $text-muted; }
    #lead-problem { color: $error; height: auto; }
    #lead-buttons { height: auto; dock: bottom; }
    #lead-buttons Button { margin-right: 1; }
    """

    def __init__(self, form: LeadForm) -> None:
        super().__init__()
        self.form = form

    def compose(self) -> ComposeResult:
        with Vertical(id="lead") as box:
            box.border_title = "Contact details"
            yield Static(plain.text(self.form.title or "Let us know who you are."), markup=False)
            for field in self.form.fields:
                yield Label(LABELS[field])
                yield Input(id=f"lead-{field}", max_length=200)
            yield Static("", id="lead-problem", markup=False)
            with Horizontal(id="lead-buttons"):
                yield Button("Send", id="lead-send", variant="primary")
                yield Button("Skip", id="lead-skip")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_send()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "lead-send":
            self.action_send()
        else:
            self.action_skip()

    def action_send(self) -> None:
        answers = {f: self.query_one(f"#lead-{f}", Input).value for f in self.form.fields}
        for field, value in answers.items():
            problem = lead_problem(field, value)
            if problem:
                self.query_one("#lead-problem", Static).update(problem)
                self.query_one(f"#lead-{field}", Input).focus()
                return
        self.dismiss(answers)

    def action_skip(self) -> None:
        self.dismiss(None)
