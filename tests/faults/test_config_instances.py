"""Two instances of the app on one config file: neither drops what the other saved."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from flowise_tui.config import load_config
from flowise_tui.demo.flows import CHAT_FLOW_ID
from tests.app.conftest import SIZE, build_app, opened, wait_for
from tests.faults.test_environment import connect_screen

KEY = "sk-typed-into-connect-0123456789"


async def test_a_theme_change_keeps_the_profile_the_other_instance_saved(
    tmp_path: Path, demo_url: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('future_setting = 42\n\n[ui]\nsidebar = "left"\n')
    first = build_app(tmp_path, url=demo_url, chatflow=CHAT_FLOW_ID)
    second = build_app(tmp_path, url=demo_url, chatflow=CHAT_FLOW_ID)

    async with second.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        await pilot.press("f2")
        screen = await connect_screen(pilot)
        screen.query_one("#api-key", Input).value = KEY
        screen.query_one("#profile", Input).value = "home"
        screen.query_one("#url", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: second.connection.profile == "home")

    async with first.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        first.theme = "textual-light" if first.theme != "textual-light" else "textual-dark"
        await pilot.pause(0.1)
        theme = first.theme
        first.switch_profile("home")
        await pilot.pause(0.1)

    on_disk = load_config(path)
    assert on_disk.ui == {"sidebar": "left", "theme": theme}
    assert "export_dir" not in on_disk.ui, "what the instance holds only in memory stays there"
    assert on_disk.profiles["home"].api_key == KEY and on_disk.profiles["home"].url == demo_url
    assert on_disk.active_profile == "home" and on_disk.extra == {"future_setting": 42}
