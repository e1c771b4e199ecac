"""What the command line says on stderr, and the exit codes it ends with."""

from __future__ import annotations

import contextlib
import sys

from flowise_tui.terminal_text import for_terminal

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_EMPTY, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def warn(message: str) -> None:
    print(f"flowise-tui: warning: {for_terminal(message)}", file=sys.stderr, flush=True)


def fail(message: str) -> None:
    """`message` on stderr; it may quote a server, so nothing in it reaches the terminal
    as a control character."""
    print(f"flowise-tui: {for_terminal(message)}", file=sys.stderr, flush=True)


def silence_stdout() -> None:
    with contextlib.suppress(Exception):
        sys.stdout = open("/dev/null", "w")  # noqa: SIM115
