"""The SQLite history, on real files, with conversations built from recorded Flowise streams."""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowise_tui.conversation import Conversation, Turn, TurnStatus
from flowise_tui.flowise.events import FlowiseEvent, TokenEvent, decode_sse
from flowise_tui.history import (
    DATA_DIR_ENV_VAR,
    SCHEMA_VERSION,
    HistoryError,
    HistoryStore,
    default_history_path,
)

WIRE = Path(__file__).parent / "fixtures" / "flowise-wire"
T0 = 1_700_000_000.0


def recorded_events(name: str) -> list[FlowiseEvent]:
    events = []
    for line in (WIRE / f"{name}.sse").read_text(encoding="utf-8").splitlines():
        if line.startswith("data:"):
            event = decode_sse("", line[len("data:") :])
            if event is not None:
                events.append(event)
    return events


def envelope_event(name: str, data: object) -> FlowiseEvent:
    event = decode_sse("", json.dumps({"event": name, "data": data}))
    assert event is not None
    return event


def turn_from(
    question: str, events: list[FlowiseEvent], status: TurnStatus = TurnStatus.DONE, **fields
) -> Turn:
    turn = Turn(question, status=status, **fields)
    for event in events:
        turn.apply(event)
    return turn


def sample_conversation(created: float = T0) -> Conversation:
    """Every kind of answer the recordings hold: RAG, tool agent, agentflow, error, stopped."""
    follow_ups = envelope_event(
        "metadata",
        {"chatId": "chat-4", "chatMessageId": "msg-4", "followUpPrompts": '["And on Sunday?"]'},
    )
    turns = [
        turn_from(
            "When does the bakery open?",
            recorded_events("rag_stream"),
            started=created + 1,
            first_token_after=0.25,
            elapsed=1.5,
            feedback_id="feedback-1",
            rating="THUMBS_UP",
        ),
        turn_from(
            "What is 2+2? Use the calculator.",
            recorded_events("tool_agent_stream"),
            started=created + 10,
            first_token_after=0.5,
            elapsed=2.0,
        ),
        turn_from(
            "Hello agentflow",
            recorded_events("agentflow_llm_stream"),
            started=created + 20,
            elapsed=3.0,
        ),
        turn_from(
            "Break, please",
            recorded_events("error_llm500_stream"),
            TurnStatus.FAILED,
            started=created + 30,
            elapsed=0.1,
        ),
        turn_from(
            "Tell me a long story",
            [*recorded_events("plain_stream")[:6], follow_ups],
            TurnStatus.STOPPED,
            started=created + 40,
            first_token_after=0.1,
            elapsed=0.4,
        ),
    ]
    return Conversation(
        chatflow_id="flow-rag", chatflow_name="Lab RAG", created=created, turns=turns
    )


def save_all(store: HistoryStore, conversation: Conversation) -> None:
    store.save_conversation(conversation)
    for index, turn in enumerate(conversation.turns):
        store.save_turn(conversation, index, turn)


@pytest.fixture
def store(tmp_path: Path):
    with HistoryStore(tmp_path / "data" / "history.sqlite3") as history:
        yield history


def test_round_trip_keeps_every_answer_detail(store: HistoryStore) -> None:
    original = sample_conversation()
    save_all(store, original)
    store.close()

    loaded = store.load(original.id)

    for field in ("id", "chatflow_id", "chatflow_name", "chat_id", "created", "title"):
        assert getattr(loaded, field) == getattr(original, field)
    assert len(loaded.turns) == len(original.turns)
    for before, after in zip(original.turns, loaded.turns, strict=True):
        for field in (
            "question",
            "events",
            "status",
            "started",
            "first_token_after",
            "elapsed",
            "feedback_id",
            "rating",
            "tokens_per_second",
        ):
            assert getattr(after, field) == getattr(before, field), field
        assert after.answer == before.answer
        assert after.answer.text == before.answer.text
        assert after.answer.token_events == before.answer.token_events


