"""A history written by c927444 (schema 2: no server, no decisions) opened by the current store."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

from flowise_tui.conversation import Decision, Turn, TurnStatus
from flowise_tui.history import SCHEMA_VERSION, HistoryError, HistoryStore

FIXTURE = Path(__file__).parent / "fixtures" / "history-schema-2"


def fixture_maker() -> ModuleType:
    """make_history.py, whose `shown` gave shown.json under the code of c927444."""
    spec = importlib.util.spec_from_file_location("make_history_2", FIXTURE / "make_history.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def schema_2(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    shutil.copyfile(FIXTURE / "history.sqlite3", path)
    return path


def schema_2_listing(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT c.id, c.chatflow_id, c.chatflow_name, c.title, c.turn_count, c.created,"
            " c.updated FROM conversations c ORDER BY c.updated DESC, c.created DESC"
        ).fetchall()
    db.close()
    return rows


def test_the_fixture_is_schema_2_with_approvals_decided_and_not(schema_2: Path) -> None:
    with sqlite3.connect(schema_2) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        columns = {row[1] for row in db.execute("PRAGMA table_info(turns)")}
        questions = [q for (q,) in db.execute("SELECT question FROM turns ORDER BY number")]
    db.close()
    assert "decision" not in columns
    assert {"Proceed", "Reject", "Close the shop early on Monday"} <= set(questions)
    shown = json.loads((FIXTURE / "shown.json").read_text(encoding="utf-8"))
    turns = [turn for conversation in shown.values() for turn in conversation["turns"]]
    assert {turn["status"] for turn in turns} == {"done", "failed", "stopped", "interrupted"}
    assert sum(turn["action"] is not None for turn in turns) == 3


def test_every_conversation_and_turn_loads_as_schema_2_showed_it(schema_2: Path) -> None:
    shown_then = json.loads((FIXTURE / "shown.json").read_text(encoding="utf-8"))
    listed_then = schema_2_listing(schema_2)
    shown = fixture_maker().shown

    with HistoryStore(schema_2) as store:
        listed = store.list_conversations()
        loaded = {conversation_id: store.load(conversation_id) for conversation_id in shown_then}
        servers = store.servers()

    for conversation_id, view in shown_then.items():
        assert shown(loaded[conversation_id]) == view, conversation_id
    assert [
        (s.id, s.chatflow_id, s.chatflow_name, s.title, s.turns, s.created, s.updated)
        for s in listed
    ] == listed_then
    assert len(listed) == len(shown_then) == 11
    assert sum(len(c.turns) for c in loaded.values()) == 14
    assert {s.server_url for s in listed} == {c.server_url for c in loaded.values()} == {""}
    assert servers == []
    assert all(turn.decision is None for c in loaded.values() for turn in c.turns)


def test_only_the_undecided_last_approval_still_waits(schema_2: Path) -> None:
    with HistoryStore(schema_2) as store:
        loaded = [store.load(s.id) for s in store.list_conversations()]

    waiting = [c for c in loaded if c.awaiting_decision is not None]
    assert [c.title for c in waiting] == ["Close the shop early on Monday"]
    assert waiting[0].awaiting_decision is waiting[0].turns[-1]


def test_the_migrated_file_has_the_schema_of_a_new_one(schema_2: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.sqlite3"
    for path in (schema_2, fresh):
        with HistoryStore(path) as store:
            store.list_conversations()

    def schema(path: Path) -> list[tuple]:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
            found = rows.fetchall()
            version = db.execute("PRAGMA user_version").fetchone()[0]
        db.close()
        return [*found, version]

    assert schema(schema_2) == schema(fresh)
    assert schema(fresh)[-1] == SCHEMA_VERSION == 4


def test_the_migrated_file_keeps_servers_and_decisions_from_now_on(schema_2: Path) -> None:
    with HistoryStore(schema_2) as store:
        [pending] = [s for s in store.list_conversations() if s.title.startswith("Close")]
        conversation = store.load(pending.id)
        asked = conversation.turns[-1]
        asked.decision = Decision(proceed=False, label="Reject", comment="not this Monday")
        conversation.server_url = "http://flowise.example:3000"
        store.save_turn(conversation, 0, asked)
        store.save_turn(conversation, 1, Turn("Reject", status=TurnStatus.DONE, started=1.0))

    with HistoryStore(schema_2) as store:
        again = store.load(pending.id)
        [summary] = [s for s in store.list_conversations() if s.id == pending.id]
        assert store.servers() == ["http://flowise.example:3000"]
    assert again.turns[0].decision == asked.decision
    assert again.server_url == summary.server_url == "http://flowise.example:3000"
    assert again.awaiting_decision is None


def test_search_finds_the_words_of_the_migrated_history(schema_2: Path) -> None:
    with HistoryStore(schema_2) as store:
        titles = {s.id: s.title for s in store.list_conversations()}

        def found(typed: str) -> list[str]:
            return [titles[s.id] for s in store.list_conversations(query=typed)]

        assert found("croissants") == ["Order 40 croissants for Friday"]
        assert found("limerick flour") == ["Write a limerick about flour"]
        assert found("日本語") != []


def test_a_failed_migration_leaves_schema_2_as_it_was(schema_2: Path) -> None:
    with sqlite3.connect(schema_2) as db:
        db.execute("ALTER TABLE turns ADD COLUMN decision BLOB")  # the migration cannot add it
    db.close()
    before = schema_2.read_bytes()

    with HistoryStore(schema_2) as store, pytest.raises(HistoryError):
        store.list_conversations()

    assert schema_2.read_bytes() == before
