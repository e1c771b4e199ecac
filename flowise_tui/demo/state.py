"""Everything one demo app instance owns, so several servers can share a process."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from .auth import bearer_token
from .flows import PROTECTED_FLOW_KEY
from .hub import StreamHub
from .runs import RunControl, RunRegistry
from .store import DemoStore


@dataclass(frozen=True)
class DemoSettings:
    token_delay: float = 0.02
    api_key: str | None = None
    heartbeat_interval: float = 30.0


@dataclass
class DemoState:
    settings: DemoSettings
    store: DemoStore = field(default_factory=DemoStore)
    runs: RunRegistry = field(default_factory=RunRegistry)
    hub: StreamHub = field(init=False)
    shutting_down: asyncio.Event = field(default_factory=asyncio.Event)
    loop: asyncio.AbstractEventLoop | None = None

    def __post_init__(self) -> None:
        self.hub = StreamHub(self.settings.heartbeat_interval)

    def started(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.shutting_down = asyncio.Event()
        self.hub.start()

    def begin_shutdown(self) -> None:
        self.shutting_down.set()
        self.runs.abort_all()

    def request_shutdown_threadsafe(self) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.begin_shutdown)

    def new_control(self, minimum_delay: float = 0.0) -> RunControl:
        control = RunControl(max(self.settings.token_delay, minimum_delay))
        if self.shutting_down.is_set():
            control.abort()
        return control

    def management_allowed(self, authorization: str | None) -> bool:
        if self.settings.api_key is None:
            return True
        return bearer_token(authorization) in {self.settings.api_key, PROTECTED_FLOW_KEY}
