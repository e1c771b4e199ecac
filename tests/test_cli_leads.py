"""`ask --lead KEY=VALUE` against the demo's "Leads Desk" over loopback: the lead is stored
with the conversation's chat id before the question; without flags one note, no prompt."""

from __future__ import annotations

import httpx
import pytest

from flowise_tui.cli import main
from flowise_tui.config_overrides import FlowSettings
from flowise_tui.demo.flows import CHAT_FLOW_ID, LEADS_FLOW_ID
from tests.test_cli_runtime import save


def ask(capsys: pytest.CaptureFixture[str], demo_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["ask", "--url", demo_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def leads_of(demo_url: str, session: str) -> list[dict[str, object]]:
    reply = httpx.get(f"{demo_url}/api/v1/leads/{LEADS_FLOW_ID}")
    reply.raise_for_status()
    return [lead for lead in reply.json() if lead["chatId"] == session]


def test_lead_flags_are_sent_before_the_question(capsys, demo_url: str) -> None:
    code, out, err = ask(
        capsys,
        demo_url,
        *("--session", "lead-cli-1", "--lead", "name=Ada Lovelace"),
        *("--lead", "email= ada@example.com ", LEADS_FLOW_ID, "hello"),
    )
    assert code == 0 and out.strip()
    assert "contact details sent: Thanks, we will be in touch." in err
    [lead] = leads_of(demo_url, "lead-cli-1")
    assert (lead["name"], lead["email"]) == ("Ada Lovelace", "ada@example.com")
    assert "phone" not in lead
    stored = httpx.get(f"{demo_url}/api/v1/chatmessage/{LEADS_FLOW_ID}?chatId=lead-cli-1").json()
    # as Flowise's web chat does, the question carries the lead's email
    assert [m["leadEmail"] for m in stored] == ["ada@example.com", None]


def test_without_flags_ask_says_once_how_to_give_them(capsys, demo_url: str) -> None:
    code, out, err = ask(capsys, demo_url, "--session", "lead-cli-2", LEADS_FLOW_ID, "hello")
    assert code == 0 and out.strip()
    notes = [line for line in err.splitlines() if "contact details" in line]
    assert notes == [
        "flowise-tui: this chatflow asks for contact details (name, email): "
        "give them with --lead name=... --lead email=..."
    ]
    assert leads_of(demo_url, "lead-cli-2") == []


def test_a_form_answered_in_the_app_is_not_asked_again(capsys, demo_url: str) -> None:
    save("default", LEADS_FLOW_ID, FlowSettings(lead="skipped"))
    code, _, err = ask(capsys, demo_url, LEADS_FLOW_ID, "hello")
    assert code == 0 and "contact details" not in err


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        (["--lead", "email=not-an-address", "--lead", "name=A"], "--lead email is not an address"),
        (["--lead", "fax=1"], "--lead fax: a lead has name, email, phone."),
        (["--lead", "name=A", "--lead", "name=B"], "--lead name is given twice."),
        (["--lead", "name=Ada"], "this chatflow's lead form asks for exactly name, email."),
        (["--lead", "name=A", "--lead", "email=a@b.co", "--lead", "phone=1 2 3"], "exactly"),
    ],
)
def test_unusable_lead_flags_stop_before_the_question(
    capsys, demo_url: str, flags: list[str], said: str
) -> None:
    session = f"lead-cli-bad-{abs(hash(tuple(flags)))}"
    code, out, err = ask(capsys, demo_url, "--session", session, *flags, LEADS_FLOW_ID, "hi")
    assert (code, out) == (2, "")
    assert said in err
    assert leads_of(demo_url, session) == []


def test_lead_flags_for_a_flow_without_a_lead_form_are_not_sent(capsys, demo_url: str) -> None:
    code, out, err = ask(capsys, demo_url, "--lead", "name=Ada", CHAT_FLOW_ID, "hello")
    assert code == 0 and out.strip()
    assert "asks for no contact details; --lead was not sent" in err
