"""Target 3: how long after arriving a token is on screen, and whether typing stays quick
while a long answer streams at full speed.

Token latency: the benchmark server paces `/ticks N` (N numbered words, `t0001 t0002 …`)
and logs when it sends each one (CLOCK_MONOTONIC, shared by the processes); the harness
polls the pane and notes when each number first shows. Loopback adds well under a
millisecond, polling up to one poll (~3-8 ms), so the figure is a slight overestimate.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from .server import SENTINEL
from .subjects import Subject
from .tmux import Pane

TICK = re.compile(r"\bt(\d{4})\b")


@dataclass
class Latency:
    subject: str
    median_ms: float
    p90_ms: float
    tokens: int


def token_latency(subject: Subject, url: str, sent_log: Path, count: int = 300) -> Latency:
    with Pane(subject.command(url), env=subject.env) as pane:
        pane.wait_for(subject.ready, timeout=60)
        pane.type(f"/ticks {count}")
        pane.wait_for(f"/ticks {count}", timeout=10)
        sent_log.write_text("")
        pane.press("Enter")
        first_seen: dict[int, float] = {}
        highest = 0
        deadline = time.perf_counter() + count * 0.1 + 30
        while highest < count and time.perf_counter() < deadline:
            screen = pane.screen()
            now = time.perf_counter()
            numbers = [int(n) for n in TICK.findall(screen)]
            if numbers and max(numbers) > highest:
                for number in range(highest + 1, max(numbers) + 1):
                    first_seen[number] = now
                highest = max(numbers)
            time.sleep(0.002)
    sent = {}
    for line in sent_log.read_text().splitlines():
        number, when = line.split()
        sent[int(number)] = float(when)
    delays = sorted((first_seen[n] - sent[n]) * 1000 for n in first_seen if n in sent)
    return Latency(
        subject.name,
        statistics.median(delays),
        delays[int(len(delays) * 0.9)],
        len(delays),
    )


MAX_KEYS = 140
"""Keys typed into one stream at most: more would no longer fit on the prompt's line, and
the harness finds a key's echo by the whole typed text (the minimal app's stream takes most
of a minute, longer on a slow day)."""


def typing_during_stream(subject: Subject, url: str, tokens: int = 20000) -> list[float]:
    """Echo times (ms) of keys typed while a `tokens`-long answer streams at full speed."""
    echoes: list[float] = []
    with Pane(subject.command(url), env=subject.env) as pane:
        pane.wait_for(subject.ready, timeout=60)
        pane.type(f"/long {tokens}")
        pane.wait_for(f"/long {tokens}", timeout=10)
        pane.press("Enter")
        pane.wait_for("Section ", timeout=30)
        typed = ""
        while True:
            typed += "x"
            sent = pane.press("x")
            seen, screen = pane.wait_for(lambda screen, typed=typed: typed in screen, timeout=30)
            echoes.append((seen - sent) * 1000)
            if SENTINEL in screen or len(typed) >= MAX_KEYS:
                break
            time.sleep(0.05)
    return echoes
