"""Target 5: with 100 earlier turns of ~500 tokens in the log, does the next answer stream
as fast as the first, and how much memory does the app hold?

"The first" is the first long answer of a fresh app, after one ~500-token warm-up turn:
a process's very first answer also pays for importing and compiling code (the Markdown
parser, the syntax highlighter), which has nothing to do with the length of the log."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from .server import SENTINEL, sentinel, sizes_near
from .subjects import Subject
from .tmux import Pane


@dataclass
class Conversation:
    first_seconds: float
    after_seconds: float
    rss_fresh_mb: float
    rss_after_mb: float
    earlier_turns: int

    @property
    def ratio(self) -> float:
        return self.after_seconds / self.first_seconds


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


EMPTY_PROMPT = "Ask something…"
WARM_UP = sizes_near(500, 1)[0]


def _answered(size: int):
    def check(screen: str) -> bool:
        return sentinel(size) in screen

    return check


def _done(screen: str) -> bool:
    return "✓ done" in screen[screen.rfind(SENTINEL) :]


def ask(pane: Pane, size: int) -> float:
    """Ask `/long size`; seconds from Enter until its answer's last token is on screen."""
    question = f"/long {size}"
    pane.type(question)
    pane.wait_for(question, timeout=10)
    while True:
        sent = pane.press("Enter")
        try:
            pane.wait_for(EMPTY_PROMPT, timeout=1)
            break
        except TimeoutError:
            continue  # the previous answer was still being saved: Enter was refused
    seen, _ = pane.wait_for(_answered(size), timeout=300)
    pane.wait_for(_done, timeout=60)
    return seen - sent


def long_conversation(
    subject: Subject, url: str, tokens: int, earlier: int = 100, runs: int = 3
) -> Conversation:
    firsts, afters = [], []
    rss_fresh = rss_after = 0.0
    for _ in range(runs):
        with Pane(subject.command(url), env=subject.env) as pane:
            pane.wait_for(subject.ready, timeout=60)
            ask(pane, WARM_UP)  # a process's first answer also loads code
            firsts.append(ask(pane, tokens))
            rss_fresh = rss_mb(pane.pid)
        with Pane(subject.command(url), env=subject.env) as pane:
            pane.wait_for(subject.ready, timeout=60)
            for size in sizes_near(500, earlier):
                ask(pane, size)
            afters.append(ask(pane, tokens))
            rss_after = rss_mb(pane.pid)
    return Conversation(
        statistics.median(firsts), statistics.median(afters), rss_fresh, rss_after, earlier
    )
