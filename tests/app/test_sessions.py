"""Stopping, sessions, history, feedback, export, connecting; failures leave the app usable."""

from __future__ import annotations

import json
import stat

import httpx
from textual.widgets import Input

from flowise_tui.app.screens.connect import ConnectScreen
from flowise_tui.app.screens.feedback import FeedbackScreen
from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.turn import AnswerMarkdown, TurnView
from flowise_tui.conversation import TurnStatus
from flowise_tui.demo.flows import (
    CHAT_FLOW_ID,
    DEMO_FLOWS,
    ERROR_FLOW_ID,
    RAG_FLOW_ID,
    SLOW_FLOW_ID,
)
from flowise_tui.flowise import Chatflow
from tests.app.conftest import SIZE, ask, opened, ready, showing, streaming, wait_for


async def test_escape_stops_here_and_on_the_server(make_app, make_demo_server) -> None:
    server = make_demo_server(token_delay=0.05)
    async with make_app(url=server.url, chatflow=SLOW_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, SLOW_FLOW_ID)
        turn = await streaming(pilot, "tell me a story", tokens=3)
        await pilot.press("escape")
        await wait_for(pilot, lambda: turn.status is TurnStatus.STOPPED)
        partial = turn.answer.text
        assert partial
        await wait_for(pilot, lambda: app.chat.query_one(TurnView)._stream is None)
        assert app.chat.query_one(AnswerMarkdown).source == partial
        assert "stopped" in str(app.chat.query_one("AnswerStatus").render())
        chat_id = app.chat.conversation.chat_id

        def stored() -> list[dict]:
            url = f"{server.url}/api/v1/chatmessage/{SLOW_FLOW_ID}?chatId={chat_id}"
            return [m for m in httpx.get(url).json() if m["role"] == "apiMessage"]

        await wait_for(pilot, stored)
        assert len(stored()[0]["content"]) < len(partial) + 200
        follow = await ask(pilot, "and then?")
        assert follow.status is TurnStatus.DONE


async def test_new_chat_keeps_sessions_apart(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "apples")
        second = await ask(pilot, "pears")
        assert 'Earlier you asked: "apples"' in second.answer.text
        first_chat = app.chat.conversation.chat_id
        await pilot.press("ctrl+n")
        assert app.chat.conversation.chat_id != first_chat
        assert not app.chat.query(TurnView)
        fresh = await ask(pilot, "pears")
        assert "apples" not in fresh.answer.text


async def test_history_reopens_and_continues_the_server_session(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "remember bananas")
        chat_id = app.chat.conversation.chat_id
        await pilot.press("ctrl+n")
        await ask(pilot, "something else")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_for(pilot, lambda: app.screen.entries)
        titles = [s.title for s in app.screen.entries]
        assert titles == ["something else", "remember bananas"]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.chat.conversation.chat_id == chat_id)
        views = list(app.chat.query(TurnView))
        assert [v.turn.question for v in views] == ["remember bananas"]
        await pilot.pause()
        assert views[0].query_one(AnswerMarkdown).source == views[0].turn.answer.text
        again = await ask(pilot, "what did I say?")
        assert 'Earlier you asked: "remember bananas"' in again.answer.text


async def test_feedback_posts_then_updates(make_app, demo_url: str) -> None:
    async with make_app(chatflow=RAG_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, RAG_FLOW_ID)
        await wait_for(pilot, lambda: app.chat.chatbot_config.feedback_enabled)
        turn = await ask(pilot, "Who is the head baker?")
        view = app.chat.query_one(TurnView)
        view.focus()
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.press(*"clear answer", "enter")
        await wait_for(pilot, lambda: turn.feedback_id)
        assert turn.rating == "THUMBS_UP"
        view.focus()
        await pilot.press("minus")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: turn.rating == "THUMBS_DOWN")
        rows = httpx.get(f"{demo_url}/api/v1/feedback/{RAG_FLOW_ID}").json()
        mine = [r for r in rows if r["id"] == turn.feedback_id]
        assert len(mine) == 1 and mine[0]["rating"] == "THUMBS_DOWN"
        assert mine[0]["messageId"] == turn.answer.metadata.chat_message_id


async def test_export_markdown_and_json(make_app, tmp_path) -> None:
    async with make_app(chatflow=RAG_FLOW_ID, api_key="secret-key-123").run_test(
        size=SIZE
    ) as pilot:
        app = await opened(pilot, RAG_FLOW_ID)
        await ask(pilot, "When does the bakery open?")
        await pilot.press("ctrl+s")
        app.chat.action_export("json")
        await pilot.pause()
    files = sorted((tmp_path / "exports").iterdir())
    assert [f.suffix for f in files] == [".json", ".md"]
    markdown = files[1].read_text()
    assert "When does the bakery open?" in markdown and "crumb-and-co-hours.txt" in markdown
    data = json.loads(files[0].read_text())
    events = [e["event"] for e in data["turns"][0]["events"]]
    assert "sourceDocuments" in events and events[-1] == "end"
    for file in files:
        assert "secret-key-123" not in file.read_text()


