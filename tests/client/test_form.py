"""Form starts: reading the Start node's form from flowData, and checking values against it."""

from __future__ import annotations

import json

import pytest

from flowise_tui.flowise.form import (
    MAX_FIELDS,
    FormError,
    as_text,
    start_form,
    validate,
)
from tests.replay import WIRE


def flow_with(inputs: dict[str, object]) -> str:
    start = {"id": "startAgentflow_0", "data": {"name": "startAgentflow", "inputs": inputs}}
    other = {"id": "llmAgentflow_0", "data": {"name": "llmAgentflow", "inputs": {}}}
    return json.dumps({"nodes": [other, start], "edges": []})


def form_flow(*fields: dict[str, object], **extra: object) -> str:
    return flow_with({"startInputType": "formInput", "formInputTypes": list(fields), **extra})


NAME = {"type": "string", "label": "Name", "name": "name", "addOptions": ""}
AGE = {"type": "number", "label": "Age", "name": "age", "addOptions": ""}
OK = {"type": "boolean", "label": "OK", "name": "ok", "addOptions": ""}
TOPIC = {
    "type": "options",
    "label": "Topic",
    "name": "topic",
    "addOptions": [{"option": "a"}, {"option": "b"}],
}


def test_the_recorded_lab_flow_gives_its_form() -> None:
    config = json.loads((WIRE / "form_chatbot_config.json").read_text())
    form = start_form(config["flowData"])
    assert form is not None
    assert form.title == "Contact request"
    assert form.description == "Tell us who you are and what about"
    assert [(f.name, f.kind) for f in form.fields] == [
        ("userName", "string"),
        ("age", "number"),
        ("subscribe", "boolean"),
        ("topic", "options"),
    ]
    assert form.field("topic").options == ("billing", "support", "sales")
    assert not any(f.required for f in form.fields)


def test_the_same_form_comes_from_the_authenticated_get() -> None:
    flow = json.loads((WIRE / "form_chatflow_get.json").read_text())
    public = json.loads((WIRE / "form_chatbot_config.json").read_text())
    assert start_form(flow["flowData"]) == start_form(public["flowData"])


def test_a_chat_start_or_a_chatflow_has_no_form() -> None:
    assert start_form(flow_with({"startInputType": "chatInput"})) is None
    listed = json.loads((WIRE / "chatflow_get_agentflow.json").read_text())
    assert start_form(listed["flowData"]) is None
    assert start_form(json.dumps({"nodes": []})) is None


@pytest.mark.parametrize(
    ("flow_data", "says"),
    [
        ("{not json", "not valid JSON"),
        (form_flow(), "no fields"),
        (form_flow({"type": "string", "label": "x"}), "no variable name"),
        (form_flow({"type": "date", "name": "when"}), "'date'"),
        (form_flow({"type": "options", "name": "pick", "addOptions": ""}), "no options"),
        (form_flow(NAME, NAME), "'name' twice"),
        (form_flow(*[{"name": f"f{i}"} for i in range(MAX_FIELDS + 1)]), "at most"),
    ],
)
def test_an_unusable_form_is_a_clear_error(flow_data: str, says: str) -> None:
    with pytest.raises(FormError, match=says):
        start_form(flow_data)


def test_server_text_is_made_one_bounded_line() -> None:
    field = {"type": "string", "name": "n\x1b[31m", "label": "L\nabel" + "x" * 2000}
    form = start_form(form_flow(field, formTitle="T\x07itle"))
    assert form is not None
    assert form.fields[0].name == "n [31m"
    assert form.fields[0].label.startswith("L abel") and len(form.fields[0].label) == 500
    assert form.title == "T itle"


def test_form_input_types_as_json_text_and_a_required_flag_are_read() -> None:
    field = dict(NAME, required=True)
    form = start_form(
        flow_with({"startInputType": "formInput", "formInputTypes": json.dumps([field])})
    )
    assert form is not None and form.fields[0].required


def full_form():
    form = start_form(form_flow(NAME, AGE, OK, TOPIC))
    assert form is not None
    return form


def test_valid_values_are_typed_in_field_order() -> None:
    values, problems = validate(
        full_form(), {"topic": "b", "ok": "yes", "age": "36", "name": " Ada "}
    )
    assert problems == []
    assert values == {"name": "Ada", "age": 36, "ok": True, "topic": "b"}
    assert list(values) == ["name", "age", "ok", "topic"]
    assert as_text(values) == "name: Ada\nage: 36\nok: true\ntopic: b"


def test_numbers_keep_their_fraction_and_refuse_words() -> None:
    values, _ = validate(full_form(), {"age": "2.5"})
    assert values["age"] == 2.5
    _, problems = validate(full_form(), {"age": "old"})
    assert [str(p) for p in problems] == ["age: 'old' is not a number"]
    _, problems = validate(full_form(), {"age": "nan"})
    assert [p.name for p in problems] == ["age"]


def test_wrong_values_name_their_field() -> None:
    _, problems = validate(full_form(), {"ok": "maybe", "topic": "c", "colour": "red"})
    assert [(p.name, p.message) for p in problems] == [
        ("colour", "the form has no such field"),
        ("ok", "must be true or false"),
        ("topic", "'c' is not one of: a, b"),
    ]


def test_empty_text_is_not_given_and_an_unticked_box_is_false() -> None:
    values, problems = validate(full_form(), {"name": "  ", "ok": False})
    assert problems == [] and values == {"ok": False}
    values, _ = validate(full_form(), {"name": "Ada"})
    assert values == {"name": "Ada", "ok": False}


def test_required_fields_and_an_empty_answer_are_refused() -> None:
    form = start_form(form_flow(dict(NAME, required=True), AGE))
    assert form is not None
    _, problems = validate(form, {"age": "3"})
    assert [str(p) for p in problems] == ["name: is required"]
    _, problems = validate(form, {})
    assert [str(p) for p in problems] == ["name: is required"]
    only_age = start_form(form_flow(AGE))
    assert only_age is not None
    _, problems = validate(only_age, {})
    assert [str(p) for p in problems] == ["age: fill in at least one field"]
