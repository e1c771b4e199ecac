"""The demo's form-start agentflow: its Start node's form as Flowise 3.1.4 stores it."""

from __future__ import annotations

FORM_TITLE = "Cake order"
FORM_DESCRIPTION = "Tell the bakery what to bake"
FORM_FIELDS: tuple[dict[str, object], ...] = (
    {"type": "string", "label": "Your name", "name": "customerName", "addOptions": ""},
    {
        "type": "options",
        "label": "Cake",
        "name": "cake",
        "addOptions": [
            {"option": "lemon tart"},
            {"option": "chocolate cake"},
            {"option": "carrot cake"},
        ],
    },
    {"type": "number", "label": "Slices", "name": "slices", "addOptions": ""},
    {"type": "boolean", "label": "Gift wrap", "name": "giftWrap", "addOptions": ""},
)


def start_inputs(kind: str) -> dict[str, object]:
    """The Start node's inputs of a demo flow of this kind (empty for a chat start)."""
    if kind != "form":
        return {}
    return {
        "startInputType": "formInput",
        "formTitle": FORM_TITLE,
        "formDescription": FORM_DESCRIPTION,
        "formInputTypes": [dict(field) for field in FORM_FIELDS],
        "startEphemeralMemory": "",
        "startState": "",
        "startPersistState": "",
    }


def form_lines(form: dict[str, object]) -> str:
    """Form values as Flowise writes them into the user's turn: `name: value` per line."""
    return "\n".join(f"{key}: {_shown(value)}" for key, value in form.items())


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
