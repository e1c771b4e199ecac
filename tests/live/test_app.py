"""The real app against a real Flowise, driven like a person would, with the default timeouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.turn import AnswerStatus, TurnView
from flowise_tui.conversation import TurnStatus
from flowise_tui.flowise import Chatflow
from tests.app.conftest import SIZE, build_app, opened, wait_for
from tests.faults.helpers import ask, notifications
from tests.live import settings


def role(name: str):
    return pytest.mark.parametrize("flow", [name], indirect=True)


def live_app(tmp_path: Path, flow: Chatflow, api_key: str | None = settings.API_KEY) -> FlowiseApp:
    return build_app(tmp_path, url=settings.URL, api_key=api_key, chatflow=flow.id)


def pane_title(pilot: Pilot, pane: str) -> str:
    view = pilot.app.screen.query(TurnView).last()
    collapsible = view.query_one(f"#{pane}")
    return collapsible.title if collapsible.display else ""


@role("plain")
async def test_two_turns_one_session_then_history(flow: Chatflow, tmp_path: Path) -> None:
    async with live_app(tmp_path, flow).run_test(size=SIZE) as pilot:
        app = await opened(pilot, flow.id)
        first = await ask(pilot, "My name is Ada.")
        second = await ask(pilot, "What is my name?")
        assert first.status is TurnStatus.DONE and second.status is TurnStatus.DONE
        chat_id = app.chat.conversation.chat_id
        assert first.answer.metadata.chat_id == second.answer.metadata.chat_id == chat_id
        await wait_for(pilot, lambda: len(app.history.load(app.chat.conversation.id).turns) == 2)
        if not settings.API_KEY:
            return
        app.history.delete(app.chat.conversation.id)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.screen.entries, 30)
        assert "My name is Ada." in [entry.title for entry in app.screen.entries]


@role("plain")
async def test_rating_an_answer_says_what_the_flow_allows(flow: Chatflow, tmp_path: Path) -> None:
    async with live_app(tmp_path, flow).run_test(size=SIZE) as pilot:
        app = await opened(pilot, flow.id)
        await ask(pilot, "Rate me.")
        app.chat.query_one(TurnView).focus()
        await pilot.press("plus")
        await pilot.pause(0.2)
        from flowise_tui.app.screens.feedback import FeedbackScreen

        if app.chat.chatbot_config.feedback_enabled:
            assert isinstance(app.screen, FeedbackScreen)
        else:
            assert "Feedback is not enabled" in "\n".join(notifications(app))


@pytest.mark.parametrize(
    ("flow", "question", "pane"),
    [
        ("rag", "When does the bakery open?", "sources-pane"),
        ("tool", "What is 2 + 2?", "tools-pane"),
        ("agentflow", "Hello agentflow", "steps-pane"),
    ],
    indirect=["flow"],
)
async def test_what_the_flow_did_is_shown(
    flow: Chatflow, question: str, pane: str, tmp_path: Path
) -> None:
    async with live_app(tmp_path, flow).run_test(size=SIZE) as pilot:
        await opened(pilot, flow.id)
        turn = await ask(pilot, question)
        assert turn.status is TurnStatus.DONE and turn.answer.text
        assert "(" in pane_title(pilot, pane) and "(0)" not in pane_title(pilot, pane)


@role("error")
async def test_failing_flow_is_shown_and_the_app_goes_on(flow: Chatflow, tmp_path: Path) -> None:
    async with live_app(tmp_path, flow).run_test(size=SIZE) as pilot:
        app = await opened(pilot, flow.id)
        turn = await ask(pilot, "Please fail.")
        assert turn.status is TurnStatus.FAILED and turn.answer.error
        status = str(app.chat.query_one(AnswerStatus).render())
        assert "failed" in status and turn.answer.error[:40] in status
        again = await ask(pilot, "And again?")
        assert again.status is TurnStatus.FAILED and app.is_running


@role("protected")
async def test_protected_flow_explains_its_key(flow: Chatflow, tmp_path: Path) -> None:
    async with live_app(tmp_path, flow).run_test(size=SIZE) as pilot:
        await opened(pilot, flow.id)
        turn = await ask(pilot, "Let me in.")
        assert turn.status is TurnStatus.FAILED and "has its own API key" in turn.answer.error
    if not settings.FLOW_KEY:
        pytest.skip("the flow's own key is not given (FLOWISE_LIVE_FLOW_KEY)")
    async with live_app(tmp_path, flow, settings.FLOW_KEY).run_test(size=SIZE) as pilot:
        app = await opened(pilot, flow.id)
        turn = await ask(pilot, "Let me in.")
        assert turn.status is TurnStatus.DONE and turn.answer.text
        assert settings.FLOW_KEY not in app.export_screenshot()


@role("slow")
async def test_escape_stops_mid_answer_and_keeps_it(flow: Chatflow, tmp_path: Path) -> None:
    async with live_app(tmp_path, flow).run_test(size=SIZE) as pilot:
        app = await opened(pilot, flow.id)
        app.chat.prompt.load_text("A long story, please.")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.turns)
        turn = app.chat.conversation.turns[0]
        await wait_for(pilot, lambda: turn.answer.token_events >= 3, 30)
        await pilot.press("escape")
        await wait_for(pilot, lambda: turn.status is not TurnStatus.STREAMING)
        assert turn.status is TurnStatus.STOPPED and turn.answer.text
        kept = turn.answer.text
        await pilot.pause(1.0)
        assert turn.answer.text == kept, "nothing more was read after the stop"
        app.chat.prompt.clear()
        await wait_for(pilot, lambda: not app.chat.streaming)
        assert app.is_running and not app.chat.streaming
