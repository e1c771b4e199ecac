"""The protocol client against a real Flowise: every kind of flow, errors, memory, feedback."""

from __future__ import annotations

import asyncio

import pytest

from flowise_tui.flowise import (
    Chatflow,
    FlowiseAuthError,
    FlowiseClient,
    FlowiseError,
    FlowiseNotFoundError,
    FlowiseServerError,
    FlowiseTimeoutError,
    PredictionRequest,
)
from flowise_tui.flowise.events import (
    AgentFlowExecutedDataEvent,
    AgentFlowStatusEvent,
    EndEvent,
    ErrorEvent,
    FlowiseEvent,
    MetadataEvent,
    NextAgentFlowEvent,
    SourceDocumentsEvent,
    TokenEvent,
    UsedToolsEvent,
)
from tests.live import settings
from tests.live.conftest import client


def role(name: str):
    return pytest.mark.parametrize("flow", [name], indirect=True)


async def answer(
    flow: Chatflow, request: PredictionRequest, api_key: str | None = settings.API_KEY
) -> list[FlowiseEvent]:
    async with client(api_key) as live:
        return [event async for event in live.stream_prediction(flow.id, request)]


def text(events: list[FlowiseEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TokenEvent))


def metadata(events: list[FlowiseEvent]) -> MetadataEvent:
    return next(e for e in events if isinstance(e, MetadataEvent))


async def test_server_answers_and_lists_chatflows() -> None:
    async with client() as live:
        assert await live.ping()
        assert await live.version()
        if settings.API_KEY:
            assert await live.list_chatflows()


async def test_a_wrong_key_is_refused_without_showing_it() -> None:
    wrong = "not-the-key-0123456789"
    async with client(wrong) as live:
        with pytest.raises(FlowiseAuthError) as raised:
            await live.list_chatflows()
    assert "refused the API key" in str(raised.value) and wrong not in str(raised.value)


@role("plain")
async def test_plain_chat_streams_an_answer(flow: Chatflow) -> None:
    request = PredictionRequest("What is a live test?")
    events = await answer(flow, request)
    assert isinstance(events[-1], EndEvent) and text(events).strip()
    meta = metadata(events).metadata
    assert meta.chat_id == request.chat_id and meta.chat_message_id


@role("plain")
async def test_plain_chat_whole_answer_at_once(flow: Chatflow) -> None:
    async with client() as live:
        events = await live.predict(flow.id, PredictionRequest("All at once, please."))
    assert text(events).strip() and isinstance(events[-1], EndEvent)


@role("plain")
async def test_second_turn_continues_the_session_and_history(flow: Chatflow) -> None:
    first = PredictionRequest("My name is Ada, remember it.")
    await answer(flow, first)
    second = PredictionRequest("What is my name?", chat_id=first.chat_id)
    events = await answer(flow, second)
    meta = metadata(events).metadata
    assert meta.chat_id == first.chat_id and meta.session_id == first.chat_id
    if not settings.API_KEY:
        pytest.skip("reading server-side history needs FLOWISE_API_KEY")
    async with client() as live:
        messages = await live.chat_messages(flow.id, chat_id=first.chat_id)
    assert [m.role for m in messages] == ["userMessage", "apiMessage"] * 2
    assert [m.content for m in messages if m.is_user] == [first.question, second.question]
    assert messages[-1].content.strip() == text(events).strip()


@role("rag")
async def test_retrieval_flow_returns_sources(flow: Chatflow) -> None:
    events = await answer(flow, PredictionRequest("When does the bakery open?"))
    documents = next(e for e in events if isinstance(e, SourceDocumentsEvent)).documents
    assert documents and all(d.page_content for d in documents)
    assert text(events).strip()


@role("tool")
async def test_tool_agent_reports_its_tools(flow: Chatflow) -> None:
    events = await answer(flow, PredictionRequest("What is 2 + 2? Use the calculator."))
    tools = [t for e in events if isinstance(e, UsedToolsEvent) for t in e.tools]
    assert tools and tools[0].tool and tools[0].tool_output is not None
    assert text(events).strip()


@role("agentflow")
async def test_agentflow_reports_its_steps(flow: Chatflow) -> None:
    events = await answer(flow, PredictionRequest("Hello agentflow"))
    statuses = [e.status for e in events if isinstance(e, AgentFlowStatusEvent)]
    assert statuses[0] == "INPROGRESS" and statuses[-1] == "FINISHED"
    nodes = [e.node for e in events if isinstance(e, NextAgentFlowEvent)]
    assert nodes and all(n.node_id for n in nodes)
    assert any(isinstance(e, AgentFlowExecutedDataEvent) and e.nodes for e in events)
    assert text(events).strip() and isinstance(events[-1], EndEvent)


