"""Saving turns in the background, in order, without ever waiting on the disk."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from flowise_tui.history.rows import TurnRows, turn_rows
from flowise_tui.history.store import HistoryError, HistoryStore

if TYPE_CHECKING:
    from flowise_tui.conversation import Conversation, Turn


class HistoryWriter:
    """Writes turns to a `HistoryStore` from one background thread.

    `save()` takes the turn's rows at once, on the caller's thread, and returns; the write
    follows soon after. Saves of one turn that are still waiting become one write of the
    latest, so an answer saved every second costs at most one write per second however slow
    the disk. `flush()` waits until everything saved so far is written.
    """

    def __init__(
        self, store: HistoryStore, on_error: Callable[[HistoryError], None] | None = None
    ) -> None:
        self.store = store
        self._on_error = on_error
        self._waiting: dict[tuple[str, int], TurnRows] = {}
        self._writing = False
        self._closed = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def save(self, conversation: Conversation, turn: Turn) -> None:
        """Save `turn` of `conversation` as it is now; a turn not in it is not saved."""
        if turn not in conversation.turns:
            return
        index = conversation.turns.index(turn)
        rows = turn_rows(conversation, index, turn)
        with self._changed:
            if self._closed:
                return
            key = (conversation.id, index)
            self._waiting.pop(key, None)  # the latest save of a turn goes last
            self._waiting[key] = rows
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._write_all, name="history-writer", daemon=True
                )
                self._thread.start()
            self._changed.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every save so far is written (or failed); False if `timeout` passed."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._waiting and not self._writing, timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Write what is waiting, then stop; later saves are dropped. False if `timeout`
        passed first (the thread is a daemon: it does not hold the process)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _write_all(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._waiting or self._closed)
                if not self._waiting:
                    self._changed.notify_all()
                    return
                batch = list(self._waiting.values())
                self._waiting.clear()
                self._writing = True
            try:
                for rows in batch:
                    self._write(rows)
            finally:
                with self._changed:
                    self._writing = False
                    self._changed.notify_all()

    def _write(self, rows: TurnRows) -> None:
        try:
            self.store.save_rows(rows)
        except HistoryError as exc:
            self._report(exc)
        except Exception as exc:  # a turn SQLite will not take: the others still go in
            self._report(HistoryError(f"Could not save a turn to {self.store.path}: {exc}."))

    def _report(self, error: HistoryError) -> None:
        if self._on_error is not None:
            with contextlib.suppress(Exception):  # a report with nowhere to go
                self._on_error(error)
