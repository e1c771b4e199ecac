"""Fault modes of the demo server, chosen by the URL: `http://HOST:PORT/fault/NAME`.

A client pointed at `/fault/NAME` as its Flowise base URL talks to the normal demo
server, except that every `POST .../prediction/...` meets the fault. `/fault/NAME*N`
applies it to the first N predictions through that URL only, so the next question works.
The faults are real network behaviour: the connection is closed on the socket, streams
stall with heartbeats, bodies hold exactly the bytes below.

    flowise-tui demo-server &  flowise-tui --url http://127.0.0.1:3000/fault/never-end
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from . import fault_bodies as bodies
from .runaway import endless
from .stream import SilentHold
from .wire import HEARTBEAT, error_response, sse_headers

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/fault/"
HEARTBEAT_EVERY = 0.1
TOKENS_BEFORE_DROP = 3

Fault = Callable[["FaultContext"], Awaitable[None]]


@dataclass
class FaultContext:
    scope: Scope
    receive: Receive
    send: Send
    app: ASGIApp
    shutting_down: asyncio.Event


def _close_socket(send: Send) -> None:
    """Close the socket under the response, as a crashed server or a cut network does."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:  # not under uvicorn: an exception is the closest thing
        raise ConnectionAbortedError("demo fault: connection dropped")
    transport.close()


async def _drop(context: FaultContext) -> None:
    _close_socket(context.send)
    await _until_gone(context.receive)


async def _until_gone(receive: Receive) -> None:
    """Wait until the server has noticed the closed socket, so it adds nothing of its own."""
    with contextlib.suppress(Exception):
        while (await receive())["type"] != "http.disconnect":
            pass


async def _stream(context: FaultContext, chunks: Iterable[bytes], *, close: bool = True) -> None:
    send = context.send
    await send({"type": "http.response.start", "status": 200, "headers": sse_headers()})
    for chunk in chunks:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    if close:
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _hold_with_heartbeats(context: FaultContext) -> None:
    """Heartbeats until the client goes away: alive, but no progress, ever."""
    gone = asyncio.create_task(_client_gone(context.receive))
    try:
        while not gone.done() and not context.shutting_down.is_set():
            await context.send({"type": "http.response.body", "body": HEARTBEAT, "more_body": True})
            await asyncio.wait({gone}, timeout=HEARTBEAT_EVERY)
    finally:
        gone.cancel()
    if not gone.done() or context.shutting_down.is_set():
        with contextlib.suppress(Exception):
            await context.send({"type": "http.response.body", "body": b"", "more_body": False})


