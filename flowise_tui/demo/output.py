"""Where a running flow writes its events: an SSE channel, or nowhere for JSON answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .wire import sse_event

if TYPE_CHECKING:
    from .hub import StreamChannel
    from .runs import RunControl


class Output:
    def __init__(self, control: RunControl, channel: StreamChannel | None = None) -> None:
        self.control = control
        self._channel = channel
        self._parts: list[str] = []

    @property
    def answer(self) -> str:
        return "".join(self._parts)

    async def event(self, name: str, data: object, **extra: object) -> None:
        if self._channel is not None:
            await self._channel.write(sse_event(name, data, **extra))

    async def token(self, text: str) -> None:
        await self.control.tick()
        self._parts.append(text)
        await self.event("token", text)

    async def tokens(self, texts: Iterable[str]) -> None:
        for text in texts:
            await self.token(text)

    async def empty_token(self) -> None:
        await self.event("token", "")