def test_a_turn_is_stored_as_its_text_and_its_other_events(store: HistoryStore) -> None:
    original = sample_conversation()
    save_all(store, original)

    with sqlite3.connect(store.path) as db:
        rows = db.execute("SELECT answer, events, token_events FROM turns ORDER BY number")
        stored = rows.fetchall()
    db.close()

    assert len(stored) == len(original.turns)
    for (answer, events, token_events), turn in zip(stored, original.turns, strict=True):
        names = [envelope["event"] for envelope in json.loads(events)]
        assert "token" not in names and names == [e["event"] for e in turn.events]
        assert answer == turn.answer.text
        assert token_events == turn.answer.token_events
    rag = original.turns[0]
    assert rag.answer.token_events == sum(
        1 for e in recorded_events("rag_stream") if isinstance(e, TokenEvent) and e.text
    )


def test_loaded_answers_hold_what_the_streams_said(store: HistoryStore) -> None:
    original = sample_conversation()
    save_all(store, original)

    rag, tool, agentflow, failed, stopped = store.load(original.id).turns

    assert rag.answer.text.startswith("Fake LLM answer to: When does the bakery open?")
    assert rag.answer.sources[0].title == "lab-bakery.txt"
    assert rag.answer.metadata is not None
    assert rag.answer.metadata.chat_message_id == "e22d6ed5-fccc-4093-a2d1-ca33f4a74084"
    assert rag.rating == "THUMBS_UP"
    assert rag.tokens_per_second == pytest.approx(rag.answer.token_events / 1.25)
    assert [t.tool for t in tool.answer.tools] == ["calculator"]
    assert tool.answer.tools[0].tool_output == "4"
    assert [(s.label, s.status) for s in agentflow.answer.steps.values()] == [
        ("Start", "FINISHED"),
        ("Lab LLM", "FINISHED"),
    ]
    assert failed.status is TurnStatus.FAILED
    assert failed.answer.error
    assert stopped.status is TurnStatus.STOPPED
    assert stopped.answer.follow_ups == ["And on Sunday?"]


def test_save_turn_upserts_by_index_and_updates_the_title(store: HistoryStore) -> None:
    conversation = Conversation(chatflow_id="flow-1", chatflow_name="Plain", created=T0)
    store.save_conversation(conversation)
    assert store.list_conversations()[0].title == "New chat"

    turn = turn_from("  First   question ", recorded_events("plain_stream"), started=T0 + 5)
    conversation.turns.append(turn)
    store.save_turn(conversation, 0, turn)
    turn.rating = "THUMBS_DOWN"
    turn.feedback_id = "feedback-9"
    store.save_turn(conversation, 0, turn)

    [summary] = store.list_conversations()
    assert summary.title == "First question"
    assert summary.turns == 1
    assert summary.created == T0
    assert summary.updated == T0 + 5
    [loaded] = store.load(conversation.id).turns
    assert (loaded.rating, loaded.feedback_id) == ("THUMBS_DOWN", "feedback-9")


def test_listing_is_newest_first_and_per_chatflow(store: HistoryStore) -> None:
    old = sample_conversation(created=T0)
    newer = Conversation(chatflow_id="flow-tool", chatflow_name="Lab tools", created=T0 + 100)
    newest = Conversation(chatflow_id="flow-rag", chatflow_name="Lab RAG", created=T0 + 200)
    for conversation in (newest, old, newer):
        save_all(store, conversation)

    assert [s.id for s in store.list_conversations()] == [newest.id, newer.id, old.id]
    assert [s.id for s in store.list_conversations("flow-rag")] == [newest.id, old.id]
    assert [s.id for s in store.list_conversations(limit=1)] == [newest.id]
    assert store.list_conversations("no-such-flow") == []
    summary = store.list_conversations("flow-rag")[1]
    assert (summary.chatflow_name, summary.title, summary.turns) == (
        "Lab RAG",
        "When does the bakery open?",
        5,
    )

    old.turns.append(turn_from("Back again", [], started=T0 + 300))
    store.save_turn(old, 5, old.turns[-1])
    assert store.list_conversations()[0].id == old.id


