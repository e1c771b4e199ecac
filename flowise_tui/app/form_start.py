"""A chat that starts with a form: read the flow's form, and the words the chat shows for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowise_tui.app import plain
from flowise_tui.flowise.form import FormError, StartForm, form_of_config

if TYPE_CHECKING:
    from flowise_tui.flowise.models import ChatbotConfig

FILL_IN = "Fill in the form…"


def read_form(config: ChatbotConfig) -> tuple[StartForm | None, str | None]:
    """The flow's start form, or None; and a message when the flow has one that cannot be used."""
    try:
        return form_of_config(config), None
    except FormError as exc:
        return None, f"This flow starts with a form that cannot be shown: {exc}"


def welcome(form: StartForm, said: str | None) -> str:
    """The welcome text of a chat that starts with `form`."""
    about = " — ".join(plain.line(part, 200) for part in (form.title, form.description) if part)
    lines = [said] if said else []
    lines.append(f"This flow starts with a form{': ' + about if about else ''}.")
    lines.append(f"Choose “{FILL_IN}” below, or send anything from the prompt, to fill it in.")
    return "\n".join(lines)
