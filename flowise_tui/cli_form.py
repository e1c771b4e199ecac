"""`ask --form KEY=VALUE`: the form values to send, checked against the flow's form first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flowise_tui.flowise.form import (
    FormError,
    FormField,
    StartForm,
    as_text,
    form_of_config,
    validate,
)
from flowise_tui.terminal_text import for_terminal

if TYPE_CHECKING:
    from flowise_tui.flowise.client import FlowiseClient


class FormRefused(Exception):
    """Values that the flow's form does not accept, or a flow without a form; says which."""


async def checked_form(
    client: FlowiseClient, chatflow_id: str, pairs: list[tuple[str, str]]
) -> dict[str, Any]:
    """The `form` object for the prediction, or FormRefused naming the field at fault."""
    try:
        form = form_of_config(await client.chatbot_config(chatflow_id))
    except FormError as exc:
        raise FormRefused(f"the chatflow's form cannot be used: {exc}") from None
    if form is None:
        raise FormRefused("this chatflow starts with a question, not a form: drop --form.")
    given: dict[str, str] = {}
    for key, value in pairs:
        if key in given:
            problem = f"--form {for_terminal(key, one_line=True)} is given twice"
            raise FormRefused(f"{problem}. The form's fields: {_fields(form)}.")
        given[key] = value
    values, problems = validate(form, given)
    if problems:
        lines = [f"--form {for_terminal(str(problem), one_line=True)}" for problem in problems]
        raise FormRefused("; ".join(lines) + f". The form's fields: {_fields(form)}.")
    return values


def _fields(form: StartForm) -> str:
    return ", ".join(_described(field) for field in form.fields)


def _described(field: FormField) -> str:
    kind = "one of " + "|".join(field.options) if field.kind == "options" else field.kind
    mark = ", required" if field.required else ""
    return for_terminal(f"{field.name} ({kind}{mark})", one_line=True)


__all__ = ["FormRefused", "as_text", "checked_form"]
