"""Shared fixtures: embedded demo servers on loopback, settings kept apart, garbage freed."""

from __future__ import annotations

import gc
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


FROZEN_GROWTH = 200_000
"""How many objects may be frozen since the last clean-up before the next one: a full
collection costs a tenth of a second or so, so it is not done after every test."""


@pytest.fixture(scope="session")
def frozen_after_cleanup() -> list[int]:
    return [gc.get_freeze_count()]


@pytest.fixture(autouse=True)
def collectable_garbage(frozen_after_cleanup: list[int]) -> Iterator[None]:
    """The app freezes all that exists when its first screen is up out of garbage collection
    (`Pacing.started`: once a process, for a user). In a test run that is once a test, and
    each freeze would keep the garbage of the tests before it for the rest of the run. So
    once enough is frozen, the frozen is unfrozen, collected and what lives frozen again;
    the collector is left on or off as the test found it."""
    enabled = gc.isenabled()
    yield
    if gc.get_freeze_count() > frozen_after_cleanup[0] + FROZEN_GROWTH:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        frozen_after_cleanup[0] = gc.get_freeze_count()
    if enabled:
        gc.enable()
    else:
        gc.disable()
