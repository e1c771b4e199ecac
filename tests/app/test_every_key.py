"""One walk through every key the README's key table documents, in the order a person
would use them, each checked by what it did."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette

from flowise_tui.app.screens.connect import ConnectScreen
from flowise_tui.app.screens.feedback import FeedbackScreen
from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.picker import ChatflowPicker
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.conversation import TurnStatus
from flowise_tui.demo.flows import RAG_FLOW_ID
from tests.app.conftest import SIZE, opened, showing, wait_for


async def test_every_documented_key(make_app, make_demo_server, tmp_path: Path) -> None:
    server = make_demo_server(token_delay=0.05)  # slow enough to stop mid-answer
    async with make_app(url=server.url, chatflow=RAG_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, RAG_FLOW_ID)
        chat, prompt = app.chat, app.chat.prompt
        await wait_for(pilot, lambda: chat.chatbot_config.feedback_enabled)

        # Enter sends; ctrl+j adds a line.
        await pilot.press(*"Who is", "ctrl+j", *"the head baker?")
        assert prompt.text == "Who is\nthe head baker?"
        await pilot.press("enter")
        await wait_for(pilot, lambda: chat.conversation.turns)
        first = chat.conversation.turns[0]
        assert first.question == "Who is\nthe head baker?"
        # Esc stops the answer.
        await wait_for(pilot, lambda: first.answer.text)
        await pilot.press("escape")
        await wait_for(pilot, lambda: first.status is TurnStatus.STOPPED)
        # up on the first line brings the earlier prompt back; down goes back to the draft.
        await pilot.press("up")
        assert prompt.text == first.question
        await pilot.press("down", "down")
        assert prompt.text == ""
        await pilot.press(*"When does the bakery open?", "enter")
        await wait_for(pilot, lambda: len(chat.conversation.turns) == 2)
        second = chat.conversation.turns[1]
        await wait_for(pilot, lambda: second.status is TurnStatus.DONE)

        # ctrl+up / ctrl+down move between answers; on an answer: p, c, y, +, -.
        await pilot.press("ctrl+up")
        view = chat.query(TurnView).last()
        assert view.has_focus
        await pilot.press("p")
        assert not view.query_one("#sources-pane").collapsed
        await pilot.press("c")
        await wait_for(pilot, lambda: app.clipboard == second.answer.text)
        await pilot.press("y")
        await wait_for(pilot, lambda: any("code block" in n.message for n in app._notifications))
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: second.rating == "THUMBS_UP")
        view.focus()
        await pilot.press("minus")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: second.rating == "THUMBS_DOWN")
        await pilot.press("ctrl+down")
        assert prompt.has_focus

        # ctrl+s exports; ctrl+o opens history; F2 Connect; ctrl+p the palette.
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: list((tmp_path / "exports").glob("*.md")))
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press("escape", "f2")
        await showing(pilot, ConnectScreen)
        await pilot.press("escape", "ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is chat)

        # ctrl+b shows or hides the list; ctrl+n starts a new chat (a new session).
        sidebar = chat.query_one(ChatflowPicker)
        shown = sidebar.display
        await pilot.press("ctrl+b")
        assert sidebar.display is not shown
        session = chat.conversation.chat_id
        await pilot.press("ctrl+n")
        assert chat.conversation.chat_id != session and not chat.conversation.turns
