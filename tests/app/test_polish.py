"""Command palette, themes remembered, clipboard, opening a chatflow by name at start."""

from __future__ import annotations

from flowise_tui.app.screens.connect import ConnectScreen
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.config import load_config
from flowise_tui.demo.flows import CHAT_FLOW_ID, RAG_FLOW_ID, TOOL_FLOW_ID
from tests.app.conftest import SIZE, ask, opened, ready, run_command, wait_for


async def test_palette_switches_chatflow(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await ready(pilot)
        await run_command(pilot, "switch chatflow: tool")
        await opened(pilot, TOOL_FLOW_ID)


async def test_palette_runs_app_actions(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "something to copy")
        await run_command(pilot, "copy last code block")
        await wait_for(pilot, lambda: app.clipboard)
        assert app.clipboard.startswith("def reverse_words")
        view = app.chat.query_one(TurnView)
        await pilot.press("ctrl+up")
        assert view.has_focus
        await pilot.press("c")
        assert app.clipboard == view.turn.answer.text


async def test_theme_choice_is_remembered(make_app, tmp_path) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await ready(pilot)
        pilot.app.theme = "nord"
        await pilot.pause()
    assert load_config(tmp_path / "config.toml").ui_get("theme") == "nord"
    async with make_app().run_test(size=SIZE) as pilot:
        assert pilot.app.theme == "nord"


async def test_chatflow_by_name_opens_ready_to_type(make_app) -> None:
    async with make_app(chatflow="Bakery Docs (RAG)").run_test(size=SIZE) as pilot:
        app = await opened(pilot, RAG_FLOW_ID)
        assert app.chat.prompt.has_focus
        await pilot.press(*"Who is the head baker?")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.turns)
        await wait_for(pilot, lambda: not app.chat.streaming)
        assert app.chat.conversation.turns[0].answer.sources


async def test_unknown_chatflow_at_start_says_so_and_offers_the_list(make_app) -> None:
    async with make_app(chatflow="No Such Flow").run_test(size=SIZE) as pilot:
        app = pilot.app
        await wait_for(pilot, lambda: app._notifications)
        assert any("No chatflow is named 'No Such Flow'" in n.message for n in app._notifications)
        await wait_for(pilot, lambda: app.chat.query_one("#flow-filter").has_focus)
        assert not isinstance(app.screen, ConnectScreen), "a wrong name is no connection problem"
        assert app.chat.query_one("#flow-filter").value == "No Such Flow"
        assert app.chat.chatflow is None and app.is_running


async def test_answers_are_reachable_from_the_keyboard(make_app) -> None:
    async with make_app(chatflow=RAG_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, RAG_FLOW_ID)
        await ask(pilot, "When does the bakery open?")
        await ask(pilot, "Who is the head baker?")
        first, second = app.chat.query(TurnView)
        await pilot.press("ctrl+up")
        assert second.has_focus
        await pilot.press("ctrl+up")
        assert first.has_focus
        await pilot.press("p")
        assert not first.query_one("#sources-pane").collapsed
        await pilot.press("ctrl+down", "ctrl+down")
        assert app.chat.prompt.has_focus
