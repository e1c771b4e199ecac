"""What every demo flow handler receives and returns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..messages import MessageExtras

if TYPE_CHECKING:
    from ..output import Output
    from ..store import DemoStore, Execution
    from ..turn import Turn

FAILURE_PREFIX = "Error: predictionsServices.buildChatflow - "


class FlowFailure(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class FlowContext:
    turn: Turn
    out: Output
    store: DemoStore
    execution: Execution | None = None


@dataclass
class Outcome:
    text: str
    extras: MessageExtras = field(default_factory=MessageExtras)
    response_fields: dict[str, object] = field(default_factory=dict)
    user_content: str | None = None


Handler = Callable[[FlowContext], Awaitable[Outcome]]


def previous_questions(ctx: FlowContext) -> list[str]:
    stored = [
        str(row["content"])
        for row in ctx.store.conversation(ctx.turn.flow.id, ctx.turn.session_id)
        if row["role"] == "userMessage"
    ]
    prepended = [
        str(item.get("content") or item.get("message") or "")
        for item in ctx.turn.history
        if item.get("role") == "userMessage" or item.get("type") == "userMessage"
    ]
    return [question for question in prepended + stored if question]