async def _client_gone(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def scripted(make: Callable[[], Iterable[bytes]]) -> Fault:
    async def fault(context: FaultContext) -> None:
        await _stream(context, make())

    return fault


async def echo_key(context: FaultContext) -> None:
    headers = dict(context.scope.get("headers", []))
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    await _stream(context, bodies.echo_key(authorization))


def status(code: int, body: bytes, content_type: str, **headers: str) -> Fault:
    async def fault(context: FaultContext) -> None:
        raw = [(b"content-type", content_type.encode()), (b"content-length", b"%d" % len(body))]
        raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        await context.send({"type": "http.response.start", "status": code, "headers": raw})
        await context.send({"type": "http.response.body", "body": body})

    return fault


async def never_start(context: FaultContext) -> None:
    await SilentHold(context.shutting_down)(context.scope, context.receive, context.send)


async def never_end(context: FaultContext) -> None:
    start = [bodies.sse_event("start", ""), *bodies.tokens("this answer never ends")]
    await _stream(context, start, close=False)
    await _hold_with_heartbeats(context)


async def heartbeats_only(context: FaultContext) -> None:
    await _stream(context, [], close=False)
    await _hold_with_heartbeats(context)


def cut_real_stream(*, inside_event: bool) -> Fault:
    """The real flow's stream, cut after a few tokens: between two events or inside one."""

    async def fault(context: FaultContext) -> None:
        cut = _Cut(context.send, inside_event)
        await context.app(context.scope, context.receive, cut)
        if cut.dropped:
            await _until_gone(context.receive)

    return fault


@dataclass
class _Cut:
    send: Send
    inside_event: bool
    tokens: int = 0
    dropped: bool = False

    async def __call__(self, message: Message) -> None:
        if self.dropped:
            return
        body = message.get("body", b"") if message["type"] == "http.response.body" else b""
        if b'"event":"token"' in body:
            if self.tokens == TOKENS_BEFORE_DROP:
                if self.inside_event:
                    await self.send({**message, "body": body[: len(body) // 2], "more_body": True})
                self.dropped = True
                _close_socket(self.send)
                return
            self.tokens += 1
        await self.send(message)


def _html(title: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
        "<hr><center>nginx</center></body></html>\n"
    ).encode()


def _flowise_error(code: int, message: str) -> bytes:
    return bodies.json_body({"statusCode": code, "success": False, "message": message, "stack": {}})


FAULTS: dict[str, Fault] = {
    "drop-before-response": _drop,
    "drop-mid-event": cut_real_stream(inside_event=True),
    "drop-between-events": cut_real_stream(inside_event=False),
    "never-start": never_start,
    "never-end": never_end,
    "endless": endless,
    # A paragraph a millisecond: a test can press a key while it runs on a machine where
    # the loopback fills the answer limit before a test's first look.
    "endless-steady": partial(endless, pause=0.001),
    "heartbeats-only": heartbeats_only,
    "garbage": scripted(bodies.garbage),
    "garbage-between-events": scripted(bodies.garbage_between_events),
    "invalid-utf8": scripted(bodies.invalid_utf8),
    "truncated-json": scripted(bodies.truncated_json),
    "wrong-shapes": scripted(bodies.wrong_shapes),
    "huge-line": scripted(bodies.huge_line),
    "many-events": scripted(bodies.many_events),
    "events-after-end": scripted(bodies.events_after_end),
    "no-text": scripted(bodies.no_text),
    "injection": scripted(bodies.injection),
    "hostile-error": scripted(bodies.hostile_error),
    "echo-key": echo_key,
    "http-401": status(401, bodies.json_body({"error": "Unauthorized Access"}), "application/json"),
    "http-403": status(
        403,
        bodies.json_body({"message": "Forbidden: this key may not predict"}),
        "application/json",
    ),
    "http-404": status(
        404, _flowise_error(404, "Chatflow fault not found in the database!"), "application/json"
    ),
    "http-429": status(
        429,
        bodies.json_body({"message": "Too many requests, please try again later."}),
        "application/json",
        **{"Retry-After": "30"},
    ),
    "http-500-json": status(
        500,
        _flowise_error(500, "Error: predictionsServices.buildChatflow - database is locked"),
        "application/json",
    ),
    "http-500-html": status(500, _html("500 Internal Server Error"), "text/html"),
    "http-502": status(502, _html("502 Bad Gateway"), "text/html"),
}


@dataclass
class FaultLayer:
    """ASGI wrapper of the demo app that applies the fault named in the URL."""

    app: ASGIApp
    shutting_down: Callable[[], asyncio.Event]
    applied: dict[str, int] = field(default_factory=dict)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        spec, _, rest = path[len(PREFIX) :].partition("/")
        name, _, times = spec.partition("*")
        if name not in FAULTS or (times and not times.isdecimal()):
            known = ", ".join(FAULTS)
            response = error_response(404, f"Unknown demo fault {spec!r}; known: {known}")
            await response(scope, receive, send)
            return
        inner = {**scope, "path": "/" + rest, "raw_path": ("/" + rest).encode()}
        if scope["method"] == "POST" and "/api/v1/prediction/" in inner["path"]:
            count = self.applied.get(spec, 0)
            if not times or count < int(times):
                self.applied[spec] = count + 1
                context = FaultContext(inner, receive, send, self.app, self.shutting_down())
                await FAULTS[name](context)
                return
        await self.app(inner, receive, send)
