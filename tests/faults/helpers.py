"""Run the real `run_app` start-up path headless, with a script in place of the user."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from flowise_tui.app.app import FlowiseApp
from flowise_tui.cli import run_app
from flowise_tui.conversation import Turn
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.flowise import FlowiseClient
from tests.app.conftest import SIZE, build_app, wait_for
from tests.faults.cases import SHORT_LIMITS

Script = Callable[[Pilot], Awaitable[None]]


def run_app_with(monkeypatch: pytest.MonkeyPatch, script: Script, **options: object) -> int:
    """`flowise-tui [options]` as the command line starts it, driven by `script`."""
    original = FlowiseApp.run

    async def autopilot(pilot: Pilot) -> None:
        try:
            await script(pilot)
        finally:
            pilot.app.exit()

    def headless_run(self: FlowiseApp, *args: object, **kwargs: object) -> None:
        original(self, headless=True, size=SIZE, auto_pilot=autopilot)

    monkeypatch.setattr(FlowiseApp, "run", headless_run)
    defaults = {
        "demo": False,
        "url": None,
        "chatflow": None,
        "profile": None,
        "api_key": None,
        "insecure": False,
    }
    return run_app(argparse.Namespace(**{**defaults, **options}))


def notifications(app: FlowiseApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


# 100,000 events through the whole render path take a while; never a timing assert.
PATIENCE = 120.0


async def ask(pilot: Pilot, question: str) -> Turn:
    """Type a question, send it, and wait, patiently, for the answer to finish."""
    app: FlowiseApp = pilot.app  # type: ignore[assignment]
    turns = app.chat.conversation.turns  # type: ignore[union-attr]
    before = len(turns)
    app.chat.prompt.focus()
    app.chat.prompt.load_text(question)
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(turns) > before and not app.chat.streaming, PATIENCE)
    await pilot.pause()
    return app.chat.conversation.turns[-1]  # type: ignore[union-attr]


async def app_for(url: str, tmp_path: Path) -> FlowiseApp:
    """The app on `url`, with the short timeouts of the fault corpus."""
    app = build_app(tmp_path, url=url, chatflow=CHAT_FLOW_ID)
    await app.client.aclose()
    app.client = FlowiseClient(url, limits=SHORT_LIMITS)
    return app
