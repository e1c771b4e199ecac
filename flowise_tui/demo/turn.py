"""One prediction request, read the way Flowise reads it (chatId and sessionId rules included)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .flows import DemoFlow


@dataclass(frozen=True)
class Turn:
    flow: DemoFlow
    question: str | None
    chat_id: str
    session_id: str
    authorization: str | None = None
    history: tuple[dict[str, object], ...] = ()
    uploads: tuple[dict[str, object], ...] = ()
    human_input: dict[str, object] | None = None
    form: dict[str, object] | None = None
    override: dict[str, object] = field(default_factory=dict)
    lead_email: str | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def text(self) -> str:
        return self.question or ""


def streaming_requested(body: dict[str, object]) -> bool:
    value = body.get("streaming")
    return value is True or value == "true"


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def _dicts(value: object) -> tuple[dict[str, object], ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, dict))


def read_turn(flow: DemoFlow, body: dict[str, object], authorization: str | None) -> Turn:
    override = body.get("overrideConfig")
    override = override if isinstance(override, dict) else {}
    session_from_override = _text(override.get("sessionId"))
    chat_id = _text(body.get("chatId")) or session_from_override or str(uuid.uuid4())
    question = body.get("question")
    human_input = body.get("humanInput")
    form = body.get("form")
    return Turn(
        flow=flow,
        question=None if question is None else str(question),
        chat_id=chat_id,
        session_id=session_from_override or chat_id,
        authorization=authorization,
        history=_dicts(body.get("history")),
        uploads=_dicts(body.get("uploads")),
        human_input=human_input if isinstance(human_input, dict) and human_input else None,
        form=form if isinstance(form, dict) and form else None,
        override=override,
        lead_email=_text(body.get("leadEmail")),
    )
