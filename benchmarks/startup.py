"""Target 4: from starting the program to a prompt one can type into.

Two moments: the prompt is on screen (its placeholder shows; a key typed then is echoed in
it), and the app's ready text is on screen (flowise-tui: the chatflow's welcome, which
needs the server; the minimal app: its prompt again).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from .subjects import Subject
from .tmux import Pane


@dataclass
class Start:
    prompt: float
    ready: float


def echoed_in_prompt(placeholder: str, screen_before: str):
    """A check that the line that showed `placeholder` now shows a typed `z` instead."""
    row = next(i for i, line in enumerate(screen_before.splitlines()) if placeholder in line)

    def check(screen: str) -> bool:
        lines = screen.splitlines()
        return row < len(lines) and placeholder not in lines[row] and "z" in lines[row]

    return check


def startup_once(subject: Subject, url: str | None) -> Start:
    with Pane(subject.command(url), env=subject.env) as pane:
        prompt, screen = pane.wait_for(subject.prompt, timeout=60)
        ready, _ = pane.wait_for(subject.ready, timeout=60)
        pane.type("z")
        pane.wait_for(echoed_in_prompt(subject.prompt, screen), timeout=10)
        return Start(prompt - pane.started, ready - pane.started)


def startups(subjects: list[tuple[Subject, str | None]], runs: int) -> list[Start]:
    """Median seconds until the prompt, then the ready text, are on screen, for each
    (subject, url). The subjects take turns, run after run, so that a machine that speeds
    up or slows down meanwhile weighs on all of them alike."""
    starts: list[list[Start]] = [[] for _ in subjects]
    for _ in range(runs):
        for (subject, url), taken in zip(subjects, starts, strict=True):
            taken.append(startup_once(subject, url))
            time.sleep(0.2)
    return [
        Start(
            statistics.median(start.prompt for start in taken),
            statistics.median(start.ready for start in taken),
        )
        for taken in starts
    ]
