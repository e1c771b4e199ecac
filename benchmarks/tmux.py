"""A program in a detached tmux pane: start it, type into it, poll what is on screen.

Keys and screen reads go through one tmux client in control mode (`tmux -C`), kept open for
the whole run: a command costs a line written and a reply read, not a new `tmux` process
(some 3–5 ms each here, which the old harness counted in every key's time and every poll).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shlex
import subprocess
import time
from collections.abc import Callable, Mapping
from typing import IO

POLL_SECONDS = 0.002
SOCKET = f"flowise-bench-{os.getpid()}"
"""This harness's own tmux server: others on the machine may stop theirs at any time."""
_names = itertools.count()
_server_up = False


def _tmux(*args: str) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"tmux {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return done.stdout


class _Control:
    """One control-mode client, attached to a session of its own so that it never sizes
    the windows it types into."""

    SESSION = "flowise-bench-control"

    def __init__(self) -> None:
        _tmux("new-session", "-d", "-s", self.SESSION, "-x", "80", "-y", "24", "cat")
        self._process = subprocess.Popen(
            ["tmux", "-L", SOCKET, "-C", "attach-session", "-t", self.SESSION],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        self._in: IO[str] = self._process.stdin  # type: ignore[assignment]
        self._out: IO[str] = self._process.stdout  # type: ignore[assignment]
        marker = "flowise-bench-ready"
        self.send("display-message", "-p", marker)
        while marker not in self.reply():
            pass  # the attach's own reply comes first

    def send(self, *args: str) -> None:
        """Write a command; its reply is read by `reply`."""
        self._in.write(shlex.join(args) + "\n")
        self._in.flush()

    def reply(self) -> str:
        """The output of the oldest command whose reply is unread. Notifications, and the
        replies to what tmux ran on its own (flags 0, such as the attach), are skipped."""
        lines: list[str] = []
        inside = False
        for line in self._out:
            line = line.rstrip("\n")
            if not inside:
                inside = line.startswith("%begin ") and line.endswith(" 1")
                continue
            if line.startswith(("%end ", "%error ")):
                if line.startswith("%error "):
                    raise RuntimeError(f"tmux: {' '.join(lines)}")
                return "\n".join(lines) + "\n"
            lines.append(line)
        raise RuntimeError("the tmux control client ended")

    def run(self, *args: str) -> str:
        self.send(*args)
        return self.reply()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._in.close()
        self._process.wait(5)


_control: _Control | None = None


def _controlled(*args: str) -> str:
    global _control
    if _control is None:
        _control = _Control()
    return _control.run(*args)


def _press(*args: str) -> float:
    """Send keys through the control client; the time just before the command was written."""
    global _control
    if _control is None:
        _control = _Control()
    sent = time.perf_counter()
    _control.send(*args)
    _control.reply()
    return sent


def _start_server() -> None:
    """Start this harness's server once, kept between panes (no new server, and no race
    with a dying one, for each pane) and stopped when the harness exits."""
    global _server_up
    if not _server_up:
        _tmux("start-server", ";", "set-option", "-g", "exit-empty", "off")
        atexit.register(subprocess.run, ["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
        _server_up = True


class Pane:
    def __init__(
        self,
        command: list[str],
        *,
        size: tuple[int, int] = (160, 50),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = f"flowise-bench-{os.getpid()}-{next(_names)}"
        width, height = size
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        line = f"exec env {exports} {shlex.join(command)}" if exports else shlex.join(command)
        _start_server()
        self.started = time.perf_counter()
        size = ("-x", str(width), "-y", str(height))
        # In the harness's directory, so that `python -m` finds this checkout's code.
        self._tmux("new-session", "-d", "-s", self.name, "-c", os.getcwd(), *size, line)
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        return _tmux(*args)

    @property
    def pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}"))

    def screen(self) -> str:
        return _controlled("capture-pane", "-p", "-t", self.name)

    def type(self, text: str) -> None:
        _press("send-keys", "-t", self.name, "-l", text)

    def press(self, *keys: str) -> float:
        """Send keys; the time just before they were sent."""
        return _press("send-keys", "-t", self.name, *keys)

    def wait_for(
        self, found: Callable[[str], bool] | str, timeout: float = 60.0
    ) -> tuple[float, str]:
        """Poll the screen until `found` holds; the time of that screen, and the screen."""
        check = found if callable(found) else (lambda screen: found in screen)
        deadline = time.perf_counter() + timeout
        while True:
            screen = self.screen()
            seen = time.perf_counter()
            if check(screen):
                return seen, screen
            if seen > deadline:
                raise TimeoutError(f"{self.name}: not on screen after {timeout} s:\n{screen}")
            time.sleep(POLL_SECONDS)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", self.name], capture_output=True)

    def __enter__(self) -> Pane:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def available() -> bool:
    try:
        subprocess.run(["tmux", "-V"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return False
    return True
