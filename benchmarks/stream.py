"""Targets 1 and 2: time from Enter until the last token of an N-token answer is on screen."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .server import SENTINEL
from .subjects import Subject
from .tmux import Pane


@dataclass
class Timing:
    subject: str
    tokens: int
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def answer_once(subject: Subject, url: str, tokens: int, size: tuple[int, int]) -> float:
    """Start the subject, ask `/long N`, and time Enter → SENTINEL on screen."""
    with Pane(subject.command(url), size=size, env=subject.env) as pane:
        pane.wait_for(subject.ready, timeout=30)
        pane.type(f"/long {tokens}")
        pane.wait_for(f"/long {tokens}", timeout=10)
        sent = pane.press("Enter")
        seen, _ = pane.wait_for(SENTINEL, timeout=300)
        return seen - sent


def time_answers(
    subject: Subject, url: str, tokens: int, runs: int, size: tuple[int, int] = (160, 50)
) -> Timing:
    return Timing(
        subject.name, tokens, [answer_once(subject, url, tokens, size) for _ in range(runs)]
    )
