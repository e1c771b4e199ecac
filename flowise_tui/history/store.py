"""The history store: conversations saved turn by turn in one SQLite file, listed newest
first, searched, loaded and deleted."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from flowise_tui.config import APP_NAME
from flowise_tui.conversation import Conversation, Turn
from flowise_tui.files import make_directory, os_error_reason
from flowise_tui.history import search
from flowise_tui.history.rows import (
    TURN_BITS,
    TURN_COLUMNS,
    TURNS_PER_CONVERSATION,
    DamagedEvents,
    TurnRows,
    conversation_row,
    turn_from_row,
    turn_rows,
)
from flowise_tui.history.schema import SCHEMA_VERSION, UnusableFile, create_or_migrate

DATA_DIR_ENV_VAR = "FLOWISE_TUI_DATA_DIR"
HISTORY_FILENAME = "history.sqlite3"

_UPSERT_CONVERSATION = """
    INSERT INTO conversations
        (id, chatflow_id, chatflow_name, chat_id, server_url, title, created, updated)
    VALUES (:id, :chatflow_id, :chatflow_name, :chat_id, :server_url, :title, :created, :updated)
    ON CONFLICT (id) DO UPDATE SET
        chatflow_id = excluded.chatflow_id,
        chatflow_name = excluded.chatflow_name,
        chat_id = excluded.chat_id,
        server_url = excluded.server_url,
        title = excluded.title,
        created = excluded.created,
        updated = MAX(conversations.updated, excluded.updated)
"""

_UPSERT_TURN = f"""
    INSERT INTO turns (number, {", ".join(TURN_COLUMNS)})
    SELECT (c.number << {TURN_BITS}) | :index, {", ".join(":" + c for c in TURN_COLUMNS)}
    FROM conversations c WHERE c.id = :conversation_id
    ON CONFLICT (number) DO UPDATE SET
        {", ".join(f"{c} = excluded.{c}" for c in TURN_COLUMNS)}
"""

_LAST_INDEX = TURNS_PER_CONVERSATION - 1
_TURNS_OF = f"number BETWEEN :number << {TURN_BITS} AND (:number << {TURN_BITS}) | {_LAST_INDEX}"

_SUMMARY_COLUMNS = (
    "c.id, c.chatflow_id, c.chatflow_name, c.title, c.turn_count, c.created, c.updated,"
    " c.server_url"
)


_NUMBERS_PER_QUERY = 500


def default_history_path() -> Path:
    override = os.environ.get(DATA_DIR_ENV_VAR)
    directory = Path(override).expanduser() if override else platformdirs.user_data_path(APP_NAME)
    return directory / HISTORY_FILENAME


class HistoryError(Exception):
    """The local history could not be read or written; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    """`updated` is when the latest turn ended, so the order follows the chat, not the saves."""

    id: str
    chatflow_id: str
    chatflow_name: str
    title: str
    turns: int
    created: float
    updated: float
    server_url: str = ""
    """Empty for a conversation kept before the server was."""


