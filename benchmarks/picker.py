"""Issue 9: filtering 10,000 chatflows in the picker, key → the list updated on screen.

The app lists `COUNT` generated chatflows (`benchmarks/chatflows.py`) from a loopback
server. The harness opens the picker's filter (ctrl+b twice: hide, then show and focus),
types each query one key at a time, and times each key until the filter shows it and the
rows the list shows are the ones expected. What is expected comes from Textual's own
`FuzzySearch` (ordered by score, ties in name order), not from the app, so the benchmark
also checks that the ranking is Textual's. Queries are cleared with ctrl+u between runs.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, replace

from textual.fuzzy import FuzzySearch

from .chatflows import generated_flows
from .server import loopback_server
from .subjects import Subject
from .tmux import Pane

COUNT = 10_000
QUERIES = ("support triage", "legal refund", "hr faq bot")
LIST_WIDTH = 30  # the sidebar's columns left of the list's scrollbar
ROW_START = re.compile(r"^  \S+ +(?=\S)")
SETTLE_SECONDS = 0.3
PLACEHOLDER = "Filter, or paste an id"


@dataclass
class KeyTime:
    query: str
    matches: int
    echo_ms: float
    list_ms: float
    list_changed: bool


def reference_ranking(names: list[str], query: str) -> list[str]:
    """The names matching `query`, best first, as Textual's fuzzy search scores them."""
    if not query.strip():
        return names
    search = FuzzySearch(cache_size=1)
    scored = [(search.match(query.strip(), name)[0], name) for name in names]
    ranked = [(score, name) for score, name in scored if score > 0]
    ranked.sort(key=lambda item: -item[0])
    return [name for _, name in ranked]


def sidebar_rows(screen: str) -> tuple[str | None, list[str]]:
    """The filter's text and the names in the list, as far as the screen shows them."""
    lines = [line[:LIST_WIDTH] for line in screen.splitlines()[:-1]]  # no footer
    top = next((i for i, line in enumerate(lines) if "▊▔" in line), None)
    if top is None or top + 1 >= len(lines):
        return None, []
    typed = lines[top + 1].split("▊", 1)[-1].rstrip("▎ ").removeprefix("  ")
    if typed == PLACEHOLDER:
        typed = ""
    rows: list[str] = []
    for line in lines[top + 2 :]:
        if ROW_START.match(line):
            rows.append(ROW_START.sub("", line).strip())
        elif rows and line.strip():
            rows[-1] += " " + line.strip()
        elif rows:
            break
    return typed, rows


def shows(query: str, expected: list[str]):
    """A check that the screen shows `query` typed and the list's rows as `expected`.

    A row may not show all of its name: the list's scrollbar hides the last columns."""

    def check(screen: str) -> bool:
        typed, rows = sidebar_rows(screen)
        if typed is None or typed.rstrip() != query.rstrip():
            return False
        if not expected:
            return not rows
        complete = rows[:-1] if len(rows) > 1 else rows
        return (
            bool(complete)
            and len(complete) <= len(expected)
            and all(map(shown_as, complete, expected))
        )

    return check


def shown_as(row: str, name: str) -> bool:
    """Could `row` be `name` with some letters hidden (cut with an ellipsis, or under the
    scrollbar)?"""
    letters = iter(name.replace(" ", ""))
    return all(letter in letters for letter in row.replace(" ", "").rstrip("…"))


def echoed(query: str):
    def check(screen: str) -> bool:
        typed, _ = sidebar_rows(screen)
        return typed is not None and typed.rstrip() == query.rstrip()

    return check


def picker_subject(subject: Subject) -> Subject:
    """The app started on no chatflow; ready once the picker lists them all."""
    return replace(subject, args=(), ready=f"{COUNT} chatflows")


def type_query(pane: Pane, query: str, names: list[str]) -> list[KeyTime]:
    """Type `query` a key at a time; a space that ends what is typed is sent but not timed,
    since the screen looks the same before and after it."""
    times: list[KeyTime] = []
    previous = names
    for end in range(1, len(query) + 1):
        typed = query[:end]
        expected = reference_ranking(names, typed)
        time.sleep(SETTLE_SECONDS)
        sent = pane.press("-l", typed[-1])
        if typed.endswith(" "):
            continue
        echo, _ = pane.wait_for(echoed(typed), timeout=60)
        seen, _ = pane.wait_for(shows(typed, expected), timeout=60)
        changed = expected[:20] != previous[:20]
        times.append(
            KeyTime(typed, len(expected), (echo - sent) * 1000, (seen - sent) * 1000, changed)
        )
        previous = expected
    return times


def filter_times(subject: Subject, runs: int) -> list[KeyTime]:
    """Per-key times over `runs` passes of every query in `QUERIES`."""
    flows = generated_flows(COUNT)
    names = sorted((flow["name"] for flow in flows), key=str.lower)
    app = picker_subject(subject)
    times: list[KeyTime] = []
    with (
        loopback_server("benchmarks.chatflows", str(COUNT), probe="/api/v1/ping") as url,
        Pane(app.command(url), env=app.env) as pane,
    ):
        pane.wait_for(app.ready, timeout=120)
        pane.wait_for(shows("", names), timeout=60)
        for key in ("C-b", "C-b"):
            pane.press(key)
            time.sleep(1)
        for _ in range(runs):
            for query in QUERIES:
                times += type_query(pane, query, names)
                time.sleep(SETTLE_SECONDS)
                pane.press("C-u")
                pane.wait_for(shows("", names), timeout=60)
    return times


def minimal_echo_times(subject: Subject, runs: int) -> list[float]:
    """The floor: key → echo in a minimal Textual app's `Input`, the same queries typed."""
    times: list[float] = []
    with Pane(subject.command(None), env=subject.env) as pane:
        _, screen = pane.wait_for(subject.ready, timeout=60)
        row = next(i for i, line in enumerate(screen.splitlines()) if subject.ready in line)

        def shows(typed: str):
            def check(screen: str) -> bool:
                line = screen.splitlines()[row]
                return line.split("▊", 1)[-1].strip(" ▎") == typed.strip()

            return check

        for _ in range(runs):
            for query in QUERIES:
                for end in range(1, len(query) + 1):
                    time.sleep(SETTLE_SECONDS)
                    sent = pane.press("-l", query[end - 1])
                    if query[end - 1] == " ":
                        continue
                    seen, _ = pane.wait_for(shows(query[:end]), timeout=30)
                    times.append((seen - sent) * 1000)
                pane.press("C-u")
                pane.wait_for(lambda screen: subject.ready in screen, timeout=30)
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def summary(times: list[KeyTime]) -> dict[str, float]:
    lists = [t.list_ms for t in times]
    echoes = [t.echo_ms for t in times]
    return {
        "keys": len(times),
        "list_median": statistics.median(lists),
        "list_p90": percentile(lists, 0.9),
        "list_max": max(lists),
        "echo_median": statistics.median(echoes),
    }
