"""The form a flow starts with: one widget per field, checked before it is sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static

from flowise_tui.app import plain, render
from flowise_tui.app.actions import KEY_NAMES, bindings
from flowise_tui.app.screens.dialog import Dialog
from flowise_tui.flowise.form import FormField, StartForm, validate

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widget import Widget


def field_id(index: int) -> str:
    """Widget ids by position: field names are server text, never widget ids."""
    return f"form-field-{index}"


class FormScreen(Dialog[dict[str, Any] | None]):
    """Dismisses with the `form` object to send, or None when cancelled."""

    BINDINGS = bindings("form")

    def __init__(self, form: StartForm, flow_name: str) -> None:
        super().__init__()
        self.form = form
        self.flow_name = flow_name

    def compose(self) -> ComposeResult:
        with Vertical(id="start-form") as box:
            box.border_title = plain.line(self.form.title or self.flow_name, 60)
            if self.form.description:
                yield Static(render.plain(self.form.description), id="form-description")
            with VerticalScroll(id="form-fields"):
                for index, field in enumerate(self.form.fields):
                    yield Label(render.plain(self._label(field)), classes="form-label")
                    yield self._widget(field, field_id(index))
                    yield Static("", id=f"{field_id(index)}-problem", classes="form-problem")
            send = KEY_NAMES["form.submit"]
            required = "* required. " if any(f.required for f in self.form.fields) else ""
            yield Static(
                f"{required}Enter in a text field or {send} sends, Esc cancels.", id="form-help"
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(f"#{field_id(0)}").focus()

    @staticmethod
    def _label(field: FormField) -> str:
        mark = " *" if field.required else ""
        kind = {"number": " (number)"}.get(field.kind, "")
        return plain.line(field.title, 80) + kind + mark

    @staticmethod
    def _widget(field: FormField, widget_id: str) -> Widget:
        if field.kind == "boolean":
            return Checkbox("yes", id=widget_id)
        if field.kind == "options":
            choices = [(plain.content(plain.line(option, 60)), option) for option in field.options]
            return Select(choices, prompt="Choose…", id=widget_id)
        if field.kind == "number":
            return Input(placeholder="a number", type="number", id=widget_id)
        return Input(id=widget_id)

    def raw_values(self) -> dict[str, str | bool]:
        values: dict[str, str | bool] = {}
        for index, field in enumerate(self.form.fields):
            widget = self.query_one(f"#{field_id(index)}")
            if isinstance(widget, Checkbox):
                values[field.name] = widget.value
            elif isinstance(widget, Select):
                chosen = widget.value
                values[field.name] = chosen if isinstance(chosen, str) else ""
            elif isinstance(widget, Input):
                values[field.name] = widget.value
        return values

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        values, problems = validate(self.form, self.raw_values())
        said = {problem.name: problem.message for problem in problems}
        for index, field in enumerate(self.form.fields):
            shown = self.query_one(f"#{field_id(index)}-problem", Static)
            message = said.get(field.name, "")
            text = plain.line(f"{field.title} {message}", 120) if message else ""
            shown.update(render.plain(text))
            shown.display = bool(message)
        if problems:
            first = next(i for i, f in enumerate(self.form.fields) if f.name in said)
            self.query_one(f"#{field_id(first)}").focus()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