class HistoryStore:
    """Conversations kept in one SQLite file, opened on first use.

    One connection is shared by every thread (`check_same_thread=False`); a lock lets
    only one call use it at a time, so the UI may call from worker threads. A file that is
    damaged or is not a flowise-tui history is reported and never modified; one written by
    the previous version is migrated when first opened.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_history_path()
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.close()
                self._connection = None

    def save_conversation(self, conversation: Conversation) -> None:
        with (
            self._using(
                f"save the conversation to {self.path}",
                "The chat goes on, but it is not in local history.",
            ) as db,
            _transaction(db),
        ):
            db.execute(_UPSERT_CONVERSATION, conversation_row(conversation))

    def save_turn(self, conversation: Conversation, index: int, turn: Turn) -> None:
        self.save_rows(turn_rows(conversation, index, turn))

    def save_rows(self, rows: TurnRows) -> None:
        """Save a turn as it was when `rows` were taken (see `turn_rows`)."""
        consequence = "The chat goes on, but this turn is not in local history."
        index = rows.index
        if not 0 <= index < TURNS_PER_CONVERSATION:
            raise HistoryError(
                f"Could not save turn {index + 1} to {self.path}: a conversation keeps at most "
                f"{TURNS_PER_CONVERSATION:,} turns. {consequence}"
            )
        conversation_id = rows.conversation["id"]
        turn_values = {**rows.turn, "conversation_id": conversation_id, "index": index}
        with (
            self._using(f"save the conversation to {self.path}", consequence) as db,
            _transaction(db),
        ):
            db.execute(_UPSERT_CONVERSATION, rows.conversation)
            db.execute(_UPSERT_TURN, turn_values)

    def list_conversations(
        self, chatflow_id: str | None = None, limit: int = 200, query: str | None = None
    ) -> list[ConversationSummary]:
        """Newest first. With a `query`, only the conversations where each word typed starts
        a word of one turn, or of the title and chatflow name, ignoring case and accents."""
        limit = max(limit, 0)
        words = search.words_query(query or "")
        with self._using(f"read the local history at {self.path}") as db:
            if words is not None:
                numbers = search.newest_matching(db, words, chatflow_id, limit)
                rows = _summaries(db, numbers)
            else:
                scope = "WHERE c.chatflow_id = :chatflow_id" if chatflow_id is not None else ""
                rows = db.execute(
                    f"SELECT {_SUMMARY_COLUMNS} FROM conversations c {scope}"
                    f" {search.NEWEST_FIRST} LIMIT :limit",
                    {"chatflow_id": chatflow_id, "limit": limit},
                ).fetchall()
        return [ConversationSummary(*row) for row in rows]

    def servers(self) -> list[str]:
        """The servers the kept conversations were held on, known ones only, sorted."""
        with self._using(f"read the local history at {self.path}") as db:
            rows = db.execute(
                "SELECT DISTINCT server_url FROM conversations WHERE server_url != ''"
                " ORDER BY server_url"
            ).fetchall()
        return [server for (server,) in rows]

    def load(self, conversation_id: str) -> Conversation:
        """The conversation with its turns rebuilt as they were shown."""
        with self._using(f"load conversation {conversation_id} from {self.path}") as db:
            head = db.execute(
                "SELECT number, chatflow_id, chatflow_name, chat_id, created, server_url"
                " FROM conversations WHERE id = ?",
                (conversation_id,),
            ).fetchone()
            rows = []
            if head is not None:
                cursor = db.execute(
                    f"SELECT {', '.join(TURN_COLUMNS)} FROM turns WHERE {_TURNS_OF}"
                    " ORDER BY number",
                    {"number": head[0]},
                )
                rows = [dict(zip(TURN_COLUMNS, row, strict=True)) for row in cursor]
        if head is None:
            raise HistoryError(
                f"There is no conversation {conversation_id} in the local history at {self.path}."
            )
        _, chatflow_id, chatflow_name, chat_id, created, server_url = head
        try:
            turns = [turn_from_row(row) for row in rows]
        except DamagedEvents as exc:
            raise HistoryError(
                f"Could not load conversation {conversation_id} from {self.path}: "
                f"the stored events of a turn are damaged ({exc})."
            ) from exc
        return Conversation(
            chatflow_id=chatflow_id,
            chatflow_name=chatflow_name,
            id=conversation_id,
            chat_id=chat_id,
            created=created,
            turns=turns,
            server_url=server_url,
        )

    def delete(self, conversation_id: str) -> None:
        action = f"delete conversation {conversation_id} from {self.path}"
        with self._using(action) as db, _transaction(db):
            head = db.execute(
                "SELECT number FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if head is not None:
                db.execute(f"DELETE FROM turns WHERE {_TURNS_OF}", {"number": head[0]})
                db.execute("DELETE FROM conversations WHERE number = ?", head)

    @contextlib.contextmanager
    def _using(self, action: str, consequence: str = "") -> Iterator[sqlite3.Connection]:
        """The open connection, held under the lock; failures become a HistoryError."""
        with self._lock:
            try:
                yield self._open()
            except UnusableFile as exc:
                raise HistoryError(
                    f"Could not {action}: {exc}. The file was left untouched; "
                    "move it elsewhere and flowise-tui starts a new history."
                ) from exc
            except (sqlite3.Error, OSError) as exc:
                if _is_corruption(exc):
                    raise HistoryError(
                        f"Could not {action}: the file is damaged or is not a flowise-tui "
                        f"history ({exc}). It was left untouched; move it elsewhere and "
                        "flowise-tui starts a new history."
                    ) from exc
                message = f"Could not {action}: {os_error_reason(exc)}."
                raise HistoryError(f"{message} {consequence}".rstrip()) from exc

    def _open(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        make_directory(self.path.parent, mode=0o700)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        db = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
        try:
            _prepare(db)
        except BaseException:
            db.close()
            raise
        self._connection = db
        return db


def _prepare(db: sqlite3.Connection) -> None:
    """Check the file is a history, create or migrate its schema, switch to WAL."""
    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        with _transaction(db):
            migrated = create_or_migrate(db)
        if migrated:
            with contextlib.suppress(sqlite3.Error):
                db.execute("VACUUM")  # hand back the space the token events took
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _summaries(db: sqlite3.Connection, numbers: list[int]) -> list[tuple[Any, ...]]:
    """The summary rows of the conversations `numbers`, in that order."""
    by_number: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(numbers), _NUMBERS_PER_QUERY):
        chunk = numbers[start : start + _NUMBERS_PER_QUERY]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT c.number, {_SUMMARY_COLUMNS} FROM conversations c WHERE c.number IN ({marks})",
            chunk,
        )
        by_number.update((number, tuple(rest)) for number, *rest in rows)
    return [by_number[number] for number in numbers]


def _is_corruption(exc: BaseException) -> bool:
    return getattr(exc, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT")
