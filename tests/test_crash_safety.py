"""The app killed mid-answer, in a real process on a real terminal (a pty), keeps the turn.

The app runs as `python -m flowise_tui` against a demo server in this process, with its
config and history under a temporary folder. A question goes in as keystrokes; once local
history holds part of its answer, the app gets SIGKILL, SIGTERM or SIGHUP. Afterwards the
history, opened with the store, holds the question and the partial answer, marked
interrupted; on SIGTERM and SIGHUP the app also left the terminal as it found it. Every wait
polls with a generous deadline: nothing here measures time.
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import flowise_tui
from flowise_tui.config import CONFIG_ENV_VAR
from flowise_tui.conversation import Turn, TurnStatus
from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.history import DATA_DIR_ENV_VAR, HISTORY_FILENAME, HistoryError, HistoryStore

QUESTION = "/long 20000"
"""Twenty thousand tokens at the server's pace: minutes of answer, never done in time."""
TOKEN_DELAY = 0.01
PATIENCE = 90.0
"""Seconds any one step may take on a loaded machine before the test gives up."""
PROMPT_SHOWN = b"Ask something"
"""The prompt's placeholder: once drawn, the terminal is in the app's (raw) mode, and keys
typed go to the app (typed before, the switch to raw mode may throw them away)."""

pytestmark = pytest.mark.timeout(6 * PATIENCE)
ROWS, COLUMNS = 40, 120

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
MOUSE_OFF = (b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l")
"""Textual's mouse modes (clicks, motion, SGR coordinates), each turned off on the way out."""


@pytest.fixture(scope="module")
def slow_server() -> Iterator[DemoServer]:
    with DemoServer(token_delay=TOKEN_DELAY) as server:
        yield server


class Terminal:
    """The app's terminal: everything it writes is kept; keys are typed into it."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: every end of the slave is closed
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk

    def written(self, since: int = 0) -> bytes:
        with self._lock:
            return bytes(self.output[since:])

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_for_exit(self) -> int:
        code = self.process.wait(PATIENCE)
        self._reader.join(PATIENCE)
        return code

    def hang_up(self) -> None:
        """Close the terminal's end, as a terminal window that closes does."""
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(PATIENCE)
        self.hang_up()


def holds_within(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def wait_until(condition: Callable[[], object], what: str) -> None:
    assert holds_within(condition, PATIENCE), f"gave up waiting for {what}"


def stored_turn(history: Path) -> Turn | None:
    """The first turn of the only conversation in the history at `history`, if any yet."""
    if not history.exists():
        return None  # the app creates it; opening it here first would too
    with HistoryStore(history) as store:
        try:
            conversations = store.list_conversations()
            if not conversations:
                return None
            turns = store.load(conversations[0].id).turns
        except HistoryError:  # the app is creating it this very moment
            return None
    return turns[0] if turns else None


@pytest.fixture
def app_terminal(slow_server: DemoServer, tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("FLOWISE_", "TEXTUAL"))
    }
    env.update(
        TERM="xterm-256color",
        PYTHONPATH=str(Path(flowise_tui.__file__).parent.parent),
        **{CONFIG_ENV_VAR: str(tmp_path / "config.toml"), DATA_DIR_ENV_VAR: str(tmp_path)},
    )
    command = [
        sys.executable,
        "-m",
        "flowise_tui",
        "--url",
        slow_server.url,
        "--chatflow",
        CHAT_FLOW_ID,
    ]
    terminal = Terminal(command, env)
    try:
        yield terminal, tmp_path / HISTORY_FILENAME
    finally:
        terminal.close()


def ask_and_wait_for_a_saved_answer(terminal: Terminal, history: Path) -> Turn:
    """Type the question; press Enter until it is sent (the chatflow may still be opening),
    then wait until history holds part of the answer."""
    wait_until(lambda: PROMPT_SHOWN in terminal.written(), "the prompt on screen")
    terminal.type(QUESTION.encode())
    deadline = time.monotonic() + PATIENCE
    while stored_turn(history) is None:
        assert time.monotonic() < deadline, "the question never reached local history"
        assert terminal.process.poll() is None, terminal.written().decode(errors="replace")
        terminal.type(b"\r")
        holds_within(lambda: stored_turn(history), 3.0)
    wait_until(lambda: (stored_turn(history) or Turn("")).answer.text, "a saved partial answer")
    saved = stored_turn(history)
    assert saved is not None
    return saved


@pytest.mark.parametrize("ending", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP], ids=str)
def test_a_killed_app_keeps_the_question_and_the_partial_answer(
    app_terminal: tuple[Terminal, Path], ending: signal.Signals
) -> None:
    terminal, history = app_terminal
    before = ask_and_wait_for_a_saved_answer(terminal, history)
    assert before.question == QUESTION
    written_before = len(terminal.written())

    terminal.process.send_signal(ending)
    code = terminal.wait_for_exit()

    after = stored_turn(history)
    assert after is not None
    assert after.question == QUESTION
    assert after.status is TurnStatus.INTERRUPTED
    assert after.answer.text.startswith(before.answer.text), "what was saved stays saved"
    if ending == signal.SIGKILL:
        assert code == -signal.SIGKILL
        return
    assert code == 0, terminal.written(written_before).decode(errors="replace")
    on_exit = terminal.written(written_before)
    assert LEAVE_ALTERNATE_SCREEN in on_exit
    for mouse_off in MOUSE_OFF:
        assert mouse_off in on_exit


def test_a_closed_terminal_still_saves_and_ends_the_app(
    app_terminal: tuple[Terminal, Path],
) -> None:
    """A terminal window closed: the app's terminal is gone, then SIGHUP comes."""
    terminal, history = app_terminal
    before = ask_and_wait_for_a_saved_answer(terminal, history)
    terminal.hang_up()
    terminal.process.send_signal(signal.SIGHUP)
    terminal.process.wait(PATIENCE)
    after = stored_turn(history)
    assert after is not None and after.status is TurnStatus.INTERRUPTED
    assert after.answer.text.startswith(before.answer.text)
