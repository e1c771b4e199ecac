"""Copying says what was done: a clipboard tool that worked, or an OSC 52 request sent."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.clipboard import clipboard_tool, copy_with_tool
from flowise_tui.demo.flows import CHAT_FLOW_ID
from tests.app.conftest import SIZE, ask, opened, wait_for
from tests.faults.helpers import notifications


def fake_tool(directory: Path, name: str, exit_code: int = 0) -> Path:
    """A real program standing in for xclip: it writes what it is given to a file."""
    directory.mkdir(exist_ok=True)
    received = directory / f"{name}.received"
    script = directory / name
    script.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"open({str(received)!r}, 'wb').write(sys.stdin.buffer.read())\n"
        f"sys.exit({exit_code})\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return received


def test_no_display_and_no_tool_means_no_tool(tmp_path: Path) -> None:
    fake_tool(tmp_path / "bin", "xclip")
    assert clipboard_tool({"PATH": str(tmp_path / "bin")}) is None  # no DISPLAY
    assert clipboard_tool({"PATH": str(tmp_path / "empty"), "DISPLAY": ":0"}) is None


def test_the_tool_gets_the_text(tmp_path: Path) -> None:
    received = fake_tool(tmp_path / "bin", "xclip")
    env = {"PATH": str(tmp_path / "bin"), "DISPLAY": ":0"}
    assert copy_with_tool("déjà vu\n", env) == "xclip"
    assert received.read_text() == "déjà vu\n"


def test_a_failing_tool_is_not_claimed(tmp_path: Path) -> None:
    fake_tool(tmp_path / "bin", "wl-copy", exit_code=1)
    env = {"PATH": str(tmp_path / "bin"), "WAYLAND_DISPLAY": "wayland-0"}
    assert copy_with_tool("text", env) is None


@pytest.mark.parametrize("with_tool", [True, False])
async def test_the_app_says_how_it_copied(
    with_tool: bool, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    received = fake_tool(tmp_path / "bin", "xclip")
    monkeypatch.setenv("PATH", str(tmp_path / ("bin" if with_tool else "empty")) + os.pathsep)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        turn = await ask(pilot, "something to copy")
        app.chat.query_one(TurnView).focus()
        await pilot.press("c")
        await wait_for(pilot, lambda: any("Answer" in n for n in notifications(app)))
        notice = next(n for n in notifications(app) if "Answer" in n)
        assert app.clipboard == turn.answer.text
        if with_tool:
            assert "copied to the clipboard (xclip)" in notice
            assert received.read_text() == turn.answer.text
        else:
            assert "OSC 52" in notice and "copied" not in notice
