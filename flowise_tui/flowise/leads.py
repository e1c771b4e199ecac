"""Lead capture: the contact form a chatbot config can ask for before the first message.

Flowise 3.1.4 keeps it in the chatbot config (`GET /public-chatbotConfig/{id}`):

    "leads": {"status": true, "title": "...", "name": true, "email": true, "phone": false,
              "successMessage": "..."}

and takes the answers at `POST /api/v1/leads` (no API key needed) as
`{"chatflowid", "chatId", "name", "email", "phone"}`; it stores only those fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flowise_tui.flowise.coerce import as_bool, as_dict, opt_str

FIELDS = ("name", "email", "phone")
MAX_FIELD_CHARS = 200
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_PHONE = re.compile(r"[0-9+()./ -]{3,40}\Z")


@dataclass(frozen=True, slots=True)
class LeadForm:
    """What the flow asks for; `fields` in the order a form shows them."""

    title: str | None
    fields: tuple[str, ...]
    success_message: str | None

    @classmethod
    def from_chatbot_config(cls, config: Any) -> LeadForm | None:
        """The form a chatbot config asks for, or None when lead capture is off."""
        leads = as_dict(as_dict(config).get("leads"))
        if not as_bool(leads.get("status")):
            return None
        fields = tuple(name for name in FIELDS if as_bool(leads.get(name)))
        if not fields:
            return None
        return cls(opt_str(leads.get("title")), fields, opt_str(leads.get("successMessage")))


def lead_problem(field: str, value: str) -> str | None:
    """Why `value` is not a usable answer for `field`, or None."""
    value = value.strip()
    if not value:
        return f"{field} is empty"
    if len(value) > MAX_FIELD_CHARS:
        return f"{field} is longer than {MAX_FIELD_CHARS} characters"
    if field == "email" and not _EMAIL.match(value):
        return "email is not an address like name@example.com"
    if field == "phone" and not _PHONE.match(value):
        return "phone may hold only digits, spaces and + ( ) . / -"
    return None


def lead_body(chatflow_id: str, chat_id: str, answers: dict[str, str]) -> dict[str, str]:
    body = {"chatflowid": chatflow_id, "chatId": chat_id}
    body.update({name: answers[name].strip() for name in FIELDS if name in answers})
    return body
