"""Local conversation history in SQLite.

A turn is stored as its question, its timings and the raw event envelopes that answered
it, so a loaded conversation is rebuilt by replaying them and looks as it did live.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from flowise_tui.conversation import Conversation, Turn, TurnStatus

APP_NAME = "flowise-tui"
DATA_DIR_ENV_VAR = "FLOWISE_TUI_DATA_DIR"
HISTORY_FILENAME = "history.sqlite3"
SCHEMA_VERSION = 1

_SCHEMA = (
    """CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        chatflow_id TEXT NOT NULL,
        chatflow_name TEXT NOT NULL,
        chat_id TEXT NOT NULL,
        title TEXT NOT NULL,
        created REAL NOT NULL,
        updated REAL NOT NULL
    )""",
    "CREATE INDEX conversations_by_updated ON conversations (updated DESC)",
    "CREATE INDEX conversations_by_chatflow ON conversations (chatflow_id, updated DESC)",
    """CREATE TABLE turns (
        conversation_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        events TEXT NOT NULL,
        status TEXT NOT NULL,
        started REAL NOT NULL,
        first_token_after REAL,
        elapsed REAL,
        feedback_id TEXT,
        rating TEXT,
        PRIMARY KEY (conversation_id, idx)
    )""",
)

_UPSERT_CONVERSATION = """
    INSERT INTO conversations (id, chatflow_id, chatflow_name, chat_id, title, created, updated)
    VALUES (:id, :chatflow_id, :chatflow_name, :chat_id, :title, :created, :updated)
    ON CONFLICT (id) DO UPDATE SET
        chatflow_id = excluded.chatflow_id,
        chatflow_name = excluded.chatflow_name,
        chat_id = excluded.chat_id,
        title = excluded.title,
        created = excluded.created,
        updated = MAX(conversations.updated, excluded.updated)
"""

_UPSERT_TURN = """
    INSERT OR REPLACE INTO turns (
        conversation_id, idx, question, answer, events, status,
        started, first_token_after, elapsed, feedback_id, rating
    ) VALUES (
        :conversation_id, :idx, :question, :answer, :events, :status,
        :started, :first_token_after, :elapsed, :feedback_id, :rating
    )
"""

_SUMMARY_COLUMNS = """
    c.id, c.chatflow_id, c.chatflow_name, c.title,
    (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id),
    c.created, c.updated
