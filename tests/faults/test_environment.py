"""Faults around the server: no server, no name, a bad certificate, and a hostile local disk."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox

from flowise_tui.app.screens.connect import ConnectScreen
from flowise_tui.cli import main
from flowise_tui.conversation import TurnStatus
from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.flowise import (
    Cause,
    FlowiseClient,
    FlowiseConnectionError,
    PredictionRequest,
)
from tests.app.conftest import SIZE, opened, ready, wait_for
from tests.faults.helpers import ask, notifications, run_app_with

UNREACHABLE = [
    ("http://127.0.0.1:9", "connection refused"),
    ("http://no-such-host.invalid", "does not resolve"),
]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
    names = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(
        [*command.split(), "-keyout", str(key), "-out", str(cert), *names],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.fixture(scope="module")
def tls_server(certificate: tuple[str, str]):
    with DemoServer(token_delay=0, ssl_certfile=certificate[0], ssl_keyfile=certificate[1]) as s:
        yield s


@pytest.mark.parametrize(("url", "says"), UNREACHABLE)
async def test_client_cannot_reach(url: str, says: str) -> None:
    async with FlowiseClient(url) as client:
        with pytest.raises(FlowiseConnectionError, match=says):
            async for _ in client.stream_prediction(CHAT_FLOW_ID, PredictionRequest("hi")):
                pass


@pytest.mark.parametrize(("url", "says"), UNREACHABLE)
def test_cli_cannot_reach(url: str, says: str, capsys) -> None:
    assert main(["ask", "--url", url, CHAT_FLOW_ID, "hi"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and says in err and "Traceback" not in err


@pytest.mark.parametrize(("url", "says"), UNREACHABLE)
async def test_app_cannot_reach_keeps_the_question(url: str, says: str, make_app) -> None:
    async with make_app(url=url, chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = pilot.app
        await connect_screen(pilot)
        assert says in str(app.screen.query_one("#connect-problem").render())
        await pilot.press("escape")
        app.chat.open_chatflow(app.chat.chatflow or _flow())
        turn = await ask(pilot, "typed while offline")
        assert turn.status is TurnStatus.FAILED and says in turn.answer.error
        assert app.chat.prompt.text == "typed while offline"


async def connect_screen(pilot: Pilot) -> ConnectScreen:
    """The Connect screen, once it shows its problem and its buttons."""
    app = pilot.app
    await wait_for(
        pilot, lambda: isinstance(app.screen, ConnectScreen) and app.screen.query("#save")
    )
    await pilot.pause()
    return app.screen  # type: ignore[return-value]


def _flow():
    from flowise_tui.flowise import Chatflow

    return Chatflow(id=CHAT_FLOW_ID, name="Demo Chat")


async def test_client_refuses_a_self_signed_certificate(tls_server: DemoServer) -> None:
    async with FlowiseClient(tls_server.url) as client:
        with pytest.raises(FlowiseConnectionError) as raised:
            await client.ping()
    message = str(raised.value)
    assert "TLS certificate" in message and "self-signed" in message and "--" not in message
    assert raised.value.cause is Cause.TLS_UNVERIFIED
    async with FlowiseClient(tls_server.url, verify=False) as client:
        assert await client.ping() == "pong"


def test_cli_self_signed_certificate(tls_server: DemoServer, capsys) -> None:
    argv = ["ask", "--url", tls_server.url, CHAT_FLOW_ID, "hi"]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == "" and "could not be verified" in err and "--insecure" in err
    assert main([*argv, "--insecure"]) == 0
    assert capsys.readouterr().out.strip()


async def test_app_self_signed_certificate_then_insecure(tls_server: DemoServer, make_app) -> None:
    async with make_app(url=tls_server.url).run_test(size=SIZE) as pilot:
        app = pilot.app
        await connect_screen(pilot)
        problem = str(app.screen.query_one("#connect-problem").render())
        assert "could not be verified" in problem and "--" not in problem
        assert 'tick "Skip TLS certificate check" below' in problem
        app.screen.query_one("#insecure", Checkbox).value = True
        await pilot.click("#save")
        await ready(pilot)
        assert app.connection.insecure


def test_corrupt_config_is_reported_kept_and_the_chat_works(
    monkeypatch, isolated_settings: Path, demo_url: str
) -> None:
    config = isolated_settings / "config.toml"
    corrupt = b'active_profile = "work"\n[profiles.work\nurl = 1\n'
    config.write_bytes(corrupt)
    seen: dict[str, object] = {}

    async def script(pilot: Pilot) -> None:
        app = await opened(pilot, CHAT_FLOW_ID)
        seen["turn"] = await ask(pilot, "does the chat work?")
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause(0.1)
        seen["notes"] = notifications(app)

    assert run_app_with(monkeypatch, script, url=demo_url, chatflow=CHAT_FLOW_ID) == 0
    assert seen["turn"].status is TurnStatus.DONE  # type: ignore[attr-defined]
    notes = "\n".join(seen["notes"])  # type: ignore[arg-type]
    assert f"Config file {config} is not valid TOML (line 2" in notes
    assert "Running with default settings" in notes
    assert "Settings not saved" in notes and "Refusing to overwrite" in notes
    assert config.read_bytes() == corrupt


def test_unreadable_config_is_reported_and_the_chat_works(
    monkeypatch, isolated_settings: Path, demo_url: str
) -> None:
    config = isolated_settings / "config.toml"
    config.mkdir()
    seen: dict[str, object] = {}

    async def script(pilot: Pilot) -> None:
        app = await opened(pilot, CHAT_FLOW_ID)
        seen["turn"] = await ask(pilot, "does the chat work?")
        seen["notes"] = notifications(app)

    assert run_app_with(monkeypatch, script, url=demo_url, chatflow=CHAT_FLOW_ID) == 0
    assert seen["turn"].status is TurnStatus.DONE  # type: ignore[attr-defined]
    assert f"Config file {config} could not be read" in "\n".join(seen["notes"])  # type: ignore[arg-type]


def _can_write(directory: Path) -> bool:
    probe = directory / ".probe"
    try:
        probe.touch()
    except OSError:
        return False
    probe.unlink()
    return True


async def test_read_only_config_dir_keeps_the_file_and_the_chat(
    make_app: Callable, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('active_profile = "default"\n')
    os.chmod(tmp_path, 0o500)
    try:
        if _can_write(tmp_path):
            pytest.skip("running with privileges that ignore directory permissions")
        async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
            app = await opened(pilot, CHAT_FLOW_ID)
            app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
            await pilot.pause(0.1)
            notes = "\n".join(notifications(app))
            assert "Settings not saved" in notes and "Permission denied" in notes
            assert (await ask(pilot, "still chatting")).status is TurnStatus.DONE
        assert config.read_text() == 'active_profile = "default"\n'
    finally:
        os.chmod(tmp_path, 0o700)


async def test_full_disk_while_saving_history(make_app: Callable) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        first = await ask(pilot, "saved while there is room")
        await wait_for(pilot, lambda: app.history.list_conversations())
        # SQLite's answer to a full disk is SQLITE_FULL; a page limit gives the very same.
        db: sqlite3.Connection = app.history._connection
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        second = await ask(pilot, "a long question " * 2000)
        await wait_for(pilot, lambda: "History" in "\n".join(notifications(app)))
        notes = "\n".join(notifications(app))
        assert "database or disk is full" in notes and "The chat goes on" in notes
        assert second.status is TurnStatus.DONE and second.answer.text
        third = await ask(pilot, "and on")
        assert third.status is TurnStatus.DONE and app.is_running
        stored = app.history.load(app.chat.conversation.id)
        saved = [t.question for t in stored.turns]  # a short turn may still fit in a page
        assert saved[0] == first.question and second.question not in saved
