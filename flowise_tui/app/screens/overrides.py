"""Edit one chatflow's runtime overrides: vars as KEY=VALUE rows and an overrideConfig JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static, TextArea

from flowise_tui.app import plain
from flowise_tui.app.actions import bindings
from flowise_tui.app.screens.dialog import Dialog
from flowise_tui.config_overrides import FlowSettings, parse_override, parse_var

if TYPE_CHECKING:
    from textual.app import ComposeResult


class OverridesScreen(Dialog[FlowSettings | None]):
    """Dismisses with the edited settings (the lead state kept), or None when cancelled."""

    BINDINGS = bindings("overrides")
    DEFAULT_CSS = """
    OverridesScreen { align: center middle; }
    #overrides {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        overflow-y: auto; border: round $accent; background: $surface; padding: 1 2;
    }
    #overrides TextArea { height: 5; }
    #overrides Label { margin-top: 1; color: $text-muted; }
    #overrides-problem { color: $error; height: auto; }
    #overrides-buttons { height: auto; dock: bottom; }
    #overrides-buttons Button { margin-right: 1; }
    """

    def __init__(self, flow_name: str, settings: FlowSettings) -> None:
        super().__init__()
        self.flow_name = flow_name
        self.settings = settings

    def compose(self) -> ComposeResult:
        rows = "\n".join(f"{key}={value}" for key, value in self.settings.vars.items())
        override = json.dumps(self.settings.override, indent=2) if self.settings.override else ""
        with Vertical(id="overrides") as box:
            box.border_title = f"Overrides for {plain.name(self.flow_name)}"
            yield Static(
                "Sent with every question to this chatflow. The flow must allow each one "
                "(its Security > Override Config), or Flowise ignores it."
            )
            yield Label("Variables ($vars.KEY), one KEY=VALUE a line")
            yield TextArea(rows, id="overrides-vars", soft_wrap=False)
            yield Label('overrideConfig, a JSON object, e.g. {"temperature": 0.2}')
            yield TextArea(override, id="overrides-json", language=None, soft_wrap=False)
            yield Static("", id="overrides-problem", markup=False)
            with Horizontal(id="overrides-buttons"):
                yield Button("Save", id="overrides-save", variant="primary")
                yield Button("Clear all", id="overrides-clear")
                yield Button("Cancel", id="overrides-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "overrides-save":
            self.action_save()
        elif event.button.id == "overrides-clear":
            self.dismiss(FlowSettings(lead=self.settings.lead))
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        try:
            settings = self.edited()
        except ValueError as exc:
            self.query_one("#overrides-problem", Static).update(plain.text(str(exc)))
            return
        self.dismiss(settings)

    def edited(self) -> FlowSettings:
        """The settings as typed; a ValueError that says which line or what is wrong."""
        variables: dict[str, str] = {}
        text = self.query_one("#overrides-vars", TextArea).text
        for number, row in enumerate(text.splitlines(), 1):
            if row.strip():
                try:
                    key, value = parse_var(row)
                except ValueError as exc:
                    raise ValueError(f"Variables, line {number}: {exc}") from None
                variables[key] = value
        override = parse_override(self.query_one("#overrides-json", TextArea).text)
        return FlowSettings(vars=variables, override=override, lead=self.settings.lead)

    def action_cancel(self) -> None:
        self.dismiss(None)
