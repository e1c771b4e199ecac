"""Open event streams and the one global heartbeat timer that writes to all of them."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from .wire import HEARTBEAT

if TYPE_CHECKING:
    from starlette.types import Send


class StreamChannel:
    def __init__(self, send: Send) -> None:
        self._send = send
        self._lock = asyncio.Lock()
        self._closed = False

    async def write(self, chunk: bytes) -> None:
        async with self._lock:
            if not self._closed:
                await self._send({"type": "http.response.body", "body": chunk, "more_body": True})

    async def close(self) -> None:
        async with self._lock:
            if not self._closed:
                self._closed = True
                await self._send({"type": "http.response.body", "body": b"", "more_body": False})


class StreamHub:
    def __init__(self, heartbeat_interval: float) -> None:
        self.heartbeat_interval = heartbeat_interval
        self._channels: set[StreamChannel] = set()
        self._pending: set[asyncio.Task[None]] = set()
        self._timer: asyncio.Task[None] | None = None

    def add(self, channel: StreamChannel) -> None:
        self._channels.add(channel)

    def discard(self, channel: StreamChannel) -> None:
        self._channels.discard(channel)

    def start(self) -> None:
        self._timer = asyncio.create_task(self._beat())

    async def stop(self) -> None:
        tasks = [task for task in (self._timer, *self._pending) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            for channel in list(self._channels):
                task = asyncio.create_task(channel.write(HEARTBEAT))
                self._pending.add(task)
                task.add_done_callback(self._pending.discard)
