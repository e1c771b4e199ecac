"""The programs the benchmarks run in tmux: flowise-tui and its baselines."""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flowise_tui.demo.flows import CHAT_FLOW_ID

from . import baseline_app, minimal_app, printer

CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Subject:
    name: str
    module: str
    ready: str
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    url_option: str | None = None

    def command(self, url: str | None) -> list[str]:
        where = [] if url is None else [self.url_option, url] if self.url_option else [url]
        return [sys.executable, "-m", self.module, *where, *self.args]


def flowise_tui(settings_dir: str | None = None) -> Subject:
    """The real app, its settings and history in a scratch directory."""
    home = settings_dir or tempfile.mkdtemp(prefix="flowise-bench-")
    return Subject(
        "flowise-tui",
        "flowise_tui",
        "Hi! I am the flowise-tui demo chat",
        args=("--chatflow", CHAT_FLOW_ID),
        env={
            "FLOWISE_TUI_CONFIG": f"{home}/config.toml",
            "FLOWISE_TUI_DATA_DIR": home,
            # This checkout's app, whatever the tmux server's environment holds.
            "PYTHONPATH": str(CHECKOUT),
        },
        url_option="--url",
    )


BASELINE = Subject(
    "Markdown.get_stream app", "benchmarks.subjects.baseline_app", baseline_app.READY
)
PRINTER = Subject("print to terminal", "benchmarks.subjects.printer", printer.READY)
MINIMAL = Subject("minimal Textual app", "benchmarks.subjects.minimal_app", minimal_app.READY)
