"""Running one prediction turn: the flow handler, abort bookkeeping, stored messages, answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .auth import key_matches
from .clock import iso_timestamp
from .handlers import HANDLERS
from .handlers.base import FAILURE_PREFIX, FlowContext, FlowFailure, Outcome
from .messages import MessageExtras, message_row
from .output import Output
from .runs import Aborted
from .runtime import speak_in_stream
from .state import DemoState
from .turn import Turn
from .uploads import stored_upload
from .wire import compact_json

if TYPE_CHECKING:
    from .hub import StreamChannel
    from .state import DemoState
    from .turn import Turn

UNAUTHORIZED = FAILURE_PREFIX + "Unauthorized"


@dataclass(frozen=True)
class TurnResult:
    outcome: Outcome | None = None
    message_id: str | None = None
    error: str | None = None
    aborted: bool = False


class PredictionService:
    def __init__(self, state: DemoState) -> None:
        self._state = state

    def authorized(self, turn: Turn) -> bool:
        key = turn.flow.api_key
        return key is None or key_matches(turn.authorization, key)

    def new_output(self, turn: Turn, channel: StreamChannel | None = None) -> Output:
        return Output(self._state.new_control(turn.flow.minimum_token_delay), channel)

    async def execute(self, turn: Turn, out: Output) -> TurnResult:
        if not self.authorized(turn):
            return TurnResult(error=UNAUTHORIZED)
        runs = self._state.runs
        runs.add(turn.flow.id, turn.chat_id, out.control)
        ctx = FlowContext(turn=turn, out=out, store=self._state.store)
        aborted = False
        try:
            outcome = await HANDLERS[turn.flow.kind](ctx)
        except Aborted:
            outcome = Outcome(text=out.answer)
            aborted = True
            if ctx.execution is not None:
                ctx.execution.state = "TERMINATED"
                self._state.store.save_execution(ctx.execution)
        except FlowFailure as failure:
            return TurnResult(error=failure.message)
        finally:
            runs.remove(turn.flow.id, turn.chat_id, out.control)
        execution_id = ctx.execution.id if ctx.execution is not None else None
        message_id = self._store(turn, outcome, execution_id)
        return TurnResult(outcome, message_id, aborted=aborted)

    def _store(self, turn: Turn, outcome: Outcome, execution_id: str | None) -> str:
        flow = turn.flow
        if outcome.user_content is not None:
            user_content = outcome.user_content
        elif flow.is_agentflow:
            user_content = turn.question or " "
        else:
            user_content = turn.question or ""
        uploads = [stored_upload(item) for item in turn.uploads]
        common = {
            "flow_id": flow.id,
            "chat_id": turn.chat_id,
            "session_id": turn.session_id,
            "memory_type": flow.memory_type,
            "execution_id": execution_id,
        }
        user = message_row(
            role="userMessage",
            content=user_content,
            created=iso_timestamp(turn.started),
            extras=MessageExtras(file_uploads=uploads or None),
            lead_email=turn.lead_email,
            **common,
        )
        api = message_row(
            role="apiMessage",
            content=outcome.text,
            created=iso_timestamp(),
            extras=outcome.extras,
            **common,
        )
        self._state.store.add_messages(user, api)
        return str(api["id"])


def metadata(turn: Turn, result: TurnResult) -> dict[str, object]:
    data: dict[str, object] = {"chatId": turn.chat_id, "chatMessageId": result.message_id}
    if turn.question:
        data["question"] = turn.question
    data["sessionId"] = turn.session_id
    if turn.flow.memory_type:
        data["memoryType"] = turn.flow.memory_type
    follow_ups = result.outcome.extras.follow_up_prompts if result.outcome else None
    if follow_ups:
        data["followUpPrompts"] = compact_json(follow_ups)
    return data


def json_answer(turn: Turn, outcome: Outcome, message_id: str | None) -> dict[str, object]:
    body: dict[str, object] = {"text": outcome.text}
    if turn.flow.is_agentflow:
        if turn.question is not None:
            body["question"] = turn.question
        if turn.form:
            body["form"] = turn.form
        body.update(chatId=turn.chat_id, chatMessageId=message_id, **outcome.response_fields)
        body["sessionId"] = turn.session_id
        return body
    body.update(outcome.response_fields)
    if turn.question is not None:
        body["question"] = turn.question
    body.update(chatId=turn.chat_id, chatMessageId=message_id)
    if outcome.extras.follow_up_prompts:
        body["followUpPrompts"] = compact_json(compact_json(outcome.extras.follow_up_prompts))
    body.update(isStreamValid=False, sessionId=turn.session_id)
    if turn.flow.memory_type:
        body["memoryType"] = turn.flow.memory_type
    return body


async def stream_turn(service: PredictionService, turn: Turn, channel: StreamChannel) -> None:
    out = service.new_output(turn, channel)
    result = await service.execute(turn, out)
    if result.error is not None:
        await out.event("error", result.error)
    elif result.aborted:
        await out.event("abort", "[DONE]")
    else:
        spoken = result.outcome.text if result.outcome else ""
        await speak_in_stream(out, turn.flow.id, result.message_id, spoken)
        await out.event("metadata", metadata(turn, result))
    await out.event("end", "[DONE]")
