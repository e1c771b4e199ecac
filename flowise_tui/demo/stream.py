"""ASGI responses for predictions: the SSE stream, and the silent hold for unknown flows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from .hub import StreamChannel, StreamHub
from .wire import error_response, sse_headers

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

Producer = Callable[[StreamChannel], Awaitable[None]]


class EventStreamResponse:
    def __init__(self, hub: StreamHub, produce: Producer) -> None:
        self._hub = hub
        self._produce = produce

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": sse_headers()})
        channel = StreamChannel(send)
        self._hub.add(channel)
        try:
            await self._produce(channel)
        finally:
            self._hub.discard(channel)
            await channel.close()


class SilentHold:
    """Like Flowise for a streaming request to an unknown flow: no status line, ever."""

    def __init__(self, shutting_down: asyncio.Event) -> None:
        self._shutting_down = shutting_down

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        gone = asyncio.create_task(_client_gone(receive))
        stopping = asyncio.create_task(self._shutting_down.wait())
        done, pending = await asyncio.wait({gone, stopping}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if gone not in done:
            await error_response(503, "The demo server is shutting down")(scope, receive, send)


async def _client_gone(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