def test_query_matches_words_as_they_are_typed_ignoring_case_and_accents(
    store: HistoryStore,
) -> None:
    bakery = sample_conversation()
    other = Conversation(chatflow_id="flow-rag", created=T0 + 50)
    other.turns.append(turn_from("Ünïcode QUESTION about crème brûlée", [], started=T0 + 51))
    save_all(store, bakery)
    save_all(store, other)

    def ids(query: str) -> list[str]:
        return [s.id for s in store.list_conversations(query=query)]

    for typed in ("BA", "BAK", "bakery", "bakery op", "When does the bakery open?"):
        assert ids(typed) == [bakery.id], typed
    assert ids("calc") == [bakery.id]
    assert ids("deterministic reply") == [bakery.id]
    assert ids("unicode question") == [other.id]
    assert ids("ÜNÏCODE QUEST") == [other.id]
    assert ids("CRÈME BRÛ") == [other.id]
    assert ids("creme brulee") == [other.id]
    assert ids("lab rag") == [bakery.id], "the chatflow's name"
    assert ids("  ") == [other.id, bakery.id]
    assert ids("%") == []
    assert ids("akery") == [], "words match from their start"
    assert ids("nothing like this") == []
    assert ids("bakery calculator") == [], "every word in the same turn"


def test_query_is_scoped_and_limited(store: HistoryStore) -> None:
    older = sample_conversation(created=T0)
    newer = sample_conversation(created=T0 + 100)
    elsewhere = Conversation(chatflow_id="flow-tool", chatflow_name="Lab tools", created=T0 + 200)
    elsewhere.turns.append(turn_from("Bakery tools?", [], started=T0 + 201))
    for conversation in (older, newer, elsewhere):
        save_all(store, conversation)

    assert [s.id for s in store.list_conversations(query="bakery")] == [
        elsewhere.id,
        newer.id,
        older.id,
    ]
    assert [s.id for s in store.list_conversations("flow-rag", query="bakery")] == [
        newer.id,
        older.id,
    ]
    assert [s.id for s in store.list_conversations(query="bakery", limit=1)] == [elsewhere.id]
    [summary] = store.list_conversations("flow-tool", query="tools")
    assert (summary.title, summary.turns) == ("Bakery tools?", 1)


HOSTILE_QUERIES = [
    '"',
    '""',
    '"bakery',
    "AND",
    "bakery AND",
    "OR NOT",
    "*",
    "bak*",
    "NEAR(bakery open)",
    "question:bakery",
    "{question answer}: bakery",
    "^bakery",
    "(",
    ")",
    "-",
    "+",
    "'",
    "\\",
    "\x00",
    "bak\x00ery",
    'a"b',
    'bakery"*',
]


@pytest.fixture(scope="module")
def bakery_store(tmp_path_factory: pytest.TempPathFactory):
    """A history of the sample conversation, shared by tests that only search it."""
    with HistoryStore(tmp_path_factory.mktemp("bakery") / "history.sqlite3") as history:
        save_all(history, sample_conversation())
        yield history


@pytest.mark.parametrize("typed", HOSTILE_QUERIES)
def test_what_is_typed_is_never_read_as_query_syntax(
    bakery_store: HistoryStore, typed: str
) -> None:
    everything = bakery_store.list_conversations()

    found = bakery_store.list_conversations(query=typed)

    assert found in ([], everything)


@settings(max_examples=300, deadline=None)
@given(typed=st.text())
def test_any_text_is_a_query(bakery_store: HistoryStore, typed: str) -> None:
    bakery_store.list_conversations(query=typed)


def test_the_index_follows_saves_and_deletes(store: HistoryStore) -> None:
    conversation = Conversation(chatflow_id="flow-1", chatflow_name="Plain", created=T0)
    store.save_conversation(conversation)
    assert [s.title for s in store.list_conversations(query="new ch")] == ["New chat"]

    turn = Turn("Apples?", status=TurnStatus.DONE, started=T0 + 1)
    turn.answer.append_text("Green apples")
    conversation.turns.append(turn)
    store.save_turn(conversation, 0, turn)
    assert store.list_conversations(query="new ch") == []
    assert len(store.list_conversations(query="green")) == 1

    turn.answer.append_text(" and pears")
    store.save_turn(conversation, 0, turn)
    assert len(store.list_conversations(query="green apples and pears")) == 1

    store.delete(conversation.id)
    assert store.list_conversations(query="pears") == []
    assert_index_matches_the_tables(store.path)


