"""The status line under an answer claims only what happened."""

from __future__ import annotations

import re

from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.conversation import TurnStatus
from flowise_tui.demo.flows import CHAT_FLOW_ID, NOSTREAM_FLOW_ID
from tests.app.conftest import SIZE, ask, opened, wait_for
from tests.faults.conftest import fault_url


def status_of(view: TurnView) -> str:
    return view.status_content().plain


async def test_an_answer_with_no_text_says_so(make_app, demo_server) -> None:
    url = fault_url(demo_server, "no-text")
    async with make_app(url=url, chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        turn = await ask(pilot, "anything?")
        assert turn.status is TurnStatus.DONE and turn.answer.text == ""
        status = status_of(pilot.app.chat.query_one(TurnView))
        assert "no answer" in status and "✓ done" not in status


async def test_an_answer_that_was_not_streamed_has_no_rate(make_app) -> None:
    async with make_app(chatflow=NOSTREAM_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, NOSTREAM_FLOW_ID)
        turn = await ask(pilot, "hello")
        assert turn.answer.text
        status = status_of(pilot.app.chat.query_one(TurnView))
        assert "✓ done" in status and "tok/s" not in status


async def test_turns_read_from_the_server_claim_no_outcome_or_time(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "remember me")
        chat_id = app.chat.conversation.chat_id
        app.history.delete(app.chat.conversation.id)
        await pilot.press("ctrl+n", "ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.screen.entries)
        titles = [entry.title for entry in app.screen.entries]
        app.screen.query_one("#history-list").highlighted = titles.index("remember me")
        app.screen.query_one("#history-list").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.chat_id == chat_id)
        view = app.chat.query_one(TurnView)
        assert view.turn.status is TurnStatus.FROM_SERVER
        status = status_of(view)
        assert "from the server" in status and "done" not in status
        assert not re.search(r"\d s\b", status), "no time the server never told"
