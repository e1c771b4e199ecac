"""Keeping an answer in local history while it streams, so that a crash loses at most a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowise_tui.conversation import Turn

SAVE_EVERY = 0.5
"""Seconds between two saves of a streaming answer, at the least. Asked on every event and by
a timer at this interval, a change is saved within twice this time."""


class ProgressSaver:
    """Saves a streaming turn (by `save`) when it has changed and `SAVE_EVERY` has passed.

    A save is the whole answer so far, so the saves of a growing answer cost it once per
    interval, never once per event.
    """

    def __init__(
        self, turn: Turn, save: Callable[[], None], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.turn = turn
        self._save = save
        self._clock = clock
        self._saved_at = clock()
        self._saved = self._progress()

    def _progress(self) -> tuple[int, int, int]:
        answer = self.turn.answer
        return answer.length, answer.token_events, len(self.turn.events)

    def save_if_due(self) -> None:
        now = self._clock()
        if now - self._saved_at < SAVE_EVERY:
            return
        progress = self._progress()
        if progress == self._saved:
            return
        self._saved_at, self._saved = now, progress
        self._save()
