"""Nothing typed or answered is lost: a question is in local history from the moment it is
sent, its answer as it streams, and a turn the app never finished reads back as interrupted,
on screen and in exports. The app runs against the demo server over loopback."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from flowise_tui.app.progress import SAVE_EVERY, ProgressSaver
from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.turn import AnswerMarkdown, AnswerStatus, TurnView
from flowise_tui.conversation import Conversation, Turn, TurnStatus
from flowise_tui.demo.flows import CHAT_FLOW_ID, RAG_FLOW_ID
from flowise_tui.export import to_json, to_markdown
from flowise_tui.flowise import Chatflow
from flowise_tui.history import HistoryError, HistoryStore, HistoryWriter
from tests.app.conftest import SIZE, ask, build_app, opened, wait_for

LONG_QUESTION = "/long 5000"
"""Minutes of answer at the slow server's pace: it is still streaming when the test acts."""
T0 = 1_700_000_000.0


def stored(history: HistoryStore, conversation: Conversation) -> list[Turn]:
    try:
        return history.load(conversation.id).turns
    except HistoryError:  # not saved yet
        return []


def first_status(history: HistoryStore, conversation: Conversation) -> TurnStatus | None:
    turns = stored(history, conversation)
    return turns[0].status if turns else None


# The pieces: what is saved when, and by whom.


def test_progress_is_saved_when_it_changed_and_the_interval_passed() -> None:
    now = [0.0]
    saves: list[int] = []
    turn = Turn("q")
    saver = ProgressSaver(turn, lambda: saves.append(turn.answer.length), lambda: now[0])
    turn.answer.append_text("abc")
    saver.save_if_due()
    assert saves == [], "not before the interval"
    now[0] = SAVE_EVERY
    saver.save_if_due()
    assert saves == [3]
    now[0] = 3 * SAVE_EVERY
    saver.save_if_due()
    assert saves == [3], "nothing changed, nothing written"
    turn.events.append({"event": "usedTools", "data": []})
    saver.save_if_due()
    turn.answer.append_text("de")
    now[0] += SAVE_EVERY / 2
    saver.save_if_due()
    assert saves == [3, 3], "an event is progress too; the text after it waits its turn"
    now[0] += SAVE_EVERY / 2
    saver.save_if_due()
    assert saves == [3, 3, 5]


def conversation_of(*turns: Turn) -> Conversation:
    return Conversation(chatflow_id=CHAT_FLOW_ID, chatflow_name="Demo Chat", turns=list(turns))


def test_the_writer_keeps_the_latest_save_of_a_turn_and_the_order_of_turns(
    tmp_path: Path,
) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    first, second = Turn("first", started=T0), Turn("second", started=T0 + 1)
    conversation = conversation_of(first, second)
    writer = HistoryWriter(store)
    for piece in ("a", "b", "c"):
        first.answer.append_text(piece)
        writer.save(conversation, first)
    writer.save(conversation, second)
    first.status = TurnStatus.DONE
    writer.save(conversation, first)
    first.answer.append_text("not saved: the last save took the turn as it was")
    assert writer.flush(30)
    turns = store.load(conversation.id).turns
    assert [(t.question, t.answer.text, t.status) for t in turns] == [
        ("first", "abc", TurnStatus.DONE),
        ("second", "", TurnStatus.INTERRUPTED),
    ]
    assert writer.close(30)
    writer.save(conversation, second)  # closed: dropped, and no error
    store.close()


def test_the_writer_reports_a_failure_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "not-a-history").write_text("plain text, not SQLite")
    broken = HistoryStore(tmp_path / "not-a-history")
    errors: list[HistoryError] = []
    reported = threading.Event()

    def on_error(error: HistoryError) -> None:
        errors.append(error)
        reported.set()

    writer = HistoryWriter(broken, on_error)
    conversation = conversation_of(Turn("lost?", started=T0))
    writer.save(conversation, conversation.turns[0])
    assert reported.wait(30) and writer.flush(30)
    assert "not-a-history" in str(errors[0])
    writer.store = HistoryStore(tmp_path / "history.sqlite3")
    writer.save(conversation, conversation.turns[0])
    assert writer.close(30)
    assert writer.store.load(conversation.id).turns[0].question == "lost?"
    writer.store.close()


def test_a_turn_saved_while_streaming_reads_back_interrupted(tmp_path: Path) -> None:
    turn = Turn("half way", started=T0)
    turn.answer.append_text("the first half")
    conversation = conversation_of(turn)
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        store.save_turn(conversation, 0, turn)
        loaded = store.load(conversation.id).turns[0]
        assert loaded.status is TurnStatus.INTERRUPTED
        assert loaded.answer.text == "the first half"
        turn.answer.append_text(" and the rest")
        turn.status = TurnStatus.DONE
        store.save_turn(conversation, 0, turn)
        loaded = store.load(conversation.id).turns[0]
        assert (loaded.status, loaded.answer.text) == (TurnStatus.DONE, turn.answer.text)


