"""The client against byte-exact recordings of a real Flowise 3.1.4, split at random offsets."""

from __future__ import annotations

import json

import pytest

from flowise_tui.flowise import FlowiseClient, FlowiseConnectionError, PredictionRequest
from flowise_tui.flowise.events import (
    AgentFlowExecutedDataEvent,
    EndEvent,
    ErrorEvent,
    MetadataEvent,
    SourceDocumentsEvent,
    StartEvent,
    TokenEvent,
    UsedToolsEvent,
)
from tests.replay import WIRE, ReplayServer, load, recorded_events

STREAMS = sorted(p.stem for p in WIRE.glob("*.sse"))
SEEDS = [1, 2, 3]


async def collect(server: ReplayServer, question: str = "q") -> list:
    recording = server.recording
    flow_id = recording.path.rsplit("/", 1)[1]
    events = []
    async with FlowiseClient(server.url) as client:
        async for event in client.stream_prediction(flow_id, PredictionRequest(question)):
            events.append(event)
    return events


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", [n for n in STREAMS if n != "client_disconnect_slow_stream"])
async def test_stream_yields_exactly_the_recorded_events(name: str, seed: int) -> None:
    recording = load(name)
    async with ReplayServer(recording, seed=seed) as server:
        events = await collect(server)
    assert [(e.event, e.payload) for e in events] == recorded_events(recording.body)
    assert isinstance(events[-1], EndEvent)


@pytest.mark.parametrize("seed", SEEDS)
async def test_stream_cut_before_end_keeps_events_then_says_so(seed: int) -> None:
    recording = load("client_disconnect_slow_stream")
    received = []
    async with ReplayServer(recording, seed=seed) as server:
        with pytest.raises(FlowiseConnectionError, match="before the answer was complete"):
            async with FlowiseClient(server.url) as client:
                flow_id = recording.path.rsplit("/", 1)[1]
                async for event in client.stream_prediction(flow_id, PredictionRequest("q")):
                    received.append((event.event, event.payload))
    assert received == recorded_events(recording.body)


async def test_utf8_split_inside_a_character_decodes_whole() -> None:
    recording = load("plain_stream")
    async with ReplayServer(recording, seed=7, max_piece=1) as server:
        events = await collect(server)
    answer = "".join(e.text for e in events if isinstance(e, TokenEvent))
    assert "unicode é ✓" in answer
    assert "\ufffd" not in answer


async def test_answer_text_from_tokens_ignores_start_repetition() -> None:
    async with ReplayServer(load("rag_stream"), seed=4) as server:
        events = await collect(server)
    start = next(e for e in events if isinstance(e, StartEvent))
    answer = "".join(e.text for e in events if isinstance(e, TokenEvent))
    assert start.text == "Fake "
    assert answer.startswith("Fake LLM answer to: ")
    docs = next(e for e in events if isinstance(e, SourceDocumentsEvent)).documents
    assert [d.title for d in docs] == ["lab-bakery.txt", "lab-bakery.txt"]
    assert docs[0].location == "lines 1-3"
    assert "opens at 7 am" in docs[0].page_content


async def test_tools_agentflow_and_metadata_are_typed() -> None:
    async with ReplayServer(load("tool_agent_stream")) as server:
        events = await collect(server)
    tools = next(e for e in events if isinstance(e, UsedToolsEvent)).tools
    assert (tools[0].tool, tools[0].tool_input, tools[0].tool_output) == (
        "calculator",
        {"input": "2+2"},
        "4",
    )
    metadata = next(e for e in events if isinstance(e, MetadataEvent)).metadata
    assert metadata.chat_message_id and metadata.memory_type == "Buffer Memory"

    async with ReplayServer(load("agentflow_llm_stream")) as server:
        events = await collect(server)
    executed = [e for e in events if isinstance(e, AgentFlowExecutedDataEvent)]
    assert [n.node_label for n in executed[-1].nodes] == ["Start", "Lab LLM"]
    assert all(n.status == "FINISHED" for n in executed[-1].nodes)


async def test_flow_error_arrives_as_an_event_with_a_readable_message() -> None:
    async with ReplayServer(load("protected_no_key_stream")) as server:
        events = await collect(server)
    error = next(e for e in events if isinstance(e, ErrorEvent))
    assert error.message.startswith("Unauthorized: this chatflow has its own API key")
    async with ReplayServer(load("error_llm400_stream")) as server:
        events = await collect(server)
    error = next(e for e in events if isinstance(e, ErrorEvent))
    assert error.message == "400 fake LLM forced bad request (error400 mode)"


async def test_stream_request_carries_own_chat_id_and_session() -> None:
    async with ReplayServer(load("plain_stream")) as server:
        async with FlowiseClient(server.url) as client:
            request = PredictionRequest("hello", chat_id="chat-1")
            flow_id = server.recording.path.rsplit("/", 1)[1]
            _ = [e async for e in client.stream_prediction(flow_id, request)]
        method, target, body = server.requests[-1]
    assert (method, target) == ("POST", f"/api/v1/prediction/{flow_id}")
    sent = json.loads(body)
    assert sent["streaming"] is True
    assert sent["chatId"] == "chat-1"
    assert sent["overrideConfig"] == {"sessionId": "chat-1"}
