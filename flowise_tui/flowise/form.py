"""Form starts: the form an agentflow's Start node asks for, and checking values against it.

An agentflow (v2) whose Start node has `startInputType: "formInput"` begins with a form
instead of a question. The form lives in the flow's `flowData` (the Start node's inputs
`formTitle`, `formDescription` and `formInputTypes`), which `GET /public-chatbotConfig/{id}`
returns without an API key. The first prediction sends `form: {name: value}` and an empty
question (Flowise refuses both at once); later turns of the chat send only questions and
Flowise reuses the form values it stored. The user's turn is stored as `name: value` lines.

Flowise 3.1.4 has no `required` flag on a field; one given in `flowData` is honoured.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flowise_tui.flowise.coerce import as_dict, as_list, as_str, json_value, load_json

if TYPE_CHECKING:
    from flowise_tui.flowise.models import ChatbotConfig

FIELD_KINDS = ("string", "number", "boolean", "options")
MAX_FIELDS = 100
MAX_OPTIONS = 500
MAX_TEXT = 500
MAX_FLOW_DATA_CHARS = 16 * 1024 * 1024
TRUE_WORDS = ("true", "yes", "y", "on", "1")
FALSE_WORDS = ("false", "no", "n", "off", "0")


class FormError(ValueError):
    """A flow's form that cannot be used (the message says why)."""


@dataclass(frozen=True, slots=True)
class FormField:
    name: str
    label: str
    kind: str
    options: tuple[str, ...] = ()
    required: bool = False

    @property
    def title(self) -> str:
        return self.label or self.name


@dataclass(frozen=True, slots=True)
class StartForm:
    title: str
    description: str
    fields: tuple[FormField, ...]

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


def _text(value: Any) -> str:
    """A label or name from the server: one line, bounded, no control characters."""
    text = as_str(value) if not isinstance(value, (int, float)) else str(value)
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return cleaned[:MAX_TEXT]


def _options(raw: Any) -> tuple[str, ...]:
    """`addOptions`: a list of `{"option": text}` (or plain strings), maybe as JSON text."""
    seen: list[str] = []
    for item in as_list(json_value(raw))[:MAX_OPTIONS]:
        option = _text(item.get("option") if isinstance(item, dict) else item)
        if option and option not in seen:
            seen.append(option)
    return tuple(seen)


def _field(raw: Any, index: int) -> FormField:
    data = as_dict(raw)
    name = _text(data.get("name"))
    if not name:
        raise FormError(f"Field {index + 1} of the form has no variable name.")
    kind = _text(data.get("type")).lower() or "string"
    if kind not in FIELD_KINDS:
        raise FormError(f"Field '{name}' has the type '{kind}', which this client cannot show.")
    options = _options(data.get("addOptions")) if kind == "options" else ()
    if kind == "options" and not options:
        raise FormError(f"Field '{name}' is a choice with no options.")
    required = data.get("required") is True or _text(data.get("required")).lower() == "true"
    return FormField(name, _text(data.get("label")), kind, options, required)


def _start_node(flow_data: Any) -> dict[str, Any] | None:
    if isinstance(flow_data, str):
        if len(flow_data) > MAX_FLOW_DATA_CHARS:
            raise FormError("The flow's definition is too large to read its form.")
        try:
            flow_data = load_json(flow_data)
        except ValueError:
            raise FormError("The flow's definition is not valid JSON.") from None
    for node in as_list(as_dict(flow_data).get("nodes")):
        data = as_dict(as_dict(node).get("data"))
        if data.get("name") == "startAgentflow":
            return data
    return None


def start_form(flow_data: Any) -> StartForm | None:
    """The form a flow starts with, from its `flowData` (JSON text or parsed), or None when
    it starts with a question. Raises FormError when it asks for a form that cannot be used."""
    start = _start_node(flow_data)
    inputs = as_dict(start.get("inputs")) if start else {}
    if inputs.get("startInputType") != "formInput":
        return None
    raw_fields = as_list(json_value(inputs.get("formInputTypes")))
    if not raw_fields:
        raise FormError("The flow starts with a form that has no fields.")
    if len(raw_fields) > MAX_FIELDS:
        raise FormError(f"The flow's form has {len(raw_fields)} fields; at most {MAX_FIELDS}.")
    fields = tuple(_field(raw, index) for index, raw in enumerate(raw_fields))
    names = [f.name for f in fields]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise FormError(f"The flow's form names the field '{repeated[0]}' twice.")
    return StartForm(_text(inputs.get("formTitle")), _text(inputs.get("formDescription")), fields)


def _number(text: str) -> int | float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return (
        int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
    )


def _boolean(value: str | bool) -> bool | None:
    if isinstance(value, bool):
        return value
    word = value.strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _check(field: FormField, raw: str | bool) -> tuple[Any, str | None]:
    """The value to send for one field, or the reason it is refused."""
    if field.kind == "boolean":
        flag = _boolean(raw)
        return (flag, None) if flag is not None else (None, "must be true or false")
    text = raw.strip() if isinstance(raw, str) else str(raw)
    if field.kind == "number":
        number = _number(text)
        return (number, None) if number is not None else (None, f"'{text}' is not a number")
    if field.kind == "options" and text not in field.options:
        return None, f"'{text}' is not one of: {', '.join(field.options)}"
    return text, None


def validate(
    form: StartForm, raw: Mapping[str, str | bool]
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """The `form` object to send and the problems found, in the form's field order.

    `raw` maps field names to what the user typed (or a checkbox's state). Empty text
    counts as not given: refused when the field is required, else left out. A boolean
    not given is sent as false, like an unticked checkbox. A name the form does not have
    is a problem, so are values of the wrong type, and an answer with no value at all
    (Flowise would then run the flow as if no form had been sent)."""
    problems = [
        FieldProblem(name, "the form has no such field") for name in raw if form.field(name) is None
    ]
    values: dict[str, Any] = {}
    for field in form.fields:
        given = raw.get(field.name)
        if isinstance(given, str) and not given.strip():
            given = None
        if given is None:
            if field.required:
                problems.append(FieldProblem(field.name, "is required"))
            elif field.kind == "boolean":
                values[field.name] = False
            continue
        value, problem = _check(field, given)
        if problem:
            problems.append(FieldProblem(field.name, problem))
        else:
            values[field.name] = value
    if not values and not problems:
        problems.append(FieldProblem(form.fields[0].name, "fill in at least one field"))
    return values, problems


def as_text(values: Mapping[str, Any]) -> str:
    """The values as Flowise stores the user's turn: one `name: value` line per field."""
    return "\n".join(f"{name}: {_shown(value)}" for name, value in values.items())


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def form_of_config(config: ChatbotConfig) -> StartForm | None:
    """The form a flow starts with, from `GET /public-chatbotConfig/{id}` (no key needed),
    which carries the flow's `flowData`; None when it starts with a question."""
    return start_form(config.raw.get("flowData"))