# The app.


async def test_the_question_is_kept_before_any_answer(tmp_path: Path, make_demo_server) -> None:
    server = make_demo_server()
    app = build_app(tmp_path, url=f"{server.url}/fault/never-start", chatflow=CHAT_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        conversation = app.chat.conversation
        app.chat.prompt.load_text("a question worth keeping")
        await pilot.press("enter")
        await wait_for(pilot, lambda: stored(app.history, conversation))
        assert app.chat.streaming and not conversation.turns[0].answer.text
        turn = stored(app.history, conversation)[0]
        assert turn.question == "a question worth keeping"
        assert turn.status is TurnStatus.INTERRUPTED and turn.answer.text == ""
        await pilot.press("escape")
        await wait_for(pilot, lambda: first_status(app.history, conversation) == "stopped")


async def test_the_answer_is_saved_as_it_streams(tmp_path: Path, make_demo_server) -> None:
    server = make_demo_server(token_delay=0.02)
    app = build_app(tmp_path, url=server.url, chatflow=CHAT_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        conversation = pilot.app.chat.conversation
        pilot.app.chat.prompt.load_text("/long 600")
        await pilot.press("enter")

        def saved_part() -> str:
            turns = stored(pilot.app.history, conversation)
            return turns[0].answer.text if turns else ""

        await wait_for(pilot, saved_part, 60)
        live = conversation.turns[0]
        partial = saved_part()
        assert live.answer.text.startswith(partial)
        await wait_for(pilot, lambda: live.status is not TurnStatus.STREAMING, 120)
        await wait_for(pilot, lambda: first_status(pilot.app.history, conversation) == "done")
        final = stored(pilot.app.history, conversation)[0]
        assert final.answer.text == live.answer.text and len(final.answer.text) > len(partial)


async def test_a_new_chat_or_another_chatflow_keeps_the_stopped_turn(
    tmp_path: Path, make_demo_server
) -> None:
    server = make_demo_server(token_delay=0.02)
    app = build_app(tmp_path, url=server.url, chatflow=CHAT_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        left: list[tuple[Conversation, Turn]] = []
        for leave in ("ctrl+n", "another chatflow"):
            conversation = app.chat.conversation
            app.chat.prompt.load_text(LONG_QUESTION)
            await pilot.press("enter")
            await wait_for(pilot, lambda c=conversation: c.turns and c.turns[-1].answer.text)
            if leave == "ctrl+n":
                await pilot.press("ctrl+n")
            else:
                app.chat.open_chatflow(Chatflow(id=RAG_FLOW_ID, name="Bakery Docs (RAG)"))
            assert app.chat.conversation is not conversation
            left.append((conversation, conversation.turns[-1]))
            await wait_for(pilot, lambda: not app.chat.streaming)
            if leave == "another chatflow":
                app.chat.open_chatflow(Chatflow(id=CHAT_FLOW_ID, name="Demo Chat"))
                await wait_for(pilot, lambda: app.chat.chatbot_config.welcome_message)
        for conversation, turn in left:
            await wait_for(pilot, lambda c=conversation: first_status(app.history, c) == "stopped")
            saved = stored(app.history, conversation)[0]
            assert saved.question == LONG_QUESTION
            assert saved.answer.text == turn.answer.text and saved.answer.text


async def test_a_turn_the_app_never_finished_reopens_marked_interrupted(
    tmp_path: Path, demo_url: str
) -> None:
    crashed = Turn("what happened?", started=T0, first_token_after=0.2)
    crashed.answer.append_text("The first part of the answer, saved a moment before the crash")
    cut = Turn("and this?", status=TurnStatus.CUT, started=T0 + 5, elapsed=2.0)
    cut.answer.append_text("x" * 1234)
    conversation = conversation_of(crashed, cut)
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        store.save_turn(conversation, 0, crashed)  # as the app saves it while it streams
        store.save_turn(conversation, 1, cut)
    app = build_app(tmp_path, url=demo_url, chatflow=CHAT_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_for(pilot, lambda: app.screen.entries)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.id == conversation.id)
        await pilot.pause()
        first, second = app.chat.query(TurnView)
        assert first.turn.question == "what happened?"
        assert first.query_one(AnswerMarkdown).source == crashed.answer.text
        assert "interrupted" in str(first.query_one(AnswerStatus).render())
        assert "cut at 1,234 characters" in str(second.query_one(AnswerStatus).render())

        reopened = app.chat.conversation
        markdown = to_markdown(reopened)
        assert crashed.answer.text in markdown
        assert "*Interrupted: the app ended before the answer was complete.*" in markdown
        assert "*Cut at 1,234 characters: the answer limit.*" in markdown
        statuses = [turn["status"] for turn in json.loads(json.dumps(to_json(reopened)))["turns"]]
        assert statuses == ["interrupted", "cut"]

        again = await ask(pilot, "and now?")
        assert again.status is TurnStatus.DONE