@role("error")
async def test_failing_flow_is_an_error_event_then_an_http_error(flow: Chatflow) -> None:
    events = await answer(flow, PredictionRequest("Please fail."))
    errors = [e.message for e in events if isinstance(e, ErrorEvent)]
    assert errors and errors[0] and not errors[0].startswith("Error: ")
    async with client() as live:
        with pytest.raises(FlowiseServerError, match=r"The chatflow failed \(HTTP 500\): "):
            await live.predict(flow.id, PredictionRequest("Please fail."))


@role("protected")
async def test_protected_flow_needs_its_own_key(flow: Chatflow) -> None:
    events = await answer(flow, PredictionRequest("Let me in."), api_key=None)
    errors = [e.message for e in events if isinstance(e, ErrorEvent)]
    assert errors and "has its own API key" in errors[0]
    if not settings.FLOW_KEY:
        pytest.skip("the flow's own key is not given (FLOWISE_LIVE_FLOW_KEY)")
    events = await answer(flow, PredictionRequest("Let me in."), api_key=settings.FLOW_KEY)
    assert text(events).strip() and not any(isinstance(e, ErrorEvent) for e in events)
    assert settings.FLOW_KEY not in repr(events)


@role("nostream")
async def test_flow_that_cannot_stream_gives_the_same_events(flow: Chatflow) -> None:
    events = await answer(flow, PredictionRequest("No streaming here."))
    names = [e.event for e in events]
    assert names[0] == "start" and names[-2:] == ["metadata", "end"]
    assert text(events).strip()


async def test_unknown_chatflow_is_reported_at_once() -> None:
    unknown = "00000000-0000-4000-8000-00000000dead"
    async with client(first_byte_timeout=5) as live:
        with pytest.raises(FlowiseNotFoundError, match="was not found"):
            async for _ in live.stream_prediction(unknown, PredictionRequest("anyone?")):
                pass


@role("slow")
async def test_stop_mid_stream_then_abort_on_the_server(flow: Chatflow) -> None:
    request = PredictionRequest("Tell me a long story.")
    received: list[FlowiseEvent] = []
    async with client() as live:
        stream = live.stream_prediction(flow.id, request)
        async for event in stream:
            received.append(event)
            if sum(1 for e in received if isinstance(e, TokenEvent) and e.text) >= 3:
                break
        await stream.aclose()
        await live.abort(flow.id, request.chat_id)
    assert text(received) and not any(isinstance(e, EndEvent) for e in received)


@role("plain")
async def test_feedback_is_saved_updated_and_listed(flow: Chatflow) -> None:
    events = await answer(flow, PredictionRequest("Rate this answer."))
    meta = metadata(events).metadata
    assert meta.chat_id and meta.chat_message_id
    async with client() as live:
        saved = await live.send_feedback(
            flow.id,
            chat_id=meta.chat_id,
            message_id=meta.chat_message_id,
            rating="THUMBS_UP",
            content="live suite",
        )
        assert saved.id and saved.rating == "THUMBS_UP"
        updated = await live.update_feedback(saved.id, rating="THUMBS_DOWN")
        assert updated.id == saved.id and updated.rating == "THUMBS_DOWN"
        if settings.API_KEY:
            listed = await live.list_feedback(flow.id)
            assert any(f.id == saved.id and f.rating == "THUMBS_DOWN" for f in listed)


@pytest.mark.minutes
@role("slow_error")
async def test_heartbeats_alone_are_not_progress(flow: Chatflow) -> None:
    """Flowise retries the failing model for ~90 s and sends only heartbeats meanwhile."""
    async with client(idle_timeout=45) as live:
        with pytest.raises(FlowiseTimeoutError, match="heartbeats"):
            async for _ in live.stream_prediction(flow.id, PredictionRequest("wait")):
                pass


@pytest.mark.minutes
@role("slow_error")
async def test_slow_failure_arrives_through_the_heartbeats(flow: Chatflow) -> None:
    events = await asyncio.wait_for(answer(flow, PredictionRequest("wait for it")), 300)
    assert any(isinstance(e, ErrorEvent) and e.message for e in events)


def test_no_key_in_any_error() -> None:
    assert settings.API_KEY is None or settings.API_KEY not in repr(client())
    assert issubclass(FlowiseNotFoundError, FlowiseError) and FlowiseClient