def assert_index_matches_the_tables(path: Path) -> None:
    with sqlite3.connect(path) as db:
        for index in ("turns_search", "conversations_search"):
            db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")
    db.close()


def test_delete_removes_the_conversation_and_its_turns(store: HistoryStore) -> None:
    kept, gone = sample_conversation(), sample_conversation(created=T0 + 1)
    save_all(store, kept)
    save_all(store, gone)

    store.delete(gone.id)
    store.delete(gone.id)

    assert [s.id for s in store.list_conversations()] == [kept.id]
    assert [s.id for s in store.list_conversations(query="bakery")] == [kept.id]
    with pytest.raises(HistoryError, match="no conversation"):
        store.load(gone.id)
    with sqlite3.connect(store.path) as db:
        left = db.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
    db.close()
    assert left == len(kept.turns)
    assert_index_matches_the_tables(store.path)


def test_unknown_id_is_a_clear_error(store: HistoryStore) -> None:
    with pytest.raises(HistoryError) as caught:
        store.load("missing-id")
    assert "missing-id" in str(caught.value)
    assert str(store.path) in str(caught.value)


def test_damaged_stored_events_are_a_clear_error(store: HistoryStore) -> None:
    conversation = sample_conversation()
    save_all(store, conversation)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE turns SET events = '[{' WHERE number & 0xFFFFF = 2")
    db.close()

    with pytest.raises(HistoryError, match="stored events of a turn are damaged"):
        store.load(conversation.id)


def test_file_is_private_versioned_and_in_wal_mode(store: HistoryStore) -> None:
    save_all(store, sample_conversation())

    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_data_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "elsewhere"))

    assert default_history_path() == tmp_path / "elsewhere" / "history.sqlite3"
    with HistoryStore() as store:
        assert store.path == tmp_path / "elsewhere" / "history.sqlite3"
        store.save_conversation(sample_conversation())
    assert store.path.is_file()


def test_a_corrupt_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not SQLite\x00\xff" * 300
    path.write_bytes(garbage)

    with HistoryStore(path) as store:
        with pytest.raises(HistoryError) as caught:
            store.list_conversations()
        with pytest.raises(HistoryError):
            store.save_conversation(sample_conversation())

    message = str(caught.value)
    assert str(path) in message
    assert "damaged" in message and "left untouched" in message
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.sqlite3"]


def test_someone_elses_sqlite_file_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    db.close()
    before = path.read_bytes()

    with HistoryStore(path) as store, pytest.raises(HistoryError, match="not a flowise-tui"):
        store.list_conversations()

    assert path.read_bytes() == before


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()

    with HistoryStore(path) as store, pytest.raises(HistoryError, match="newer flowise-tui"):
        store.list_conversations()


def test_an_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data directory should be")

    with HistoryStore(blocker / "history.sqlite3") as store:
        with pytest.raises(HistoryError) as caught:
            store.save_turn(sample_conversation(), 0, sample_conversation().turns[0])

    message = str(caught.value)
    assert message.startswith(f"Could not save the conversation to {blocker}/history.sqlite3:")
    assert f"{blocker} is not a directory" in message
    assert message.endswith("The chat goes on, but this turn is not in local history.")
    assert blocker.read_text() == "a file where the data directory should be"


def test_worker_threads_can_share_one_store(store: HistoryStore) -> None:
    conversation = sample_conversation()
    store.save_conversation(conversation)
    errors: list[BaseException] = []

    def save(index: int) -> None:
        try:
            for _ in range(5):
                store.save_turn(conversation, index, conversation.turns[index])
                store.list_conversations()
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=save, args=(i,)) for i in range(len(conversation.turns))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert len(store.load(conversation.id).turns) == len(conversation.turns)
