"""Shared fixtures: embedded demo servers on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from flowise_tui.demo import DemoServer


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer(token_delay=0) as server:
        yield server


@pytest.fixture(scope="session")
def demo_url(demo_server: DemoServer) -> str:
    return demo_server.url


@pytest.fixture
def make_demo_server() -> Iterator[Callable[..., DemoServer]]:
    started: list[DemoServer] = []

    def factory(
        *,
        token_delay: float = 0,
        api_key: str | None = None,
        heartbeat_interval: float = 30.0,
    ) -> DemoServer:
        server = DemoServer(
            token_delay=token_delay, api_key=api_key, heartbeat_interval=heartbeat_interval
        )
        started.append(server.start())
        return server

    yield factory
    for server in started:
        server.stop()
