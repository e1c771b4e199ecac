"""The programs the benchmarks run in tmux: flowise-tui and its baselines.

`python -m benchmarks.subjects.minimal_app` imports this package first, so it imports
nothing but the standard library: the minimal app's start must not pay for the demo
server, the client or the Markdown widget that the other subjects use, nor for modules
Textual itself does not load.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@dataclass(frozen=True)
class Subject:
    name: str
    module: str
    ready: str
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    url_option: str | None = None
    prompt_text: str | None = None
    """The placeholder of the prompt one types into, if not the ready text."""

    @property
    def prompt(self) -> str:
        return self.prompt_text or self.ready

    def command(self, url: str | None) -> list[str]:
        where = [] if url is None else [self.url_option, url] if self.url_option else [url]
        return [sys.executable, "-m", self.module, *where, *self.args]


def flowise_tui(settings_dir: str | None = None) -> Subject:
    """The real app, its settings and history in a scratch directory."""
    import tempfile

    from flowise_tui.demo.flows import CHAT_FLOW_ID

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
            "PYTHONPATH": CHECKOUT,
        },
        url_option="--url",
        prompt_text="Ask something…",
    )


BASELINE = Subject(
    "Markdown.get_stream app", "benchmarks.subjects.baseline_app", "Ask the baseline"
)
PRINTER = Subject("print to terminal", "benchmarks.subjects.printer", "question>")
MINIMAL = Subject("minimal Textual app", "benchmarks.subjects.minimal_app", "Minimal prompt")
LAYOUT = Subject("stock widgets, same layout", "benchmarks.subjects.layout_app", "Ask something…")
