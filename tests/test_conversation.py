"""The domain model: an answer's text appended as it streams, other events folded in."""

from __future__ import annotations

import json

from flowise_tui.conversation import (
    Answer,
    Conversation,
    Decision,
    Turn,
    TurnStatus,
    asks_for_comment,
    decision_labels,
)
from flowise_tui.flowise.events import build_event
from flowise_tui.flowise.models import HumanAction
from tests.test_history import recorded_events, sample_conversation


def test_text_appended_piece_by_piece_reads_whole_between_pieces() -> None:
    answer = Answer()
    assert answer.text == ""

    answer.append_text("Hel")
    answer.append_text("lo")
    assert answer.text == "Hello"
    assert answer.text == "Hello"
    answer.append_text("")
    answer.append_text(", world")

    assert answer.text == "Hello, world"
    assert answer.token_events == 3, "empty pieces are not counted"


def test_reading_the_text_changes_nothing_else() -> None:
    read, unread = Answer(), Answer()
    for answer in (read, unread):
        answer.append_text("one ")
    assert read.text == "one "
    for answer in (read, unread):
        answer.append_text("two")

    assert read == unread
    assert repr(read) == repr(unread)


def test_a_turn_keeps_the_text_once_and_every_other_event() -> None:
    events = recorded_events("rag_stream")
    turn = Turn("When does the bakery open?")

    for event in events:
        turn.apply(event)

    names = [e.envelope()["event"] for e in events]
    assert [e["event"] for e in turn.events] == [name for name in names if name != "token"]
    tokens = [e.envelope()["data"] for e in events if e.envelope()["event"] == "token"]
    assert turn.answer.text == "".join(tokens)
    assert turn.answer.token_events == len([t for t in tokens if t])
    assert turn.answer.sources and turn.answer.metadata


def test_a_replayed_turn_equals_the_live_one() -> None:
    for live in sample_conversation().turns:
        stored = json.loads(json.dumps(live.events))

        replayed = Turn.replay(
            live.question,
            stored,
            text=live.answer.text,
            token_events=live.answer.token_events,
            status=live.status,
        )

        assert replayed.answer == live.answer
        assert replayed.events == live.events


def test_token_envelopes_as_schema_1_kept_them_replay_to_the_same_turn() -> None:
    live = sample_conversation().turns[0]
    every_event = [event.envelope() for event in recorded_events("rag_stream")]

    replayed = Turn.replay(live.question, every_event, status=TurnStatus.DONE)

    assert replayed.answer == live.answer
    assert replayed.events == live.events


def test_a_turn_is_itself_whatever_it_holds() -> None:
    first, second = Turn("hi"), Turn("hi")
    for turn in (first, second):
        turn.apply(build_event("error", "boom"))

    turns = [first, second]

    assert turns.index(second) == 1
    assert first != second


def test_timings_are_what_the_caller_measured() -> None:
    turn = Turn("q", started=1_700_000_000.0)
    turn.answer.append_text("a")
    turn.answer.append_text("b")
    turn.first_token_after, turn.elapsed = 0.5, 1.5

    assert (turn.started, turn.tokens_per_second) == (1_700_000_000.0, 2.0)
    assert Turn("q").started == 0.0, "no clock is read for a turn"


def approval(*, feedback: object = False, elements: list | None = None) -> HumanAction:
    """An action as Flowise 3.1.4's Human Input node sends it."""
    return HumanAction.from_json(
        {
            "id": "a1",
            "mapping": {"approve": "Yes", "reject": "No"},
            "elements": elements
            if elements is not None
            else [
                {"type": "agentflowv2-reject-button", "label": "Not now"},
                {"type": "agentflowv2-approve-button", "label": "Ship it"},
            ],
            "data": {
                "nodeId": "humanInputAgentflow_0",
                "nodeLabel": "Approval",
                "input": {"humanInputEnableFeedback": feedback},
            },
        }
    )


def test_the_buttons_are_known_by_their_type_then_by_their_place() -> None:
    assert decision_labels(approval()) == ("Ship it", "Not now")
    assert decision_labels(approval(elements=[{"label": "A"}, {"label": "B"}])) == ("A", "B")
    assert decision_labels(approval(elements=[])) == ("Proceed", "Reject")


def test_the_node_asks_for_a_comment_as_flowise_reads_its_flag() -> None:
    assert asks_for_comment(approval(feedback=True))
    assert not asks_for_comment(approval(feedback=False))
    assert not asks_for_comment(approval(feedback=None))
    older = HumanAction.from_json({"id": "a", "data": {"humanInputEnableFeedback": True}})
    assert asks_for_comment(older)


def test_a_decision_is_sent_as_flowise_expects_and_kept_as_json() -> None:
    decision = Decision(proceed=False, label="Not now", comment="after Friday")

    assert decision.human_input(approval()) == {
        "type": "reject",
        "startNodeId": "humanInputAgentflow_0",
        "feedback": "after Friday",
    }
    assert Decision.from_json(json.loads(json.dumps(decision.as_json()))) == decision
    assert Decision.from_json({"type": "maybe"}) is None
    assert Decision.from_json("proceed") is None


def test_only_the_latest_finished_undecided_action_awaits_a_decision() -> None:
    conversation = Conversation(chatflow_id="flow")
    asked = Turn("Order 40 croissants", status=TurnStatus.STREAMING)
    conversation.turns.append(asked)
    asked.apply(build_event("action", {"id": "a0", "data": {"nodeId": "n"}}))
    asked.status = TurnStatus.DONE
    assert conversation.awaiting_decision is None, "an action without buttons asks nothing"

    asked.status = TurnStatus.STREAMING
    buttons = [{"type": "agentflowv2-approve-button", "label": "Proceed"}]
    asked.apply(build_event("action", {"id": "a1", "elements": buttons, "data": {"nodeId": "n"}}))
    assert conversation.awaiting_decision is None, "not while the answer streams"

    asked.status = TurnStatus.DONE
    assert conversation.awaiting_decision is asked

    asked.decision = Decision(proceed=True, label="Proceed")
    assert conversation.awaiting_decision is None

    asked.decision = None
    conversation.turns.append(Turn("Proceed", status=TurnStatus.DONE))
    assert conversation.awaiting_decision is None, "an earlier action no longer waits"
