"""Drive the real app against the demo server over loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen

from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.screens.chat import ChatScreen
from flowise_tui.app.widgets.choices import Choices
from flowise_tui.config import Connection, load_config
from flowise_tui.conversation import Turn, TurnStatus
from flowise_tui.history import HistoryStore

SIZE = (140, 44)


def build_app(
    tmp_path: Path,
    *,
    url: str,
    api_key: str | None = None,
    chatflow: str | None = None,
    connect_first: bool = False,
) -> FlowiseApp:
    """The app with its config, exports and history kept under `tmp_path`."""
    config = load_config(tmp_path / "config.toml")
    config.ui_set("export_dir", str(tmp_path / "exports"))
    connection = Connection(
        url=url, api_key=api_key, profile="test", insecure=False, default_chatflow=None
    )
    return FlowiseApp(
        config,
        connection,
        chatflow=chatflow,
        history=HistoryStore(tmp_path / "history.sqlite3"),
        connect_first=connect_first,
    )


@pytest.fixture
def make_app(demo_url: str, tmp_path: Path) -> Callable[..., FlowiseApp]:
    def factory(**options: object) -> FlowiseApp:
        options.setdefault("url", demo_url)
        return build_app(tmp_path, **options)  # type: ignore[arg-type]

    return factory


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)


async def showing(pilot: Pilot, screen_type: type[Screen]) -> Screen:
    """Let the app run until it shows a screen of `screen_type` with its widgets mounted
    (a screen is pushed, then built)."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, screen_type) and app.screen.is_mounted)
    return app.screen


async def ready(pilot: Pilot) -> FlowiseApp:
    """Let the app run until its chat screen is built and lists the chatflows."""
    app: FlowiseApp = pilot.app  # type: ignore[assignment]
    await showing(pilot, ChatScreen)
    await wait_for(pilot, lambda: app.chat.query_one("ChatflowPicker").flows)
    return app


async def starter_prompts(pilot: Pilot) -> Choices:
    """The open chatflow's starter prompts, once they are listed (the list is built when a
    chatflow first has some)."""
    chat: ChatScreen = pilot.app.chat  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: [c for c in chat.query("#starters") if c.option_count])
    return chat.query_one("#starters", Choices)


async def opened(pilot: Pilot, flow_id: str) -> FlowiseApp:
    app: FlowiseApp = pilot.app  # type: ignore[assignment]
    await wait_for(pilot, lambda: app.chat.chatflow is not None and app.chat.chatflow.id == flow_id)
    return app


async def run_command(pilot: Pilot, typed: str) -> None:
    """Open the command palette, type `typed` and run the command it highlights."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*typed)
    await pilot.pause(0.3)
    await pilot.press("enter")


async def ask(pilot: Pilot, question: str) -> Turn:
    """Type a question into the prompt, send it, and wait for the answer to finish."""
    app: FlowiseApp = pilot.app  # type: ignore[assignment]

    def turns() -> list[Turn]:
        return app.chat.conversation.turns if app.chat.conversation else []

    before = len(turns())
    app.chat.prompt.focus()
    app.chat.prompt.load_text(question)
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(turns()) > before)
    turn = turns()[before]
    await wait_for(pilot, lambda: turn.status is not TurnStatus.STREAMING)
    await wait_for(pilot, lambda: not app.chat.streaming)
    await pilot.pause()
    return turn


async def streaming(pilot: Pilot, question: str, *, tokens: int) -> Turn:
    """Send a question and return its turn once `tokens` tokens have arrived."""
    app: FlowiseApp = pilot.app  # type: ignore[assignment]
    before = len(app.chat.conversation.turns) if app.chat.conversation else 0
    app.chat.prompt.load_text(question)
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(app.chat.conversation.turns) > before)
    turn = app.chat.conversation.turns[before]
    await wait_for(pilot, lambda: turn.answer.token_events >= tokens)
    return turn
