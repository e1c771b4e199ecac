"""The protocol client meets every fault over real loopback HTTP: typed errors, kept events."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest

from flowise_tui.demo import DemoServer
from flowise_tui.demo.faults import FAULTS
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.flowise import FlowiseClient, FlowiseError, FlowiseRateLimitError, Limits
from flowise_tui.flowise.events import EndEvent, ErrorEvent, FlowiseEvent, TokenEvent
from flowise_tui.flowise.models import PredictionRequest
from tests.faults.cases import CASES, IDLE_TIMEOUT, RUNAWAYS, SHORT_LIMITS, Case
from tests.faults.conftest import fault_url

QUESTION = "What is a fault?"


async def stream(url: str) -> tuple[list[FlowiseEvent], FlowiseError | None]:
    events: list[FlowiseEvent] = []
    client = FlowiseClient(url, limits=SHORT_LIMITS)
    async with client:
        try:
            async for event in client.stream_prediction(CHAT_FLOW_ID, PredictionRequest(QUESTION)):
                events.append(event)
        except FlowiseError as exc:
            return events, exc
    return events, None


def answer_of(events: list[FlowiseEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TokenEvent))


def test_every_fault_of_the_demo_server_is_in_the_corpus() -> None:
    assert sorted([*(case.fault for case in CASES), *RUNAWAYS]) == sorted(FAULTS)


def test_every_failure_of_the_corpus_names_its_cause() -> None:
    for case in CASES:
        assert (case.cause is None) == (case.error is None and not case.flow_error), case.fault


@pytest.mark.parametrize("case", CASES, ids=Case.id.fget)
async def test_client_outcome(case: Case, fault_server: DemoServer) -> None:
    events, error = await stream(fault_url(fault_server, case.fault))
    answer = answer_of(events)
    if case.error is None:
        assert error is None, f"{case.fault}: {error}"
        assert isinstance(events[-1], EndEvent)
    else:
        assert type(error) is case.error, f"{case.fault}: {error!r}"
        assert error.__cause__ is None
        assert error.__context__ is None or error.__suppress_context__
    errors = [e for e in events if isinstance(e, ErrorEvent)]
    message = errors[0].message if case.flow_error else str(error or "")
    cause = errors[0].cause if case.flow_error else getattr(error, "cause", None)
    assert cause is case.cause, f"{case.fault}: {cause}"
    assert "--" not in message and "FLOWISE_API_KEY" not in message, "no surface's advice"
    for fragment in case.says:
        assert fragment in message, f"{case.fault}: {fragment!r} not in {message!r}"
    assert case.answer in answer
    if case.partial:
        assert answer
    assert "\x1b" not in message


@pytest.mark.parametrize("fault", ["drop-mid-event", "drop-between-events"])
async def test_the_partial_answer_is_what_the_server_sent(
    fault: str, fault_server: DemoServer
) -> None:
    whole, error = await stream(fault_server.url)
    assert error is None
    cut, error = await stream(fault_url(fault_server, fault))
    assert error is not None
    assert answer_of(whole).startswith(answer_of(cut)) and answer_of(cut)


async def test_retry_after_is_kept_for_the_caller(fault_server: DemoServer) -> None:
    _, error = await stream(fault_url(fault_server, "http-429"))
    assert isinstance(error, FlowiseRateLimitError) and error.retry_after == 30


async def test_events_after_end_are_never_read(fault_server: DemoServer) -> None:
    events, error = await stream(fault_url(fault_server, "events-after-end"))
    assert error is None
    assert "LATE" not in answer_of(events)
    assert not [e for e in events if isinstance(e, ErrorEvent)]


async def test_a_fault_applied_once_leaves_the_next_question_alone(make_demo_server) -> None:
    url = fault_url(make_demo_server(), "drop-before-response", times=1)
    _, first = await stream(url)
    events, second = await stream(url)
    assert first is not None and second is None and answer_of(events)


@pytest.mark.parametrize("fault", ["http-401", "http-429", "http-500-json", "http-502"])
async def test_not_streaming_meets_the_same_errors(fault: str, fault_server: DemoServer) -> None:
    expected = next(case for case in CASES if case.fault == fault)
    async with FlowiseClient(fault_url(fault_server, fault)) as client:
        with pytest.raises(expected.error) as raised:
            await client.predict(CHAT_FLOW_ID, PredictionRequest(QUESTION))
    assert all(fragment in str(raised.value) for fragment in expected.says)


def test_retry_after_as_an_http_date() -> None:
    from email.utils import format_datetime

    from flowise_tui.flowise.client import _retry_after

    when = format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90), usegmt=True)
    response = httpx.Response(429, headers={"Retry-After": when})
    assert 85 <= (_retry_after(response) or 0) <= 90
    assert _retry_after(httpx.Response(429, headers={"Retry-After": "soon"})) is None


async def test_time_the_caller_spends_between_events_is_not_idle_time(
    fault_server: DemoServer,
) -> None:
    """A slow consumer (a busy UI) never makes a healthy stream time out."""
    client = FlowiseClient(fault_server.url, limits=Limits(idle_timeout=IDLE_TIMEOUT))
    events: list[FlowiseEvent] = []
    async with client:
        request = PredictionRequest("/long 40")
        async for event in client.stream_prediction(CHAT_FLOW_ID, request):
            events.append(event)
            if len(events) in (2, 3):
                await asyncio.sleep(IDLE_TIMEOUT * 1.6)
    assert isinstance(events[-1], EndEvent)
    assert sum(isinstance(e, TokenEvent) for e in events) == 40


async def test_cancelling_a_read_is_a_cancellation_not_a_timeout(
    fault_server: DemoServer,
) -> None:
    client = FlowiseClient(
        fault_url(fault_server, "heartbeats-only"), limits=Limits(idle_timeout=30)
    )

    async def read() -> None:
        async for _ in client.stream_prediction(CHAT_FLOW_ID, PredictionRequest(QUESTION)):
            pass

    async with client:
        task = asyncio.create_task(read())
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
