"""A runaway model: an answer streamed as fast as the client reads it, that never ends.

Like Flowise, the run goes on when its client hangs up, until it is aborted
(`PUT /api/v1/chatmessage/abort/FLOW/CHAT`); then, as Flowise does, it stores the question and
the partial answer, so that a client can see its abort arrived. A run nobody aborts ends
`DETACHED_GRACE` seconds after its client left.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from typing import TYPE_CHECKING, Any, Protocol

from .clock import iso_timestamp
from .messages import message_row
from .runs import Aborted, RunControl
from .wire import sse_event, sse_headers

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

    from .state import DemoState

PARAGRAPH = "A runaway model writes on and on, and the client must cut it short. " * 3 + "\n\n"
DETACHED_GRACE = 30.0
DETACHED_POLL = 0.05


class Request(Protocol):
    """What the fault needs of a `faults.FaultContext`."""

    scope: Scope
    receive: Receive
    send: Send
    app: ASGIApp


async def endless(context: Request, pause: float = 0.0) -> None:
    """Paragraphs without end, `pause` seconds apart (0: as fast as the client reads)."""
    body = await _body(context.receive)
    flow_id = context.scope["path"].rstrip("/").rpartition("/")[2]
    chat_id = str(body.get("chatId") or uuid.uuid4())
    state: DemoState = context.app.state.demo  # type: ignore[attr-defined]
    control = RunControl(pause)
    state.runs.add(flow_id, chat_id, control)
    gone = asyncio.create_task(_client_gone(context.receive))
    send = context.send
    paragraphs = 0
    try:
        await send({"type": "http.response.start", "status": 200, "headers": sse_headers()})
        await _event(send, sse_event("start", ""))
        while not gone.done():
            await _event(send, sse_event("token", PARAGRAPH))
            paragraphs += 1
            await asyncio.sleep(0)  # a closed socket is noticed before the next write
            await control.tick()
        deadline = time.monotonic() + DETACHED_GRACE
        while time.monotonic() < deadline:
            await asyncio.sleep(DETACHED_POLL)
            await control.tick()
    except Aborted:
        _store(state, flow_id, chat_id, str(body.get("question") or ""), PARAGRAPH * paragraphs)
        if not gone.done():
            await _event(send, sse_event("abort", "[DONE]") + sse_event("end", "[DONE]"))
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        state.runs.remove(flow_id, chat_id, control)
        gone.cancel()


async def _body(receive: Receive) -> dict[str, Any]:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    with contextlib.suppress(ValueError):
        value = json.loads(b"".join(chunks) or b"{}")
        if isinstance(value, dict):
            return value
    return {}


async def _event(send: Send, chunk: bytes) -> None:
    await send({"type": "http.response.body", "body": chunk, "more_body": True})


async def _client_gone(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _store(state: DemoState, flow_id: str, chat_id: str, question: str, answer: str) -> None:
    common: dict[str, Any] = {
        "flow_id": flow_id,
        "chat_id": chat_id,
        "session_id": chat_id,
        "memory_type": None,
    }
    state.store.add_messages(
        message_row(role="userMessage", content=question, created=iso_timestamp(), **common),
        message_row(role="apiMessage", content=answer, created=iso_timestamp(), **common),
    )
