"""Shared fixtures: embedded demo servers on loopback, settings kept apart."""

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


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads or writes the real config or history, or sees the caller's Flowise env."""
    home = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("FLOWISE_TUI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("FLOWISE_TUI_DATA_DIR", str(home / "data"))
    for name in ("FLOWISE_URL", "FLOWISE_API_KEY", "FLOWISE_TUI_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return home
