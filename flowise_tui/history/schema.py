"""The history file's tables, and the one way a file gets to them: created empty, or
migrated from the schema before.

A conversation has a `number`; its turns are numbered `number << TURN_BITS | index`, so a
full-text hit on a turn names its conversation without reading the turn. Two FTS5 indexes
(external content: they hold the words, not a second copy of the text) follow the tables
through triggers: questions and answers, titles and chatflow names.

A new file is made the way an old one is brought up to date (the tables of schema 2, then
the columns schemas 3 and 4 added), so that both have the same schema to the letter.
"""

from __future__ import annotations

import sqlite3

from flowise_tui.history.rows import (
    TURN_BITS,
    TURN_COLUMNS,
    TURNS_PER_CONVERSATION,
    DamagedEvents,
    turn_from_schema_1_row,
    turn_row,
)

SCHEMA_VERSION = 4

_WORDS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'"

_TABLES = (
    """CREATE TABLE conversations (
        number INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        chatflow_id TEXT NOT NULL,
        chatflow_name TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        title TEXT NOT NULL,
        created REAL NOT NULL,
        updated REAL NOT NULL,
        turn_count INTEGER NOT NULL DEFAULT 0 -- kept by the triggers on turns
    )""",
    "CREATE INDEX conversations_by_updated ON conversations (updated DESC, created DESC)",
    """CREATE INDEX conversations_by_chatflow
        ON conversations (chatflow_id, updated DESC, created DESC)""",
    f"""CREATE TABLE turns (
        number INTEGER PRIMARY KEY, -- (conversations.number << {TURN_BITS}) | index in it
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        events TEXT NOT NULL, -- JSON envelopes of every event but the tokens
        token_events INTEGER NOT NULL,
        status TEXT NOT NULL,
        started REAL NOT NULL,
        first_token_after REAL,
        elapsed REAL,
        feedback_id TEXT,
        rating TEXT
    )""",
)

_COUNTS = (
    f"""CREATE TRIGGER turns_counted_insert AFTER INSERT ON turns BEGIN
        UPDATE conversations SET turn_count = turn_count + 1
        WHERE number = new.number >> {TURN_BITS};
    END""",
    f"""CREATE TRIGGER turns_counted_delete AFTER DELETE ON turns BEGIN
        UPDATE conversations SET turn_count = turn_count - 1
        WHERE number = old.number >> {TURN_BITS};
    END""",
)

_SEARCH = (
    f"""CREATE VIRTUAL TABLE turns_search USING fts5 (
        question, answer, content = 'turns', content_rowid = 'number', {_WORDS}
    )""",
    """CREATE TRIGGER turns_search_insert AFTER INSERT ON turns BEGIN
        INSERT INTO turns_search (rowid, question, answer)
        VALUES (new.number, new.question, new.answer);
    END""",
    """CREATE TRIGGER turns_search_update AFTER UPDATE OF question, answer ON turns
    WHEN old.question IS NOT new.question OR old.answer IS NOT new.answer BEGIN
        INSERT INTO turns_search (turns_search, rowid, question, answer)
        VALUES ('delete', old.number, old.question, old.answer);
        INSERT INTO turns_search (rowid, question, answer)
        VALUES (new.number, new.question, new.answer);
    END""",
    """CREATE TRIGGER turns_search_delete AFTER DELETE ON turns BEGIN
        INSERT INTO turns_search (turns_search, rowid, question, answer)
        VALUES ('delete', old.number, old.question, old.answer);
    END""",
    f"""CREATE VIRTUAL TABLE conversations_search USING fts5 (
        title, chatflow_name, content = 'conversations', content_rowid = 'number', {_WORDS}
    )""",
    """CREATE TRIGGER conversations_search_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO conversations_search (rowid, title, chatflow_name)
        VALUES (new.number, new.title, new.chatflow_name);
    END""",
    """CREATE TRIGGER conversations_search_update
    AFTER UPDATE OF title, chatflow_name ON conversations
    WHEN old.title IS NOT new.title OR old.chatflow_name IS NOT new.chatflow_name BEGIN
        INSERT INTO conversations_search (conversations_search, rowid, title, chatflow_name)
        VALUES ('delete', old.number, old.title, old.chatflow_name);
        INSERT INTO conversations_search (rowid, title, chatflow_name)
        VALUES (new.number, new.title, new.chatflow_name);
    END""",
    """CREATE TRIGGER conversations_search_delete AFTER DELETE ON conversations BEGIN
        INSERT INTO conversations_search (conversations_search, rowid, title, chatflow_name)
        VALUES ('delete', old.number, old.title, old.chatflow_name);
    END""",
)


