"""Conversations and turns as rows of the history's tables, and back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flowise_tui.conversation import Conversation, Turn, TurnStatus

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
)


class DamagedEvents(ValueError):
    """A turn's stored events are not the JSON they were written as."""


def conversation_row(conversation: Conversation, *more_turns: Turn) -> dict[str, Any]:
    """`updated` is when the latest turn ended, so the order follows the chat, not the saves."""
    turns = [*conversation.turns, *more_turns]
    ends = (turn.started + (turn.elapsed or 0.0) for turn in turns)
    return {
        "id": conversation.id,
        "chatflow_id": conversation.chatflow_id,
        "chatflow_name": conversation.chatflow_name,
        "chat_id": conversation.chat_id,
        "title": conversation.title,
        "created": conversation.created,
        "updated": max([conversation.created, *ends]),
    }


def turn_row(turn: Turn) -> dict[str, Any]:
    """The answer's text once, its other events as JSON envelopes, and what was measured."""
    return {
        "question": turn.question,
        "answer": turn.answer.text,
        "events": json.dumps(turn.events, ensure_ascii=False, separators=(",", ":"), default=str),
        "token_events": turn.answer.token_events,
        "status": turn.status.value,
        "started": turn.started,
        "first_token_after": turn.first_token_after,
        "elapsed": turn.elapsed,
        "feedback_id": turn.feedback_id,
        "rating": turn.rating,
    }


def turn_from_row(row: Mapping[str, Any]) -> Turn:
    """The turn a row holds, as `turn_row` wrote it."""
    return replay_row(row, text=row["answer"], token_events=row["token_events"])


def replay_row(row: Mapping[str, Any], *, text: str, token_events: int | None) -> Turn:
    """The turn rebuilt from a row's events after `text`; a row of schema 1 has its text in
    token events, so it passes no text and no count."""
    try:
        envelopes = json.loads(row["events"])
    except (TypeError, ValueError) as exc:
        raise DamagedEvents(str(exc)) from exc
    return Turn.replay(
        row["question"],
        envelopes if isinstance(envelopes, list) else [],
        text=text,
        token_events=token_events,
        status=_status(row["status"]),
        started=row["started"],
        first_token_after=row["first_token_after"],
        elapsed=row["elapsed"],
        feedback_id=row["feedback_id"],
        rating=row["rating"],
    )


def _status(value: Any) -> TurnStatus:
    try:
        return TurnStatus(value)
    except ValueError:
        return TurnStatus.FAILED
