"""Markdown and JSON exports of conversations built from recorded Flowise streams."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from flowise_tui.config import Profile
from flowise_tui.conversation import Conversation, Decision, Turn, TurnStatus
from flowise_tui.export import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ExportError,
    export_conversation,
    to_json,
    to_markdown,
)
from flowise_tui.flowise.client import FlowiseClient
from flowise_tui.flowise.models import PredictionRequest
from tests.test_history import T0, envelope_event, sample_conversation, turn_from

API_KEY = "sk-flowise-test-9f8e7d6c5b4a"
DAY = datetime.fromtimestamp(T0).strftime("%Y-%m-%d")


def hostile_conversation() -> Conversation:
    tokens = [
        envelope_event("token", "\x1b[31mred\x1b[0m text "),
        envelope_event("token", "\x1b]52;c;cm0gLXJmIH4=\x07copied\x1b]0;title\x07 "),
        envelope_event("token", "bell\x07 and\r\nline ``code``"),
        envelope_event(
            "sourceDocuments",
            [{"pageContent": "doc\x1b[2Jbody", "metadata": {"source": "evil\x1b[1m.txt"}}],
        ),
        envelope_event("error", "boom\x1b[0m"),
    ]
    turn = turn_from("ask \x1b[5mme\x1b[0m", tokens, TurnStatus.FAILED, started=T0)
    return Conversation(
        chatflow_id="flow\x1b[1m-x",
        chatflow_name="Evil\x1b]0;pwned\x07 flow",
        created=T0,
        turns=[turn],
    )


def test_markdown_has_a_header_and_every_section() -> None:
    conversation = sample_conversation()

    markdown = to_markdown(conversation)

    assert markdown.startswith("# When does the bakery open?\n")
    assert "- Chatflow: Lab RAG (`flow-rag`)" in markdown
    assert f"- Date: {DAY} " in markdown
    assert f"- Chat ID: `{conversation.chat_id}`" in markdown
    assert markdown.count("### You\n") == 5
    assert markdown.count("### Lab RAG\n") == 5
    assert "Fake LLM answer to: When does the bakery open? . This is a deterministic" in markdown
    assert '\n\nSecond paragraph: it has "double quotes", a backslash \\ and unicode é' in markdown
    sources = "**Sources**\n\n1. **lab-bakery.txt**\n   - #1 · lines 1-3: Flowise Lab Bakery opens"
    assert sources in markdown
    assert '- `calculator`: input `{"input": "2+2"}`, output `4`' in markdown
    assert "**Agent steps**\n\n- Start: FINISHED\n- Lab LLM: FINISHED\n" in markdown
    assert "**Follow-up prompts**\n\n- And on Sunday?\n" in markdown
    assert "> **Error:** " in markdown and "500 fake LLM forced internal error" in markdown
    assert "*Stopped before the answer was complete.*" in markdown
    assert (
        "Metadata: chatId `c2ece061-d703-44fc-b98d-62c691847ac5`"
        " · chatMessageId `e22d6ed5-fccc-4093-a2d1-ca33f4a74084`"
        " · sessionId `c2ece061-d703-44fc-b98d-62c691847ac5` · rating `THUMBS_UP`"
    ) in markdown
    previews = re.findall(r"^   - #\d+.*$", markdown, flags=re.MULTILINE)
    assert previews and all(len(line) < 240 for line in previews)


def test_markdown_strips_terminal_controls_but_keeps_the_text() -> None:
    markdown = to_markdown(hostile_conversation())

    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", markdown)
    assert "# ask me" in markdown
    assert "- Chatflow: Evil flow (`flow-x`)" in markdown
    assert "### Evil flow" in markdown
    assert "red text copied bell and\nline ``code``" in markdown
    assert "1. **evil.txt**\n   - #1: docbody" in markdown
    assert "> **Error:** boom" in markdown


def test_json_keeps_every_field_and_event() -> None:
    conversation = sample_conversation()

    document = to_json(conversation)

    assert document["format"] == FORMAT_NAME == "flowise-tui-conversation"
    assert document["version"] == FORMAT_VERSION == 3
    assert document["id"] == conversation.id
    assert document["chat_id"] == conversation.chat_id
    assert document["chatflow_name"] == "Lab RAG"
    assert document["created"] == T0
    first = document["turns"][0]
    assert first["status"] == "done"
    assert (first["started"], first["first_token_after"], first["elapsed"]) == (T0 + 1, 0.25, 1.5)
    assert (first["feedback_id"], first["rating"]) == ("feedback-1", "THUMBS_UP")
    assert first["events"] == conversation.turns[0].events
    assert "token" not in [envelope["event"] for envelope in first["events"]]
    assert first["answer"] == conversation.turns[0].answer.text
    assert first["token_events"] == conversation.turns[0].answer.token_events > 0
    assert document["turns"][3]["error"] == conversation.turns[3].answer.error
    assert json.loads(json.dumps(document)) == document


def test_json_export_replays_to_the_same_answers(tmp_path: Path) -> None:
    conversation = sample_conversation()

    path = export_conversation(conversation, tmp_path, "json")
    document = json.loads(path.read_text(encoding="utf-8"))

    for saved, original in zip(document["turns"], conversation.turns, strict=True):
        replayed = Turn.replay(
            saved["question"],
            saved["events"],
            text=saved["answer"],
            token_events=saved["token_events"],
            status=saved["status"],
        )
        assert replayed.answer == original.answer
        assert replayed.answer.sources == original.answer.sources
        assert replayed.answer.steps == original.answer.steps


async def test_exports_hold_metadata_ids_but_never_an_api_key(tmp_path: Path) -> None:
    profile = Profile(name="lab", url="http://127.0.0.1:3000", api_key=API_KEY)
    async with FlowiseClient(profile.url, api_key=API_KEY) as client:
        assert client.has_api_key
        conversation = sample_conversation()
        assert (
            API_KEY
            not in PredictionRequest("hi", chat_id=conversation.chat_id)
            .to_bytes(streaming=True)
            .decode()
        )

    for fmt in ("markdown", "json"):
        text = export_conversation(conversation, tmp_path, fmt).read_text(encoding="utf-8")
        assert API_KEY not in text
        assert "e22d6ed5-fccc-4093-a2d1-ca33f4a74084" in text
        assert "683461b6-d7f9-412b-b682-6440a1666f16" in text
        assert conversation.chat_id in text


def test_files_are_named_by_date_and_title_and_never_overwritten(tmp_path: Path) -> None:
    conversation = sample_conversation()
    taken = tmp_path / f"{DAY}-when-does-the-bakery-open.md"
    taken.write_text("precious notes")

    paths = [export_conversation(conversation, tmp_path, "markdown") for _ in range(2)]
    json_path = export_conversation(conversation, tmp_path, "json")

    assert [p.name for p in paths] == [
        f"{DAY}-when-does-the-bakery-open-2.md",
        f"{DAY}-when-does-the-bakery-open-3.md",
    ]
    assert json_path.name == f"{DAY}-when-does-the-bakery-open.json"
    assert taken.read_text() == "precious notes"
    assert paths[0].read_text(encoding="utf-8") == to_markdown(conversation)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [taken.name, json_path.name, *(p.name for p in paths)]
    )


def test_names_fall_back_for_untitled_and_odd_titles(tmp_path: Path) -> None:
    untitled = Conversation(chatflow_id="flow", created=T0)
    odd = Conversation(chatflow_id="flow", created=T0)
    odd.turns.append(Turn("  Où est / ../le café?!  ", status=TurnStatus.DONE, started=T0))

    assert export_conversation(untitled, tmp_path, "json").name == f"{DAY}-new-chat.json"
    assert export_conversation(odd, tmp_path, "markdown").name == f"{DAY}-où-est-le-café.md"


def test_export_into_a_new_directory(tmp_path: Path) -> None:
    target = tmp_path / "exports" / "2024"

    path = export_conversation(sample_conversation(), target, "markdown")

    assert path.parent == target
    assert path.read_text(encoding="utf-8").startswith("# When does the bakery open?")


def test_export_errors_are_clear(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("file")

    with pytest.raises(ExportError, match=f"{blocker} is not a directory"):
        export_conversation(sample_conversation(), blocker / "sub", "markdown")
    with pytest.raises(ExportError, match="Unknown export format 'pdf'"):
        export_conversation(sample_conversation(), tmp_path, "pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-dir"]


def approval_turn(question: str, decision: Decision | None = None) -> Turn:
    action = {
        "id": "a1",
        "elements": [
            {"type": "agentflowv2-approve-button", "label": "Ship it"},
            {"type": "agentflowv2-reject-button", "label": "Not now"},
        ],
        "data": {"nodeId": "humanInputAgentflow_0"},
    }
    turn = turn_from(question, [envelope_event("action", action)], started=T0)
    turn.decision = decision
    return turn


def test_exports_say_what_became_of_each_action() -> None:
    decided = approval_turn("Ship v2?", Decision(False, "Not now", "after | the *launch*"))
    forgotten = approval_turn("Ship v1?")
    waiting = approval_turn("Ship v3?")
    conversation = Conversation(
        chatflow_id="flow",
        turns=[forgotten, turn_from("Proceed", [], started=T0), decided, waiting],
        server_url="https://flowise.example/team",
    )

    markdown = to_markdown(conversation)
    document = to_json(conversation)

    assert "- Server: https://flowise.example/team" in markdown
    assert markdown.count("**Decision:**") == 2
    assert "**Decision:** none recorded (Ship it / Not now)" in markdown
    assert "**Decision:** ✗ Rejected · Not now · comment: after | the *launch*" in markdown
    assert markdown.count("**Waiting for a decision:**") == 1
    assert "**Waiting for a decision:** Ship it / Not now" in markdown.split("Ship v3?")[1]
    assert document["server_url"] == "https://flowise.example/team"
    assert [turn["decision"] for turn in document["turns"]] == [
        None,
        None,
        {"type": "reject", "label": "Not now", "comment": "after | the *launch*"},
        None,
    ]
