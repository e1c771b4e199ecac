"""When the app spends time on what: the user's keys first, garbage collection last.

- Keys and clicks come first: right after one, the next frame of streamed text waits a
  little, and so does the reading of the wire, so that the echo of the key is not queued
  behind a frame's layout and rendering, nor behind the parsing of more text.
- Threads hand over often: the terminal's input and output each have a thread of their
  own, and a key's way to the screen takes both. With the interpreter's default switch
  interval (5 ms) each of them waits up to that long for the event loop's thread, several
  times per key, whenever an answer streams (a key typed then echoed in ~150 ms, not ~25).
- The screen comes before the wire: the reader of a streamed answer makes way every
  millisecond, and waits while a frame of text goes on screen (see `MarkdownFeed`).
- No cyclic garbage collection while an answer streams: with the widgets of a long
  conversation alive a full collection takes tens of milliseconds, and allocation-heavy
  streaming would trigger one every few hundred.
- What exists once the app has started lives as long as the app, so it is frozen out of
  every later collection.
- The garbage of an answer is collected while the user reads: once the answer is complete
  and no key or click came for a second; failing that, just before the next question is
  sent (otherwise one who keeps typing would keep every answer's garbage).
- Memory freed goes back to the system (glibc's `malloc_trim`) after each answer and after
  each collection; otherwise the process keeps the size of its busiest moment.

The app owns one `Pacing`, tells it of every event (`note`), and hands it to the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import sys
from collections.abc import Callable, Iterator

from textual import events

USER_INPUT = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
INPUT_GRACE = 0.05
"""Seconds after a key or a click before the next frame of streamed text."""
SWITCH_INTERVAL = 0.0005
"""Seconds a thread may hold the interpreter while another waits (`sys.setswitchinterval`)."""
IDLE_SECONDS = 1.0
"""Seconds without a key or a click before the garbage of an answer is collected."""


class Pacing:
    def __init__(self) -> None:
        self.last_input: float | None = None
        """When the user last pressed a key, clicked or scrolled (event loop time)."""
        self._streams = 0
        self._collector_was_on = False
        self.garbage_owed = False
        """An answer ended and its garbage has not been collected yet."""

    def note(self, event: events.Event) -> None:
        """Called with every event the app receives."""
        if isinstance(event, USER_INPUT):
            self.last_input = _now()

    def started(self) -> None:
        """The app's first screen is up: what exists now is never garbage, and collection
        (paused by the command line while the app was built) goes on. Only the first app
        of a process freezes: a later one (in tests, one a test) would freeze the garbage
        of those before it for good. From now on threads hand over the interpreter every
        `SWITCH_INTERVAL`."""
        sys.setswitchinterval(SWITCH_INTERVAL)
        _freeze_once("started")
        gc.enable()

    def loaded(self) -> None:
        """The code loaded after the first screen (the client, the answer's view) lives as
        long as the app too: frozen out of later collections, which otherwise traverse it
        every time (a full collection took some 200 ms in a long conversation). Only the
        first app of a process freezes, as in `started`."""
        _freeze_once("loaded")

    def input_grace(self) -> float:
        """How long the next frame of streamed text should wait for the last key's echo."""
        if self.last_input is None:
            return 0.0
        return max(0.0, self.last_input + INPUT_GRACE - _now())

    def idle_for(self) -> float:
        """Seconds since the last key or click (since ever: infinity)."""
        return float("inf") if self.last_input is None else _now() - self.last_input

    @contextlib.contextmanager
    def streaming(self) -> Iterator[None]:
        """No garbage collection until the answer's last text is on screen."""
        if not self._streams:
            self._collector_was_on = gc.isenabled()
            gc.disable()
        self._streams += 1
        try:
            yield
        finally:
            self._streams -= 1
            self.garbage_owed = True
            if not self._streams and self._collector_was_on:
                gc.enable()

    def collect_garbage(
        self, tidy: Callable[[], object] = lambda: None, *, now: bool = False
    ) -> float | None:
        """Collect the garbage of the last answer, after `tidy()` made some more, if the user
        is idle and no answer streams (or `now`); otherwise how many seconds to wait before
        asking again."""
        if not now:
            if self._streams:
                return None  # the end of that answer asks again
            wait = IDLE_SECONDS - self.idle_for()
            if wait > 0:
                return IDLE_SECONDS
        self.garbage_owed = False
        tidy()
        gc.collect()
        give_back_free_memory()
        return None


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, which hands the free memory of the C heap back to the system
    (Python's freed objects otherwise keep the process's size at its peak); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # some ms of a start, spent at the first collection instead

    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):
        return None


def give_back_free_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


frozen_at: set[str] = set()
"""The moments of an app (`started`, `loaded`) at which this process froze its heap."""


def _freeze_once(moment: str) -> None:
    if moment not in frozen_at:
        frozen_at.add(moment)
        gc.freeze()


def _now() -> float:
    return asyncio.get_running_loop().time()
