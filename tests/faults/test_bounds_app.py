"""The app meets the hostile server's replies within its limits: it says what happened, its
memory stays bounded, and it stays usable."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.screens.connect import ConnectScreen
from tests.app.conftest import build_app, wait_for
from tests.faults.hostile import HostileServer

SIZE = (140, 44)
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def app_for(url: str, tmp_path: Path, **limits: float) -> FlowiseApp:
    app = build_app(tmp_path, url=url)
    app.config.limits = replace(app.config.limits, **limits)
    return app


def picker_note(app: FlowiseApp) -> str:
    return str(app.chat.query_one("#picker-note").render())


def listing_done(app: FlowiseApp) -> bool:
    note = picker_note(app)
    return bool(note) and "Loading" not in note


def what_the_app_says(app: FlowiseApp) -> str:
    """The Connect screen's problem, when the server's ping failed; else the list's note."""
    if isinstance(app.screen, ConnectScreen):
        problem = app.screen.query("#connect-problem")
        return str(problem.first().render()) if problem else ""
    return picker_note(app) if listing_done(app) else ""


@pytest.mark.parametrize("behaviour", ["gzip-bomb", "endless-json", "endless-html"])
async def test_a_reply_that_never_ends_costs_its_limit(
    behaviour: str, hostile: HostileServer, tmp_path: Path
) -> None:
    app = app_for(hostile.url(behaviour), tmp_path, max_reply_bytes=MIB // 4)
    tracemalloc.start()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: what_the_app_says(app), timeout=60)
            said = what_the_app_says(app)
            assert app.chat.chatflows == [] and app.is_running
            await pilot.pause()
            await pilot.press(*"still typing")
            assert "still typing" in app.screen.focused.value  # type: ignore[union-attr]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "larger than 262,144 bytes" in said or "web page" in said, said
    assert peak < 64 * MIB, f"the reply cost {peak / MIB:.0f} MiB"


async def test_a_dripping_listing_ends_at_the_reply_timeout(
    hostile: HostileServer, tmp_path: Path
) -> None:
    app = app_for(hostile.url("drip-json"), tmp_path, reply_timeout=1.0, idle_timeout=30.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: listing_done(app), timeout=30)
        assert "1 s" in picker_note(app), picker_note(app)
        assert app.is_running
