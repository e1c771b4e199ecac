"""Conversations and turns as rows of the history's tables, and back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flowise_tui.conversation import Conversation, Decision, Turn, TurnStatus
from flowise_tui.flowise.coerce import as_str
from flowise_tui.flowise.uploads import Attachment

TURN_BITS = 20
"""A turn's number is its conversation's number shifted by this many bits, plus its index."""
TURNS_PER_CONVERSATION = 1 << TURN_BITS

TURN_COLUMNS = (
    "question",
    "answer",
    "events",
    "token_events",
    "status",
    "started",
    "first_token_after",
    "elapsed",
    "feedback_id",
    "rating",
    "decision",
    "attachments",
)


class DamagedEvents(ValueError):
    """A turn's stored events are not the JSON they were written as."""


@dataclass(frozen=True, slots=True)
class TurnRows:
    """A turn and its conversation as rows, taken at one moment: written later, perhaps
    from another thread, they hold what the turn held then."""

    conversation: dict[str, Any]
    index: int
    turn: dict[str, Any]


def turn_rows(conversation: Conversation, index: int, turn: Turn) -> TurnRows:
    return TurnRows(conversation_row(conversation, turn), index, turn_row(turn))


def conversation_row(conversation: Conversation, *more_turns: Turn) -> dict[str, Any]:
    """`updated` is when the latest turn ended, so the order follows the chat, not the saves."""
    turns = [*conversation.turns, *more_turns]
    ends = (turn.started + (turn.elapsed or 0.0) for turn in turns)
    return {
        "id": conversation.id,
        "chatflow_id": conversation.chatflow_id,
        "chatflow_name": conversation.chatflow_name,
        "chat_id": conversation.chat_id,
        "server_url": conversation.server_url,
        "title": conversation.title,
        "created": conversation.created,
        "updated": max([conversation.created, *ends]),
    }


def turn_row(turn: Turn) -> dict[str, Any]:
    """The answer's text once, its other events as JSON envelopes, and what was measured."""
    return {
        "question": turn.question,
        "answer": turn.answer.text,
        "events": _json(turn.events),
        "token_events": turn.answer.token_events,
        "status": turn.status.value,
        "started": turn.started,
        "first_token_after": turn.first_token_after,
        "elapsed": turn.elapsed,
        "feedback_id": turn.feedback_id,
        "rating": turn.rating,
        "decision": _json(turn.decision.as_json()) if turn.decision else None,
        "attachments": _json([a.to_json() for a in turn.attachments]) if turn.attachments else None,
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def turn_from_row(row: Mapping[str, Any]) -> Turn:
    """The turn a row holds, as `turn_row` wrote it."""
    return _replay(row, _envelopes(row), text=row["answer"], token_events=row["token_events"])


def turn_from_schema_1_row(row: Mapping[str, Any]) -> Turn:
    """The turn a row of schema 1 holds: its text is in its token events (most of its
    events), each read as a TokenEvent reads its data, and joined once."""
    pieces: list[str] = []
    others = []
    for envelope in _envelopes(row):
        if isinstance(envelope, dict) and envelope.get("event") == "token":
            piece = as_str(envelope.get("data"))
            if piece:
                pieces.append(piece)
        else:
            others.append(envelope)
    return _replay(row, others, text="".join(pieces), token_events=len(pieces))


def _envelopes(row: Mapping[str, Any]) -> list[Any]:
    try:
        envelopes = json.loads(row["events"])
    except (TypeError, ValueError) as exc:
        raise DamagedEvents(str(exc)) from exc
    return envelopes if isinstance(envelopes, list) else []


def _replay(row: Mapping[str, Any], envelopes: list[Any], *, text: str, token_events: int) -> Turn:
    return Turn.replay(
        row["question"],
        envelopes,
        text=text,
        token_events=token_events,
        status=_status(row["status"]),
        started=row["started"],
        first_token_after=row["first_token_after"],
        elapsed=row["elapsed"],
        feedback_id=row["feedback_id"],
        rating=row["rating"],
        decision=_decision(row.get("decision")),
        attachments=_attachments(row.get("attachments")),
    )


def _attachments(stored: Any) -> list[Attachment]:
    """The files a row names; what is not the JSON it was written as reads as none."""
    if not stored:
        return []
    try:
        items = json.loads(stored)
    except (TypeError, ValueError):
        return []
    return [Attachment.from_json(item) for item in items[:100]] if isinstance(items, list) else []


def _decision(stored: Any) -> Decision | None:
    """The decision a row keeps; one that is not the JSON it was written as reads as none."""
    if not stored:
        return None
    try:
        return Decision.from_json(json.loads(stored))
    except (TypeError, ValueError):
        return None


def _status(value: Any) -> TurnStatus:
    """A turn is stored as streaming while its answer arrives; found so, the app ended
    before the answer did."""
    try:
        status = TurnStatus(value)
    except ValueError:
        return TurnStatus.FAILED
    return TurnStatus.INTERRUPTED if status is TurnStatus.STREAMING else status
