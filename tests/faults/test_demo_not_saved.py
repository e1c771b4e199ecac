"""`--demo` runs on a server that is gone after the run: Connect never saves its address."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from flowise_tui.config import load_config
from tests.app.conftest import wait_for
from tests.faults.helpers import notifications, run_app_with
from tests.faults.test_environment import connect_screen


def _f2_enter(url: str | None = None):
    async def script(pilot: Pilot) -> None:
        await pilot.press("f2")
        screen = await connect_screen(pilot)
        if url is not None:
            screen.query_one("#url", Input).value = url
        screen.query_one("#url", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: not pilot.app.screen.query("#connect"))
        script.notices = notifications(pilot.app)  # type: ignore[attr-defined]

    return script


def test_f2_enter_on_the_demo_saves_nothing(
    monkeypatch: pytest.MonkeyPatch, isolated_settings: Path
) -> None:
    path = isolated_settings / "config.toml"
    path.write_text('active_profile = "work"\n\n[profiles.work]\nurl = "http://flowise.example"\n')
    before = path.read_text()
    script = _f2_enter()
    assert run_app_with(monkeypatch, script, demo=True) == 0
    assert path.read_text() == before
    assert load_config(path).active_profile == "work"
    assert any("without saving" in notice for notice in script.notices)  # type: ignore[attr-defined]


def test_a_new_address_typed_during_the_demo_is_saved(
    monkeypatch: pytest.MonkeyPatch, isolated_settings: Path, demo_url: str
) -> None:
    path = isolated_settings / "config.toml"
    assert run_app_with(monkeypatch, _f2_enter(demo_url), demo=True) == 0
    config = load_config(path)
    assert config.profiles[config.active_profile].url == demo_url
