"""The footer names the keys that work here and now, and fits an 80-column terminal."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from flowise_tui.app.screens.connect import ConnectScreen
from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.footer import AppFooter
from flowise_tui.app.widgets.prompt import PromptArea
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.conversation import TurnStatus
from flowise_tui.demo.flows import CHAT_FLOW_ID, SLOW_FLOW_ID
from tests.app.conftest import SIZE, ask, opened, showing, wait_for
from tests.app.test_small_screens import SMALL, footer_keys, on_screen


async def test_esc_is_named_while_an_answer_streams(make_app, make_demo_server) -> None:
    server = make_demo_server(token_delay=0.05)
    async with make_app(url=server.url, chatflow=SLOW_FLOW_ID).run_test(size=SMALL) as pilot:
        app = await opened(pilot, SLOW_FLOW_ID)
        assert "Stop" not in footer_keys(app)
        await pilot.press(*"tell me a story", "enter")
        await wait_for(pilot, lambda: app.chat.streaming)
        await wait_for(pilot, lambda: "Stop" in footer_keys(app))
        keys = footer_keys(app)
        assert all(on_screen(app, key) for key in keys.values())
        assert "Quit" in keys
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.chat.conversation.turns[0].status is TurnStatus.STOPPED)
        await wait_for(pilot, lambda: "Stop" not in footer_keys(app))
        assert "Export" in footer_keys(app)


async def test_a_dialog_lists_its_own_keys(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "hello")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_for(pilot, lambda: "Close" in footer_keys(app))
        assert {"Close", "Delete"} <= set(footer_keys(app))
        assert "New chat" not in footer_keys(app)
        await pilot.press("escape", "f2")
        await showing(pilot, ConnectScreen)
        await wait_for(pilot, lambda: "Cancel" in footer_keys(app))
        assert "History" not in footer_keys(app)


async def test_keys_the_footer_removed_are_freed(make_app) -> None:
    """Every change of focus rebuilds the footer; the keys it removed must not stay alive
    (Textual keeps a key bound to the footer's `compact` until `compact` changes)."""
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "hello")
        answer, prompt = app.chat.query_one(TurnView), app.chat.query_one(PromptArea)
        gc.collect()
        # Keys of apps closed by earlier tests in this process are not this footer's.
        earlier = {id(obj) for obj in gc.get_objects() if isinstance(obj, FooterKey)}
        for _ in range(8):
            for widget in (answer, prompt):  # an answer's keys, then the prompt's: new keys
                widget.focus()
                await pilot.pause()
        gc.collect()
        footer = app.chat.query_one(AppFooter)
        shown = set(footer.query(FooterKey).results())
        alive = [
            obj for obj in gc.get_objects() if isinstance(obj, FooterKey) and id(obj) not in earlier
        ]
        assert len(shown) >= 3
        assert [key for key in alive if key not in shown] == []


async def test_the_footer_is_rebuilt_only_when_its_keys_change(make_app) -> None:
    """Textual asks for a rebuild at every change of focus and several times while a screen
    starts; a rebuild that would show the same keys is skipped."""
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "hello")
        footer = app.chat.query_one(AppFooter)
        before = list(footer.query(FooterKey).results())
        for _ in range(3):
            app.chat.refresh_bindings()  # the same keys in force
            await pilot.pause()
        await pilot.press("ctrl+b")  # the picker's filter: the same keys as the prompt
        await pilot.pause()
        assert list(footer.query(FooterKey).results()) == before
        app.chat.query_one(TurnView).focus()  # an answer: its own keys
        await wait_for(pilot, lambda: list(footer.query(FooterKey).results()) != before)
        after = list(footer.query(FooterKey).results())
        assert after and not set(after) & set(before)
