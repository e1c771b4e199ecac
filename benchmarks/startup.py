"""Target 4: from starting the program to a prompt one can type into."""

from __future__ import annotations

import statistics
import time

from .subjects import Subject
from .tmux import Pane


def startup_once(subject: Subject, url: str | None) -> float:
    with Pane(subject.command(url), env=subject.env) as pane:
        seen, _ = pane.wait_for(subject.ready, timeout=60)
        pane.type("z")
        pane.wait_for(lambda screen: "z" in screen.replace(subject.ready, ""), timeout=10)
        return seen - pane.started


def startup(subject: Subject, url: str | None, runs: int) -> float:
    """Median seconds until the ready text is on screen (a typed key is then echoed)."""
    times = []
    for _ in range(runs):
        times.append(startup_once(subject, url))
        time.sleep(0.2)
    return statistics.median(times)
