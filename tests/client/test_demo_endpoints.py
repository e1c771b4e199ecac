"""The client against the demo server over loopback: every endpoint, abort included."""

from __future__ import annotations

import pytest

from flowise_tui.conversation import Turn
from flowise_tui.demo.flows import (
    AGENTFLOW_ID,
    CHAT_FLOW_ID,
    FORM_FLOW_ID,
    HITL_FLOW_ID,
    MULTIAGENT_FLOW_ID,
    NOSTREAM_FLOW_ID,
    PROTECTED_FLOW_ID,
    PROTECTED_FLOW_KEY,
    RAG_FLOW_ID,
    SLOW_FLOW_ID,
    TOOL_FLOW_ID,
)
from flowise_tui.flowise import FlowiseClient, FlowiseNotFoundError, PredictionRequest
from flowise_tui.flowise.events import AbortEvent, ActionEvent, EndEvent, TokenEvent


async def answer(client: FlowiseClient, flow: str, request: PredictionRequest) -> Turn:
    turn = Turn(request.question)
    async for event in client.stream_prediction(flow, request):
        turn.apply(event)
    return turn


async def test_server_info_and_chatflows(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        assert await client.ping() == "pong"
        assert (await client.version()).startswith("3.")
        flows = await client.list_chatflows()
        assert {f.type for f in flows} == {"CHATFLOW", "AGENTFLOW", "MULTIAGENT"}
        agentflows = await client.list_chatflows(type="AGENTFLOW")
        assert {f.id for f in agentflows} == {AGENTFLOW_ID, HITL_FLOW_ID, FORM_FLOW_ID}
        assert (await client.get_chatflow(RAG_FLOW_ID)).name == "Bakery Docs (RAG)"
        assert (await client.find_chatflow("bakery docs (rag)")).id == RAG_FLOW_ID
        assert await client.is_streaming(CHAT_FLOW_ID) is True
        assert await client.is_streaming(NOSTREAM_FLOW_ID) is False
        with pytest.raises(FlowiseNotFoundError):
            await client.get_chatflow("00000000-0000-4000-8000-000000000000")


async def test_chatbot_config(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        config = await client.chatbot_config(RAG_FLOW_ID)
    assert len(config.starter_prompts) >= 2
    assert config.feedback_enabled


async def test_each_kind_of_flow_fills_its_part_of_the_answer(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        rag = await answer(client, RAG_FLOW_ID, PredictionRequest("When does it open on Sunday?"))
        tool = await answer(client, TOOL_FLOW_ID, PredictionRequest("What is 6*7?"))
        flow = await answer(client, AGENTFLOW_ID, PredictionRequest("Plan a picnic"))
        team = await answer(client, MULTIAGENT_FLOW_ID, PredictionRequest("Write a haiku"))
    assert "9 am" in rag.answer.text and rag.answer.sources
    assert tool.answer.tools[0].tool_output == "42" and not tool.answer.pending_tools
    assert [s.status for s in flow.answer.steps.values()] == ["FINISHED"] * len(flow.answer.steps)
    assert flow.answer.thoughts and flow.answer.thoughts[-1].duration
    assert flow.answer.usage
    assert team.answer.reasoning and team.answer.next_agents
    for turn in (rag, tool, flow, team):
        assert turn.answer.metadata and turn.answer.metadata.chat_message_id


async def test_memory_follows_the_chat_id(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        await answer(client, CHAT_FLOW_ID, PredictionRequest("apples", chat_id="mem-1"))
        again = await answer(client, CHAT_FLOW_ID, PredictionRequest("pears", chat_id="mem-1"))
        other = await answer(client, CHAT_FLOW_ID, PredictionRequest("pears", chat_id="mem-2"))
    assert '"apples"' in again.answer.text
    assert "apples" not in other.answer.text
    assert again.answer.metadata and again.answer.metadata.session_id == "mem-1"


async def test_human_in_the_loop_resumes(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        first = await answer(client, HITL_FLOW_ID, PredictionRequest("Ship it?", chat_id="h1"))
        action = first.answer.action
        assert action is not None and action.node_id
        assert [e["label"] for e in action.elements] == ["Proceed", "Reject"]
        human_input = {"type": "proceed", "startNodeId": action.node_id, "feedback": ""}
        resumed = await answer(
            client,
            HITL_FLOW_ID,
            PredictionRequest("Proceed", chat_id="h1", human_input=human_input),
        )
    assert resumed.answer.action is None and resumed.answer.text


async def test_non_streaming_prediction(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        events = await client.predict(RAG_FLOW_ID, PredictionRequest("opening hours"))
    turn = Turn("q")
    for event in events:
        turn.apply(event)
    assert turn.answer.text and turn.answer.sources and turn.answer.metadata


async def test_protected_flow(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        refused = await answer(client, PROTECTED_FLOW_ID, PredictionRequest("hi"))
    assert refused.answer.error and "own API key" in refused.answer.error
    async with FlowiseClient(demo_url, PROTECTED_FLOW_KEY) as client:
        allowed = await answer(client, PROTECTED_FLOW_ID, PredictionRequest("hi"))
    assert allowed.answer.error is None and allowed.answer.text


async def test_abort_mid_stream_stops_the_server(make_demo_server) -> None:
    server = make_demo_server(token_delay=0.05)
    request = PredictionRequest("a story", chat_id="abort-1")
    events = []
    async with FlowiseClient(server.url) as client:
        async for event in client.stream_prediction(SLOW_FLOW_ID, request):
            events.append(event)
            if sum(isinstance(e, TokenEvent) for e in events) == 3:
                await client.abort(SLOW_FLOW_ID, "abort-1")
        history = await client.chat_messages(SLOW_FLOW_ID, chat_id="abort-1")
    tokens = sum(isinstance(e, TokenEvent) for e in events)
    assert 3 <= tokens <= 5
    assert isinstance(events[-2], AbortEvent) and isinstance(events[-1], EndEvent)
    assert [m.role for m in history] == ["userMessage", "apiMessage"]


async def test_history_and_feedback(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        turn = await answer(client, CHAT_FLOW_ID, PredictionRequest("rate me", chat_id="fb-1"))
        metadata = turn.answer.metadata
        assert metadata is not None and metadata.chat_message_id
        messages = await client.chat_messages(CHAT_FLOW_ID, chat_id="fb-1")
        assert [m.content for m in messages] == ["rate me", turn.answer.text]
        newest_first = await client.chat_messages(CHAT_FLOW_ID, chat_id="fb-1", order="DESC")
        assert [m.role for m in newest_first] == ["apiMessage", "userMessage"]
        feedback = await client.send_feedback(
            CHAT_FLOW_ID, chat_id="fb-1", message_id=metadata.chat_message_id, rating="up"
        )
        changed = await client.update_feedback(feedback.id, rating="down", content="too long")
        assert (changed.rating, changed.content) == ("THUMBS_DOWN", "too long")
        rows = await client.list_feedback(CHAT_FLOW_ID)
        assert any(r.id == feedback.id and r.rating == "THUMBS_DOWN" for r in rows)
        with pytest.raises(FlowiseNotFoundError):
            await client.send_feedback(CHAT_FLOW_ID, chat_id="x", message_id="nope", rating="up")


async def test_action_event_is_typed(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        events = [e async for e in client.stream_prediction(HITL_FLOW_ID, PredictionRequest("ok?"))]
    assert any(isinstance(e, ActionEvent) for e in events)
