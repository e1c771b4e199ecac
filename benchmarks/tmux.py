"""A program in a detached tmux pane: start it, type into it, poll what is on screen."""

from __future__ import annotations

import atexit
import itertools
import os
import shlex
import subprocess
import time
from collections.abc import Callable, Mapping

POLL_SECONDS = 0.005
SOCKET = f"flowise-bench-{os.getpid()}"
"""This harness's own tmux server: others on the machine may stop theirs at any time."""
_names = itertools.count()
_server_up = False


def _tmux(*args: str) -> str:
    done = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"tmux {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return done.stdout


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
        return self._tmux("capture-pane", "-p", "-t", self.name)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.name, "-l", text)

    def press(self, *keys: str) -> float:
        """Send keys; the time just before they were sent."""
        sent = time.perf_counter()
        self._tmux("send-keys", "-t", self.name, *keys)
        return sent

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
