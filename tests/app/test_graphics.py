"""Which graphics a terminal gets, at what size, and that loading the image library neither
asks the terminal anything nor happens at start-up."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flowise_tui.app.graphics import box, choose_protocol

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TERM": "xterm-kitty"}, "kitty"),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "ghostty"}, "kitty"),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, "sixel"),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"}, "sixel"),
        ({"TERM": "foot"}, "sixel"),
        ({"TERM": "xterm-256color", "KONSOLE_VERSION": "230805"}, "sixel"),
        ({"TERM": "xterm-256color"}, "halfcell"),
        ({"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0", "KITTY_WINDOW_ID": "1"},
         "halfcell"),
        ({"TERM": "xterm-kitty", "FLOWISE_TUI_IMAGES": "none"}, "none"),
        ({"TERM": "xterm-256color", "FLOWISE_TUI_IMAGES": "Sixel"}, "sixel"),
        ({"TERM": "xterm-256color", "FLOWISE_TUI_IMAGES": "nonsense"}, "halfcell"),
    ],
)  # fmt: skip
def test_the_protocol_comes_from_the_environment(environ: dict[str, str], expected: str) -> None:
    assert choose_protocol(environ, headless=False) == expected


def test_a_headless_app_draws_no_image_unless_told() -> None:
    assert choose_protocol({"TERM": "xterm-kitty"}, headless=True) == "none"
    assert choose_protocol({"FLOWISE_TUI_IMAGES": "halfcell"}, headless=True) == "halfcell"


def test_the_box_keeps_the_aspect_and_never_grows_an_image() -> None:
    assert box(100, 40, 80, 16, (10, 20)) == (10, 2)  # its own size
    assert box(4000, 2000, 80, 16, (10, 20)) == (64, 16)  # as tall as allowed
    assert box(4000, 200, 80, 16, (10, 20)) == (80, 2)  # as wide as the log
    assert box(1, 1, 80, 16, (10, 20)) == (1, 1)


def run_on_a_pty(code: str) -> tuple[bytes, float, str]:
    """What `code` wrote to its terminal (a pty nobody answers), how long it took, stderr."""
    master, slave = pty.openpty()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    os.close(slave)
    written = b""
    while process.poll() is None or select.select([master], [], [], 0)[0]:
        if select.select([master], [], [], 0.05)[0]:
            try:
                written += os.read(master, 4096)
            except OSError:
                break
    elapsed = time.monotonic() - started
    os.close(master)
    assert process.stderr is not None
    return written, elapsed, process.stderr.read().decode()


def test_loading_the_library_asks_the_terminal_nothing() -> None:
    written, _, errors = run_on_a_pty(
        "from flowise_tui.app import graphics\n"
        "library = graphics.load_library(headless=False)\n"
        "assert library is not None and hasattr(library, 'HalfcellImage')\n"
        "import textual_image._terminal as t\n"
        "assert t.get_cell_size() == graphics.cell_pixels(False)\n"
    )
    assert errors == ""
    assert b"\x1b" not in written
    # the library on its own asks (Device Attributes, then a Kitty graphics query)
    asked, _, _ = run_on_a_pty("import textual_image.renderable")
    assert b"\x1b[c" in asked


def test_nothing_of_the_images_is_loaded_at_start_up() -> None:
    code = (
        "import sys, flowise_tui.cli, flowise_tui.app.app, flowise_tui.app.screens.chat\n"
        "print(sorted(m for m in ('PIL', 'textual_image', 'flowise_tui.app.graphics',"
        " 'flowise_tui.app.widgets.picture', 'flowise_tui.images') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
