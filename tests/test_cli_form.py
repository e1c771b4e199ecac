"""`ask --form KEY=VALUE` against the demo server's form-start agentflow, over loopback."""

from __future__ import annotations

import json

import pytest

from flowise_tui.cli import main

FORM_FLOW = "Cake Order Form"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_form_values_are_sent_typed_and_answered(capsys, demo_url: str) -> None:
    code, out, err = run(
        capsys,
        "ask",
        "--url",
        demo_url,
        FORM_FLOW,
        "--form",
        "customerName=Ada",
        "--form",
        "cake=carrot cake",
        "--form",
        "slices=4",
        "--form",
        "giftWrap=no",
        "--json",
    )
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    text = "".join(e["data"] for e in events if e["event"] == "token")
    assert "**Ada**" in text and "4 slices of carrot cake" in text and "plain box" in text
    start = next(e for e in events if e["event"] == "agentFlowExecutedData")["data"][0]
    assert start["data"]["output"]["form"] == (
        "customerName: Ada\ncake: carrot cake\nslices: 4\ngiftWrap: false"
    )


def test_the_next_turn_is_a_question_that_keeps_the_form(capsys, demo_url: str) -> None:
    session = "7f1d0c1e-5a55-4c3b-9d7e-0b8f3d2a9e11"
    first = ("ask", "--url", demo_url, FORM_FLOW, "--session", session)
    code, _, err = run(capsys, *first, "--form", "customerName=Bo", "--form", "cake=lemon tart")
    assert code == 0, err
    code, out, err = run(capsys, *first, "Can I pick it up at noon?")
    assert code == 0, err
    assert "**Bo**" in out and "lemon tart" in out and "pick it up at noon" in out


@pytest.mark.parametrize(
    ("form", "says"),
    [
        (["slices=many"], "--form slices: 'many' is not a number"),
        (["cake=pie"], "--form cake: 'pie' is not one of: lemon tart, chocolate cake"),
        (["giftWrap=perhaps"], "--form giftWrap: must be true or false"),
        (["colour=red"], "--form colour: the form has no such field"),
        (["cake=lemon tart", "cake=carrot cake", "slices=x"], "--form cake is given twice"),
    ],
)
def test_bad_values_are_refused_before_asking(capsys, demo_url: str, form, says) -> None:
    argv = ["ask", "--url", demo_url, FORM_FLOW]
    for pair in form:
        argv += ["--form", pair]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert says in err
    assert "customerName (string)" in err


def test_a_question_and_a_form_or_neither_is_a_usage_error(capsys, demo_url: str) -> None:
    code, _, err = run(capsys, "ask", "--url", demo_url, FORM_FLOW, "Hi", "--form", "cake=pie")
    assert code == 2 and "give a question, or --form" in err
    code, _, err = run(capsys, "ask", "--url", demo_url, FORM_FLOW)
    assert code == 2 and "give a question, or --form" in err


def test_a_flow_without_a_form_refuses_form_values(capsys, demo_url: str) -> None:
    code, _, err = run(capsys, "ask", "--url", demo_url, "Demo Chat", "--form", "a=b")
    assert code == 2 and "starts with a question, not a form" in err
