"""Pacing and cancellation of running predictions, keyed like Flowise's abort pool."""

from __future__ import annotations

import asyncio

YIELD_EVERY = 64


class Aborted(Exception):
    pass


class RunControl:
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._aborted = asyncio.Event()
        self._ticks = 0

    def abort(self) -> None:
        self._aborted.set()

    async def tick(self) -> None:
        if self._aborted.is_set():
            raise Aborted
        if self.delay > 0:
            await self._sleep_unless_aborted(self.delay)
            return
        self._ticks += 1
        if self._ticks % YIELD_EVERY == 0:
            await asyncio.sleep(0)
            if self._aborted.is_set():
                raise Aborted

    async def _sleep_unless_aborted(self, seconds: float) -> None:
        try:
            async with asyncio.timeout(seconds):
                await self._aborted.wait()
        except TimeoutError:
            return
        raise Aborted


class RunRegistry:
    def __init__(self) -> None:
        self._runs: dict[tuple[str, str], set[RunControl]] = {}

    def add(self, flow_id: str, chat_id: str, control: RunControl) -> None:
        self._runs.setdefault((flow_id, chat_id), set()).add(control)

    def remove(self, flow_id: str, chat_id: str, control: RunControl) -> None:
        controls = self._runs.get((flow_id, chat_id))
        if controls is None:
            return
        controls.discard(control)
        if not controls:
            del self._runs[(flow_id, chat_id)]

    def abort(self, flow_id: str, chat_id: str) -> None:
        for control in self._runs.get((flow_id, chat_id), set()):
            control.abort()

    def abort_all(self) -> None:
        for controls in self._runs.values():
            for control in controls:
                control.abort()
