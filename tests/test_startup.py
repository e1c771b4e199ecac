"""What the command line does for a quick start: httpx's own command line stays unloaded
(until something calls it), and the app turns garbage collection back on once it is up."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from tests.app.conftest import SIZE, build_app, ready

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_the_command_line_loads_httpx_without_its_command_line() -> None:
    done = run_python(
        "import sys, flowise_tui.cli, httpx\n"
        "print(sorted(m for m in ('click', 'pygments', 'rich.progress') if m in sys.modules))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_httpx_command_line_still_runs_when_called() -> None:
    done = run_python("import flowise_tui.cli, httpx\nhttpx.main(['--help'])")
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout and "--method" in done.stdout


async def test_the_app_collects_garbage_again_once_up(demo_url: str, tmp_path: Path) -> None:
    gc.disable()  # as the command line leaves it for the first screen
    try:
        async with build_app(tmp_path, url=demo_url).run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert gc.isenabled()
    finally:
        gc.enable()


FIRST_SCREEN_PROBE = """
import sys
from pathlib import Path
import flowise_tui.app.app as app_module
from flowise_tui.app.app import CHAT_MODULES, FlowiseApp
from flowise_tui.config import Config, Connection

LATER = (
    *CHAT_MODULES,
    "httpx",
    "markdown_it",
    "textual.widgets.markdown",
    "flowise_tui.conversation",
    "flowise_tui.flowise.events",
    "flowise_tui.flowise.models",
    "flowise_tui.app.commands",  # the palette's, when it first opens
    "flowise_tui.app.widgets.choices",  # starter prompts, when a chatflow has some
    "flowise_tui.sources",
    "tomllib",  # there is no config file to read
)


class FirstScreen(FlowiseApp):
    CSS_PATH = str(Path(app_module.__file__).with_name(FlowiseApp.CSS_PATH))

    def _start_unless_closing(self):
        print("drawn", self.chat.query_one("#prompt").display)
        print("loaded", sorted(m for m in LATER if m in sys.modules))
        self.exit()


home = Path(sys.argv[1])
connection = Connection("http://127.0.0.1:9", None, "default", False, "some-flow")
FirstScreen(Config(path=home / "config.toml"), connection).run(headless=True, size=(100, 30))
"""


def test_the_first_screen_is_drawn_before_the_client_and_markdown_load(tmp_path: Path) -> None:
    """The prompt is on screen before httpx, the client, the Markdown stack, the conversation
    model (some 60 dataclasses with the protocol's events and models) and local history
    load: they load in a thread while it already takes keys (`FlowiseApp._load_then_start`)."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN_PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "FLOWISE_TUI_DATA_DIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "drawn True" in done.stdout
    assert "loaded []" in done.stdout, done.stdout