_ADDED_IN_3 = (
    # The server the conversation was held on ('' when kept by an older version).
    "ALTER TABLE conversations ADD COLUMN server_url TEXT NOT NULL DEFAULT ''",
    # What was decided on the turn's action, as JSON (see Decision.as_json); NULL if nothing.
    "ALTER TABLE turns ADD COLUMN decision TEXT",
)

_ADDED_IN_4 = (
    # The files sent with the question, as JSON (see Attachment.to_json); NULL if none.
    "ALTER TABLE turns ADD COLUMN attachments TEXT",
)

_SCHEMA_1_TURN_COLUMNS = tuple(
    column for column in TURN_COLUMNS if column not in ("token_events", "decision", "attachments")
)


class UnusableFile(Exception):
    """The file exists but is not a history this version can use."""


def create_or_migrate(db: sqlite3.Connection) -> bool:
    """Bring the file to SCHEMA_VERSION inside the caller's transaction; whether the
    migration left space to hand back (VACUUM). A file that is not a history, or is newer,
    is refused and left as it is."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return False
    if version > SCHEMA_VERSION:
        raise UnusableFile(f"it was written by a newer flowise-tui (schema {version})")
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    space_freed = False
    if version == 0 and not tables:
        _create(db)
    elif version == 1 and {"conversations", "turns"} <= tables:
        _migrate_from_1(db)
        space_freed = True
    elif version == 2 and {"conversations", "turns"} <= tables:
        _migrate_from_2(db)
    elif version == 3 and {"conversations", "turns"} <= tables:
        _migrate_from_3(db)
    else:
        raise UnusableFile("it is an SQLite database, but not a flowise-tui history")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return space_freed


def _create(db: sqlite3.Connection) -> None:
    for statement in (*_TABLES, *_COUNTS, *_SEARCH):
        db.execute(statement)
    _migrate_from_2(db)


def _migrate_from_2(db: sqlite3.Connection) -> None:
    """Schema 2 kept neither the server nor the decisions: every conversation gets an empty
    server, every turn no decision."""
    for statement in _ADDED_IN_3:
        db.execute(statement)
    _migrate_from_3(db)


def _migrate_from_3(db: sqlite3.Connection) -> None:
    """Schema 3 kept no attachments: every turn gets none."""
    for statement in _ADDED_IN_4:
        db.execute(statement)


def _migrate_from_1(db: sqlite3.Connection) -> None:
    """Schema 1 kept every token as an event: keep the text once, the other events, and
    a count of the tokens; number conversations and turns, and index their words."""
    db.execute("DROP INDEX conversations_by_updated")
    db.execute("DROP INDEX conversations_by_chatflow")
    db.execute("ALTER TABLE conversations RENAME TO conversations_1")
    db.execute("ALTER TABLE turns RENAME TO turns_1")
    _create(db)
    db.execute(
        "INSERT INTO conversations"
        " (id, chatflow_id, chatflow_name, chat_id, title, created, updated)"
        " SELECT id, chatflow_id, chatflow_name, chat_id, title, created, updated"
        " FROM conversations_1 ORDER BY created, id"
    )
    numbers = dict(db.execute("SELECT id, number FROM conversations"))
    insert = (
        f"INSERT INTO turns (number, {', '.join(TURN_COLUMNS)})"
        f" VALUES (:number, {', '.join(':' + column for column in TURN_COLUMNS)})"
    )
    old_turns = db.execute(
        f"SELECT conversation_id, idx, {', '.join(_SCHEMA_1_TURN_COLUMNS)} FROM turns_1"
    )
    for conversation_id, index, *values in old_turns:
        number = numbers.get(conversation_id)
        if number is None or not 0 <= index < TURNS_PER_CONVERSATION:
            continue  # schema 1 never showed a turn without its conversation either
        old = dict(zip(_SCHEMA_1_TURN_COLUMNS, values, strict=True))
        try:
            row = turn_row(turn_from_schema_1_row(old))
        except DamagedEvents:
            # kept, so that loading it says it is damaged
            row = {**old, "token_events": 0, "decision": None, "attachments": None}
        db.execute(insert, {**row, "number": number << TURN_BITS | index})
    db.execute("DROP TABLE turns_1")
    db.execute("DROP TABLE conversations_1")
