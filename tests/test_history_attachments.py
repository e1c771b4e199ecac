"""Attachments in the history (schema 4) and in exports: name, type, size and kind only."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from flowise_tui.conversation import Conversation, Turn, TurnStatus
from flowise_tui.export import export_conversation
from flowise_tui.flowise.uploads import Attachment
from flowise_tui.history import HistoryStore

DOT = Attachment("dot.png", "image/png", 70, "file")
NOTE = Attachment("note.md", "text/markdown", 2048, "file:full")


def conversation_with_files() -> Conversation:
    conversation = Conversation(chatflow_id="flow-1", chatflow_name="Attachments")
    turn = Turn("What are these?", status=TurnStatus.DONE, started=1_800_000_000.0)
    turn.attachments = [DOT, NOTE]
    turn.answer.append_text("Two files.")
    conversation.turns.append(turn)
    conversation.turns.append(Turn("And now?", status=TurnStatus.DONE, started=1_800_000_100.0))
    return conversation


def test_attachments_are_kept_and_reloaded(tmp_path: Path) -> None:
    conversation = conversation_with_files()
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        for index, turn in enumerate(conversation.turns):
            store.save_turn(conversation, index, turn)
        loaded = store.load(conversation.id)
    assert [turn.attachments for turn in loaded.turns] == [[DOT, NOTE], []]


def test_a_schema_3_file_gains_attachments(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conversation = conversation_with_files()
    with HistoryStore(path) as store:
        store.save_turn(conversation, 1, conversation.turns[1])
    with sqlite3.connect(path) as db:  # back to schema 3, as an older version left it
        db.execute("ALTER TABLE turns DROP COLUMN attachments")
        db.execute("PRAGMA user_version = 3")
    db.close()
    with HistoryStore(path) as store:
        assert store.load(conversation.id).turns[0].question == "And now?"
        store.save_turn(conversation, 0, conversation.turns[0])
        assert store.load(conversation.id).turns[0].attachments == [DOT, NOTE]


def test_exports_name_the_files_never_their_content(tmp_path: Path) -> None:
    conversation = conversation_with_files()
    markdown = export_conversation(conversation, tmp_path, "markdown").read_text()
    assert "- Attached: dot.png (image, image/png, 70 B)" in markdown
    assert "- Attached: note.md (document, text/markdown, 2.0 KB)" in markdown
    data = json.loads(export_conversation(conversation, tmp_path, "json").read_text())
    assert data["turns"][0]["attachments"][1] == {
        "name": "note.md",
        "mime": "text/markdown",
        "size": 2048,
        "kind": "file:full",
    }
    assert "base64" not in markdown
