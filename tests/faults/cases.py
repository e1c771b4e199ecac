"""The fault corpus: every demo-server fault and what a client must make of it."""

from __future__ import annotations

from dataclasses import dataclass

from flowise_tui.demo.fault_bodies import HUGE_LINE, MANY_EVENTS
from flowise_tui.flowise import (
    Cause,
    FlowiseAuthError,
    FlowiseConnectionError,
    FlowiseError,
    FlowiseNotFoundError,
    FlowiseProtocolError,
    FlowiseRateLimitError,
    FlowiseServerError,
    FlowiseTimeoutError,
    Limits,
)

# Short enough for a fast suite; the real defaults are 30 s and 300 s.
FIRST_BYTE_TIMEOUT = 0.5
IDLE_TIMEOUT = 0.5
SHORT_LIMITS = Limits(first_byte_timeout=FIRST_BYTE_TIMEOUT, idle_timeout=IDLE_TIMEOUT)


@dataclass(frozen=True)
class Case:
    fault: str
    error: type[FlowiseError] | None = None  # None: the answer completes
    says: tuple[str, ...] = ()  # in the error message (or the flow's error event)
    answer: str = ""  # in the answer text
    partial: bool = False  # an answer was under way when it failed, and is kept
    flow_error: bool = False  # the stream itself carries an `error` event
    cause: Cause | None = None  # of the error, or of the flow's error event
    empty: bool = False  # the flow ended without a word of answer

    @property
    def id(self) -> str:
        return self.fault


CASES: tuple[Case, ...] = (
    Case(
        "drop-before-response",
        FlowiseConnectionError,
        ("closed the connection without",),
        cause=Cause.CLOSED,
    ),
    Case(
        "drop-mid-event",
        FlowiseConnectionError,
        ("dropped in the middle",),
        partial=True,
        cause=Cause.DROPPED,
    ),
    Case(
        "drop-between-events",
        FlowiseConnectionError,
        ("dropped in the middle",),
        partial=True,
        cause=Cause.DROPPED,
    ),
    Case(
        "never-start", FlowiseTimeoutError, ("sent no answer within 0.5 s",), cause=Cause.NO_ANSWER
    ),
    Case(
        "never-end",
        FlowiseTimeoutError,
        ("stalled: no event for 0.5 s", "heartbeats"),
        answer="this answer never ends",
        partial=True,
        cause=Cause.STALLED,
    ),
    Case(
        "heartbeats-only",
        FlowiseTimeoutError,
        ("sent no event within 0.5 s", "heartbeats"),
        cause=Cause.STALLED,
    ),
    Case(
        "garbage",
        FlowiseProtocolError,
        ("held no Flowise events", "Is this a Flowise server?"),
        cause=Cause.NOT_FLOWISE,
    ),
    Case("garbage-between-events", answer="an answer survives the noise"),
    Case("invalid-utf8", answer="bad \ufffd\ufffd bytes cut \ufffd overlong"),
    Case("truncated-json", answer="before the break after the break"),
    Case("wrong-shapes", answer="survived."),
    Case("huge-line", answer="x" * HUGE_LINE),
    Case("many-events", answer="a" * MANY_EVENTS),
    Case("events-after-end", answer="the real answer"),
    Case("no-text", empty=True),
    Case("injection", answer="[bold red]markup[/] [/] [@click=app.quit]click[/]"),
    Case("hostile-error", says=("[bold red]markup[/]",), flow_error=True, cause=Cause.FLOW_FAILED),
    Case(
        "echo-key",
        says=("Unauthorized",),
        answer="Your key is",
        flow_error=True,
        cause=Cause.FLOW_FAILED,
    ),
    Case("http-401", FlowiseAuthError, ("needs an API key", "HTTP 401"), cause=Cause.KEY_MISSING),
    Case(
        "http-403",
        FlowiseAuthError,
        ("HTTP 403", "Forbidden: this key may not predict"),
        cause=Cause.KEY_MISSING,
    ),
    Case(
        "http-404",
        FlowiseNotFoundError,
        ("HTTP 404", "not found in the database"),
        cause=Cause.NOT_FOUND,
    ),
    Case(
        "http-429",
        FlowiseRateLimitError,
        ("rate limiting", "Try again in 30 s"),
        cause=Cause.RATE_LIMITED,
    ),
    Case(
        "http-500-json",
        FlowiseServerError,
        ("HTTP 500", "database is locked"),
        cause=Cause.FLOW_FAILED,
    ),
    Case("http-500-html", FlowiseServerError, ("HTTP 500", "web page"), cause=Cause.SERVER_FAILED),
    Case(
        "http-502",
        FlowiseServerError,
        ("HTTP 502 Bad Gateway", "proxy or gateway"),
        cause=Cause.GATEWAY_FAILED,
    ),
)

FAILING = tuple(case for case in CASES if case.error is not None)

RUNAWAYS = ("endless", "endless-steady")
"""Faults with no end at all: the app's answer limit meets them (test_runaway.py)."""
