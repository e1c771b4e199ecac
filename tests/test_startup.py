"""What the command line does for a quick start: httpx's own command line stays unloaded
(until something calls it), and the app turns garbage collection back on once it is up."""

from __future__ import annotations

import gc
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
