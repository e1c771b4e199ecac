"""A history written by 771cb36 (schema 1, every token an event) opened by the current store."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

from flowise_tui.history import SCHEMA_VERSION, HistoryError, HistoryStore

FIXTURE = Path(__file__).parent / "fixtures" / "history-schema-1"


def fixture_maker() -> ModuleType:
    """make_history.py, whose `shown` gave shown.json under the code of 771cb36."""
    spec = importlib.util.spec_from_file_location("make_history", FIXTURE / "make_history.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def schema_1(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    shutil.copyfile(FIXTURE / "history.sqlite3", path)
    return path


def schema_1_listing(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT c.id, c.chatflow_id, c.chatflow_name, c.title,"
            " (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id), c.created, c.updated"
            " FROM conversations c ORDER BY c.updated DESC, c.created DESC"
        ).fetchall()
    db.close()
    return rows


def test_the_fixture_is_schema_1_with_every_kind_of_turn(schema_1: Path) -> None:
    with sqlite3.connect(schema_1) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        events = [json.loads(e) for (e,) in db.execute("SELECT events FROM turns")]
    db.close()
    names = {envelope["event"] for turn in events for envelope in turn}
    assert {"token", "sourceDocuments", "usedTools", "nextAgentFlow", "thinking"} <= names
    assert {"agentReasoning", "action", "error", "artifacts", "usageMetadata"} <= names
    shown = json.loads((FIXTURE / "shown.json").read_text(encoding="utf-8"))
    turns = [turn for conversation in shown.values() for turn in conversation["turns"]]
    assert {turn["status"] for turn in turns} == {"done", "failed", "stopped"}
    assert any(turn["rating"] for turn in turns)


def test_every_conversation_loads_as_schema_1_showed_it(schema_1: Path) -> None:
    shown_then = json.loads((FIXTURE / "shown.json").read_text(encoding="utf-8"))
    listed_then = schema_1_listing(schema_1)
    shown = fixture_maker().shown

    with HistoryStore(schema_1) as store:
        listed = store.list_conversations()
        for conversation_id, view in shown_then.items():
            assert shown(store.load(conversation_id)) == view, conversation_id

    assert [
        (s.id, s.chatflow_id, s.chatflow_name, s.title, s.turns, s.created, s.updated)
        for s in listed
    ] == listed_then
    assert len(listed) == len(shown_then) == 9


def test_the_migrated_file_keeps_text_once_and_no_token_events(schema_1: Path) -> None:
    with HistoryStore(schema_1) as store:
        store.list_conversations()

    with sqlite3.connect(schema_1) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        events = [json.loads(e) for (e,) in db.execute("SELECT events FROM turns")]
        counts = [n for (n,) in db.execute("SELECT token_events FROM turns")]
        for index in ("turns_search", "conversations_search"):
            db.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")
    db.close()
    assert not {"turns_1", "conversations_1"} & tables
    assert all(envelope["event"] != "token" for turn in events for envelope in turn)
    assert sum(counts) > 500


def test_the_migrated_file_has_the_schema_of_a_new_one(schema_1: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.sqlite3"
    for path in (schema_1, fresh):
        with HistoryStore(path) as store:
            store.list_conversations()

    def schema(path: Path) -> list[tuple]:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
            found = rows.fetchall()
        db.close()
        return found

    assert schema(schema_1) == schema(fresh)


def test_search_finds_the_words_of_the_migrated_history(schema_1: Path) -> None:
    with HistoryStore(schema_1) as store:
        titles = {s.id: s.title for s in store.list_conversations()}

        def found(typed: str) -> list[str]:
            return [titles[s.id] for s in store.list_conversations(query=typed)]

        assert found("glut") == ["When does the bakery open on Sunday?"]
        assert found("research the history of sourd") == ["Research the history of sourdough"]
        assert found("naive cafe") == ["Ship the naïve café order?"]
        assert found("bakery docs") == ["When does the bakery open on Sunday?"]
        assert found("日本語") == found('"quoted" and *stars*') != []
        assert found("haiku crumbs") == ["Write a haiku about crumbs"]
        assert "New chat" in found("new chat")


def test_a_damaged_turn_in_schema_1_stays_reported_as_damaged(schema_1: Path) -> None:
    with sqlite3.connect(schema_1) as db:
        db.execute("UPDATE turns SET events = '[{' WHERE question = 'What is 17*23+4?'")
    db.close()

    with HistoryStore(schema_1) as store:
        [tools] = [s for s in store.list_conversations() if s.title == "What is 17*23+4?"]
        store.load(store.list_conversations(query="sourdough")[0].id)
        with pytest.raises(HistoryError, match="stored events of a turn are damaged"):
            store.load(tools.id)


def test_a_failed_migration_leaves_schema_1_as_it_was(schema_1: Path) -> None:
    with sqlite3.connect(schema_1) as db:
        db.execute("CREATE TABLE turns_search (taken TEXT)")  # the migration cannot create it
    db.close()
    before = schema_1.read_bytes()

    with HistoryStore(schema_1) as store, pytest.raises(HistoryError):
        store.list_conversations()

    assert schema_1.read_bytes() == before
