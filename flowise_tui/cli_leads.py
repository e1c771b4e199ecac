"""`ask --lead KEY=VALUE`: the contact details a chatflow's lead form asks for, sent before
the question through the call the app's lead form uses. Without `--lead`, `ask` never waits
for a person: it says once on stderr that the flow asks, and how to answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flowise_tui.flowise.errors import FlowiseError
from flowise_tui.flowise.leads import FIELDS, LeadForm, lead_problem
from flowise_tui.terminal_text import for_terminal

if TYPE_CHECKING:
    from flowise_tui.flowise.client import FlowiseClient


class LeadRefused(Exception):
    """`--lead` values that cannot be sent; says which and why."""


def lead_answers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The `--lead` pairs as answers, each checked as the app's form checks it, or
    LeadRefused for the first one at fault, before anything is sent."""
    answers: dict[str, str] = {}
    for key, value in pairs:
        shown = for_terminal(key, one_line=True)
        if key not in FIELDS:
            raise LeadRefused(f"--lead {shown}: a lead has {', '.join(FIELDS)}.")
        if key in answers:
            raise LeadRefused(f"--lead {shown} is given twice.")
        problem = lead_problem(key, value)
        if problem is not None:
            raise LeadRefused(f"--lead {problem}.")
        answers[key] = value.strip()
    return answers


async def send_lead(
    client: FlowiseClient,
    chatflow_id: str,
    chat_id: str,
    answers: dict[str, str],
    *,
    answered_in_app: bool,
    say: Callable[[str], None],
) -> None:
    """Send `answers` when the flow asks for a lead; without answers, `say` that it asks
    (unless the app already answered or skipped its form). The chatbot config is read only
    when there is something to send or to say; a config that cannot be read says nothing."""
    if not answers and answered_in_app:
        return
    try:
        form = LeadForm.from_chatbot_config((await client.chatbot_config(chatflow_id)).raw)
    except FlowiseError:
        form = None
    if form is None:
        if answers:
            say("warning: this chatflow asks for no contact details; --lead was not sent.")
        return
    if not answers:
        asked = ", ".join(form.fields)
        how = " ".join(f"--lead {field}=..." for field in form.fields)
        say(f"this chatflow asks for contact details ({asked}): give them with {how}")
        return
    missing = [field for field in form.fields if field not in answers]
    extra = [field for field in answers if field not in form.fields]
    if missing or extra:
        wanted = ", ".join(form.fields)
        raise LeadRefused(f"this chatflow's lead form asks for exactly {wanted}.")
    await client.add_lead(chatflow_id, chat_id, answers)
    thanks = for_terminal(form.success_message or "", one_line=True)
    say(f"contact details sent{': ' + thanks if thanks else '.'}")