async def test_flow_error_shows_and_app_stays_usable(make_app) -> None:
    async with make_app(chatflow=ERROR_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, ERROR_FLOW_ID)
        turn = await ask(pilot, "hi")
        assert turn.status is TurnStatus.FAILED and turn.answer.error
        status = str(app.chat.query_one("AnswerStatus").render())
        assert "failed" in status and turn.answer.error[:30] in status
        assert app.chat.prompt.text == "hi", "the question comes back to retry"
        again = await ask(pilot, "again")
        assert again.status is TurnStatus.FAILED
        assert app.is_running


async def test_server_down_mid_stream_keeps_partial_answer(make_app, make_demo_server) -> None:
    server = make_demo_server(token_delay=0.05)
    async with make_app(url=server.url, chatflow=SLOW_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, SLOW_FLOW_ID)
        turn = await streaming(pilot, "tell me", tokens=3)
        server.stop()
        await wait_for(pilot, lambda: turn.status is not TurnStatus.STREAMING)
        assert turn.answer.text
        assert app.chat.query_one(AnswerMarkdown).source.startswith(turn.answer.text[:20])
        app.chat.prompt.load_text("my next question")
        assert app.is_running


async def test_unreachable_server_gives_the_question_back(make_app) -> None:
    async with make_app(url="http://127.0.0.1:9").run_test(size=SIZE) as pilot:
        app = pilot.app
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ConnectScreen) and app.screen.query("#connect-problem"),
        )
        problem = str(app.screen.query_one("#connect-problem").render())
        assert "connection refused" in problem
        await pilot.press("escape")
        app.chat.open_chatflow(Chatflow(id=CHAT_FLOW_ID, name="Demo Chat"))
        turn = await ask(pilot, "keep this question")
        assert turn.status is TurnStatus.FAILED and "connection refused" in turn.answer.error
        assert app.chat.prompt.text == "keep this question"


async def test_listing_refused_offers_manual_id(make_app, make_demo_server) -> None:
    server = make_demo_server(api_key="server-key")
    async with make_app(url=server.url).run_test(size=SIZE) as pilot:
        app = pilot.app
        note = app.chat.query_one("#picker-note")
        await wait_for(pilot, lambda: "needs an API key" in str(note.render()))
        assert "Paste a chatflow id" in str(note.render())
        flow_filter = app.chat.query_one("#flow-filter", Input)
        flow_filter.focus()
        flow_filter.value = CHAT_FLOW_ID
        await pilot.press("enter")
        await opened(pilot, CHAT_FLOW_ID)
        turn = await ask(pilot, "hello without a key")
        assert turn.status is TurnStatus.DONE


async def test_connect_screen_saves_a_private_profile(make_app, demo_url, tmp_path) -> None:
    async with make_app(url="http://127.0.0.1:9", connect_first=True).run_test(size=SIZE) as pilot:
        app = pilot.app
        await showing(pilot, ConnectScreen)
        screen = app.screen
        screen.query_one("#url", Input).value = demo_url
        screen.query_one("#api-key", Input).value = "a-secret-key"
        screen.query_one("#profile", Input).value = "demo"
        await pilot.click("#test")
        result = screen.query_one("#connect-result")
        await wait_for(pilot, lambda: "✓" in str(result.render()))
        assert f"{len(DEMO_FLOWS)} chatflows" in str(result.render())
        await pilot.click("#save")
        await ready(pilot)
        assert app.connection.url == demo_url
    config = tmp_path / "config.toml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    text = config.read_text()
    assert 'active_profile = "demo"' in text and demo_url in text


async def test_server_history_can_be_reopened(make_app, demo_url: str) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "server side kiwis")
        chat_id = app.chat.conversation.chat_id
        app.history.delete(app.chat.conversation.id)
        await pilot.press("ctrl+n")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert not app.screen.entries
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.screen.entries)
        titles = [e.title for e in app.screen.entries]
        assert "server side kiwis" in titles
        index = titles.index("server side kiwis")
        app.screen.query_one("#history-list").highlighted = index
        app.screen.query_one("#history-list").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.chat_id == chat_id)
        view = app.chat.query_one(TurnView)
        assert view.turn.question == "server side kiwis" and view.turn.answer.text
        again = await ask(pilot, "and now?")
        assert 'Earlier you asked: "server side kiwis"' in again.answer.text


async def test_deleting_from_history_asks_first(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "keep me [b]safe[/b]")
        await pilot.press("ctrl+n")
        await ask(pilot, "delete me")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_for(pilot, lambda: len(app.screen.entries) == 2)
        newest = app.screen.entries[0]
        assert newest.title == "delete me"
        await pilot.press("f8")
        await pilot.pause()
        assert len(app.history.list_conversations()) == 2, "one press only asks"
        await pilot.press("f8")
        await wait_for(pilot, lambda: len(app.screen.entries) == 1)
        assert [c.title for c in app.history.list_conversations()] == ["keep me [b]safe[/b]"]
        await pilot.press("f8")
        await pilot.pause()
        assert len(app.history.list_conversations()) == 1, "a new entry is asked about again"
