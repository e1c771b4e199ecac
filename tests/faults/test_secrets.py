"""The API key never shows: not on screen, in logs, exports, history, errors or tracebacks."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from rich.console import Console
from rich.traceback import Traceback
from textual.command import CommandPalette

from flowise_tui.app.screens.connect import ConnectScreen
from flowise_tui.cli import build_parser, main
from flowise_tui.config import Config, Profile, save_config
from flowise_tui.conversation import Turn
from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.flowise import FlowiseClient, PredictionRequest
from flowise_tui.flowise.events import ErrorEvent, MetadataEvent, TokenEvent
from tests.app.conftest import SIZE, build_app, opened, showing, wait_for
from tests.faults.conftest import fault_url
from tests.faults.helpers import ask

KEY = "sk-flowise-SECRET-0123456789abcdef"


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


async def test_a_server_echoing_the_key_never_gets_it_shown(fault_server: DemoServer) -> None:
    records, root = Records(), logging.getLogger()
    level = root.level
    root.addHandler(records)
    root.setLevel(logging.DEBUG)  # httpx and httpcore log every request and header phase
    try:
        async with FlowiseClient(fault_url(fault_server, "echo-key"), KEY) as client:
            request = PredictionRequest("q")
            events = [e async for e in client.stream_prediction(CHAT_FLOW_ID, request)]
            assert KEY not in repr(client)
    finally:
        root.removeHandler(records)
        root.setLevel(level)
    token = next(e for e in events if isinstance(e, TokenEvent))
    assert token.text == "Your key is *** ."
    assert "***" in next(e for e in events if isinstance(e, ErrorEvent)).message
    assert next(e for e in events if isinstance(e, MetadataEvent)).payload["key"] == "***"
    assert KEY not in repr(events)
    assert records.lines and KEY not in "\n".join(records.lines)


def test_cli_output_and_errors_never_hold_the_key(fault_server: DemoServer, capsys) -> None:
    url = fault_url(fault_server, "echo-key")
    for extra in ([], ["--json"]):
        code = main(["ask", "--url", url, "--api-key", KEY, *extra, CHAT_FLOW_ID, "q"])
        out, err = capsys.readouterr()
        assert code == 1 and "***" in out + err and KEY not in out + err
    code = main(["chatflows", "--url", fault_url(fault_server, "http-401"), "--api-key", KEY])
    assert KEY not in "".join(capsys.readouterr())


async def test_screen_history_and_exports_never_hold_the_key(
    fault_server: DemoServer, tmp_path: Path
) -> None:
    url = fault_url(fault_server, "echo-key")
    app = build_app(tmp_path, url=url, api_key=KEY, chatflow=CHAT_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        turn = await ask(pilot, "what is my key?")
        assert "***" in turn.answer.text and KEY not in repr(turn.events)
        assert KEY not in app.export_screenshot()
        app.chat.action_export("markdown")
        app.chat.action_export("json")
        await wait_for(pilot, lambda: len(list((tmp_path / "exports").glob("*"))) == 2)
        await pilot.press("f2")
        await showing(pilot, ConnectScreen)
        await pilot.pause()
        assert KEY not in app.export_screenshot(), "the Connect screen masks the key"
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


async def test_profiles_in_the_palette_show_names_only(make_app, tmp_path: Path) -> None:
    app = make_app(chatflow=CHAT_FLOW_ID)
    app.config.set_profile(Profile(name="work", url="http://127.0.0.1:9", api_key=KEY))
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"switch profile")
        await pilot.pause(0.3)
        screenshot = app.export_screenshot()
        assert "work" in screenshot and KEY not in screenshot


async def test_a_crash_traceback_with_locals_holds_no_key(
    fault_server: DemoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual prints a crash with every frame's locals; none of ours may hold the key."""
    crash = RuntimeError("a bug while folding an event")

    def explode(self: Turn, event: object) -> None:
        raise crash

    monkeypatch.setattr(Turn, "apply", explode)
    app = build_app(tmp_path, url=fault_server.url, api_key=KEY, chatflow=CHAT_FLOW_ID)
    with pytest.raises(Exception) as raised:
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot, CHAT_FLOW_ID)
            app.chat.send("boom")
            await wait_for(pilot, lambda: not app.is_running)
    error = raised.value
    traceback = Traceback.from_exception(
        type(error), error, error.__traceback__, show_locals=True, locals_max_string=10_000
    )
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(traceback)
    text = console.export_text()
    assert "a bug while folding" in text and KEY not in text


def test_the_config_file_holding_a_key_is_private(tmp_path: Path) -> None:
    config = Config(path=tmp_path / "config.toml")
    config.set_profile(Profile(name="work", api_key=KEY))
    save_config(config)
    assert stat.S_IMODE((tmp_path / "config.toml").stat().st_mode) == 0o600
    assert KEY not in repr(config)


def test_help_steers_away_from_a_key_on_the_command_line() -> None:
    help_text = " ".join(build_parser().format_help().split())
    assert "prefer FLOWISE_API_KEY or a profile" in help_text
    assert "command lines are visible" in help_text