"""

_MATCHES_QUERY = """(
    instr(casefold(c.title), :query) OR instr(casefold(c.chatflow_name), :query)
    OR EXISTS (
        SELECT 1 FROM turns t WHERE t.conversation_id = c.id
        AND (instr(casefold(t.question), :query) OR instr(casefold(t.answer), :query))
    )
)"""


def default_history_path() -> Path:
    override = os.environ.get(DATA_DIR_ENV_VAR)
    directory = Path(override).expanduser() if override else platformdirs.user_data_path(APP_NAME)
    return directory / HISTORY_FILENAME


class HistoryError(Exception):
    """The local history could not be read or written; the message says why, for a person."""


class _Unusable(Exception):
    """The file exists but is not a history this version can use."""


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


class HistoryStore:
    """Conversations kept in one SQLite file, opened on first use.

    One connection is shared by every thread (`check_same_thread=False`); a lock lets
    only one call use it at a time, so the UI may call from worker threads. A file that is
    damaged or is not a flowise-tui history is reported and never modified.
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
            db.execute(_UPSERT_CONVERSATION, _conversation_row(conversation))

    def save_turn(self, conversation: Conversation, index: int, turn: Turn) -> None:
        conversation_row = _conversation_row(conversation, turn)
        turn_row = _turn_row(conversation.id, index, turn)
        with (
            self._using(
                f"save the conversation to {self.path}",
                "The chat goes on, but this turn is not in local history.",
            ) as db,
            _transaction(db),
        ):
            db.execute(_UPSERT_CONVERSATION, conversation_row)
            db.execute(_UPSERT_TURN, turn_row)

    def list_conversations(
        self, chatflow_id: str | None = None, limit: int = 200, query: str | None = None
    ) -> list[ConversationSummary]:
        """Newest first; `query` matches titles, questions and answers, ignoring case."""
        conditions = []
        params: dict[str, Any] = {"limit": max(limit, 0)}
        if chatflow_id is not None:
            conditions.append("c.chatflow_id = :chatflow_id")
            params["chatflow_id"] = chatflow_id
        if query and query.strip():
            conditions.append(_MATCHES_QUERY)
            params["query"] = query.strip().casefold()
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = (
            f"SELECT {_SUMMARY_COLUMNS} FROM conversations c {where} "
            "ORDER BY c.updated DESC, c.created DESC LIMIT :limit"
        )
        with self._using(f"read the local history at {self.path}") as db:
            rows = db.execute(sql, params).fetchall()
        return [ConversationSummary(*row) for row in rows]

    def load(self, conversation_id: str) -> Conversation:
        """The conversation with its turns replayed from their stored events."""
        with self._using(f"load conversation {conversation_id} from {self.path}") as db:
            head = db.execute(
                "SELECT chatflow_id, chatflow_name, chat_id, created FROM conversations"
                " WHERE id = ?",
                (conversation_id,),
            ).fetchone()
            rows = db.execute(
                "SELECT question, events, status, started, first_token_after, elapsed,"
                " feedback_id, rating FROM turns WHERE conversation_id = ? ORDER BY idx",
                (conversation_id,),
            ).fetchall()
        if head is None:
            raise HistoryError(
                f"There is no conversation {conversation_id} in the local history at {self.path}."
            )
        chatflow_id, chatflow_name, chat_id, created = head
        turns = [self._replay(conversation_id, row) for row in rows]
        return Conversation(
            chatflow_id=chatflow_id,
            chatflow_name=chatflow_name,
            id=conversation_id,
            chat_id=chat_id,
            created=created,
            turns=turns,
        )

    def delete(self, conversation_id: str) -> None:
        action = f"delete conversation {conversation_id} from {self.path}"
        with self._using(action) as db, _transaction(db):
            db.execute("DELETE FROM turns WHERE conversation_id = ?", (conversation_id,))
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def _replay(self, conversation_id: str, row: tuple[Any, ...]) -> Turn:
        question, events, status, started, first_token_after, elapsed, feedback_id, rating = row
        try:
            envelopes = json.loads(events)
        except ValueError as exc:
            raise HistoryError(
                f"Could not load conversation {conversation_id} from {self.path}: "
                f"the stored events of a turn are damaged ({exc})."
            ) from exc
        return Turn.replay(
            question,
            envelopes if isinstance(envelopes, list) else [],
            status=_status(status),
            started=started,
            first_token_after=first_token_after,
            elapsed=elapsed,
            feedback_id=feedback_id,
            rating=rating,
        )

    @contextlib.contextmanager
    def _using(self, action: str, consequence: str = "") -> Iterator[sqlite3.Connection]:
        """The open connection, held under the lock; failures become a HistoryError."""
        with self._lock:
            try:
                yield self._open()
            except _Unusable as exc:
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
                message = f"Could not {action}: {_reason(exc)}."
                raise HistoryError(f"{message} {consequence}".rstrip()) from exc

    def _open(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        directory = self.path.parent
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise NotADirectoryError(f"{_blocker(directory)} is not a directory") from exc
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
    """Check the file is a history, create the schema in an empty one, switch to WAL."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        with _transaction(db):
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _Unusable(f"it was written by a newer flowise-tui (schema {version})")
            tables = db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
            if version != 0 or tables:
                raise _Unusable("it is an SQLite database, but not a flowise-tui history")
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.create_function("casefold", 1, _casefold, deterministic=True)


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


def _conversation_row(conversation: Conversation, *more_turns: Turn) -> dict[str, Any]:
    turns = [*conversation.turns, *more_turns]
    ends = (turn.started + (turn.elapsed or 0.0) for turn in turns)
    return {
        "id": conversation.id,
        "chatflow_id": conversation.chatflow_id,
        "chatflow_name": conversation.chatflow_name,
        "chat_id": conversation.chat_id,
        "title": conversation.title,
        "created": conversation.created,
        "updated": max([conversation.created, *ends]),
    }


def _turn_row(conversation_id: str, index: int, turn: Turn) -> dict[str, Any]:
    return {
        "conversation_id": conversation_id,
        "idx": index,
        "question": turn.question,
        "answer": turn.answer.text,
        "events": json.dumps(turn.events, ensure_ascii=False, separators=(",", ":"), default=str),
        "status": turn.status.value,
        "started": turn.started,
        "first_token_after": turn.first_token_after,
        "elapsed": turn.elapsed,
        "feedback_id": turn.feedback_id,
        "rating": turn.rating,
    }


def _status(value: Any) -> TurnStatus:
    try:
        return TurnStatus(value)
    except ValueError:
        return TurnStatus.FAILED


def _casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _is_corruption(exc: BaseException) -> bool:
    return getattr(exc, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    return str(exc) or type(exc).__name__


def _blocker(directory: Path) -> Path:
    """The part of `directory` that exists but is not a directory."""
    candidates = (directory, *directory.parents)
    return next((p for p in candidates if p.exists() and not p.is_dir()), directory)
