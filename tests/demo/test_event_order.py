"""Each flow kind sends its events in the order of the README's table (and Flowise's source)."""

from __future__ import annotations

import httpx

from flowise_tui.demo.flows import (
    AGENTFLOW_ID,
    CHAT_FLOW_ID,
    ERROR_FLOW_ID,
    HITL_FLOW_ID,
    MULTIAGENT_FLOW_ID,
    RAG_FLOW_ID,
    TOOL_FLOW_ID,
)

from .sse import collapse, stream


async def test_conversation_chain_order(client: httpx.AsyncClient) -> None:
    result = await stream(client, CHAT_FLOW_ID, {"question": "Order?"})
    assert collapse(result.names) == ["start", "token", "metadata", "end"]
    assert result.first("start") == ""


async def test_rag_order_and_start_carries_the_first_token(client: httpx.AsyncClient) -> None:
    result = await stream(client, RAG_FLOW_ID, {"question": "When does the bakery open?"})
    assert collapse(result.names) == ["start", "token", "sourceDocuments", "metadata", "end"]
    assert result.first("start") == result.of("token")[0]


async def test_tool_agent_order(client: httpx.AsyncClient) -> None:
    result = await stream(client, TOOL_FLOW_ID, {"question": "What is 2+2?"})
    assert collapse(result.names) == [
        "start",
        "calledTools",
        "token",
        "usedTools",
        "metadata",
        "end",
    ]


async def test_tool_agent_without_tools_sends_no_tool_events(client: httpx.AsyncClient) -> None:
    result = await stream(client, TOOL_FLOW_ID, {"question": "Hello there"})
    assert collapse(result.names) == ["start", "token", "metadata", "end"]


async def test_agentflow_order(client: httpx.AsyncClient) -> None:
    result = await stream(client, AGENTFLOW_ID, {"question": "Research the history of sourdough"})
    names = [
        name
        for name, event in zip(result.names, result.events, strict=True)
        if not (name == "token" and event["data"] == "")
    ]
    assert _collapse_thinking(names) == [
        "agentFlowEvent",
        "nextAgentFlow",
        "nextAgentFlow",
        "agentFlowExecutedData",
        "nextAgentFlow",
        "nextAgentFlow",
        "agentFlowExecutedData",
        "nextAgentFlow",
        "thinking",
        "token",
        "calledTools",
        "usageMetadata",
        "nextAgentFlow",
        "agentFlowExecutedData",
        "agentFlowEvent",
        "metadata",
        "end",
    ]
    assert result.of("agentFlowEvent") == ["INPROGRESS", "FINISHED"]
    assert "start" not in result.names


def _collapse_thinking(names: list[str]) -> list[str]:
    collapsed: list[str] = []
    for name in names:
        if name in ("thinking", "token") and collapsed and collapsed[-1] == name:
            continue
        collapsed.append(name)
    return collapsed


async def test_agentflow_empty_tokens_like_the_recording(client: httpx.AsyncClient) -> None:
    result = await stream(client, AGENTFLOW_ID, {"question": "Compare SSE and WebSockets"})
    tokens = result.of("token")
    assert tokens[0] == ""
    assert tokens[-2:] == ["", ""]
    first_text = next(
        i for i, event in enumerate(result.events) if event["event"] == "token" and event["data"]
    )
    assert result.events[first_text - 1] == {"event": "thinking", "data": "", "duration": 1}


async def test_multi_agent_order(client: httpx.AsyncClient) -> None:
    result = await stream(client, MULTIAGENT_FLOW_ID, {"question": "Write a blurb for a tart"})
    assert collapse(result.names) == [
        "start",
        "agentReasoning",
        "nextAgent",
        "agentReasoning",
        "agentReasoning",
        "nextAgent",
        "agentReasoning",
        "agentReasoning",
        "token",
        "usedTools",
        "sourceDocuments",
        "artifacts",
        "metadata",
        "end",
    ]


async def test_human_input_first_turn_order(client: httpx.AsyncClient) -> None:
    result = await stream(client, HITL_FLOW_ID, {"question": "Order 40 croissants"})
    tail = collapse(result.names)[-9:]
    assert tail == [
        "nextAgentFlow",
        "token",
        "nextAgentFlow",
        "agentFlowExecutedData",
        "agentFlowEvent",
        "action",
        "agentFlowEvent",
        "metadata",
        "end",
    ]
    assert result.of("agentFlowEvent") == ["INPROGRESS", "STOPPED", "STOPPED"]


async def test_failure_order(client: httpx.AsyncClient) -> None:
    result = await stream(client, ERROR_FLOW_ID, {"question": "Fail"})
    assert result.status == 200
    assert result.names == ["error", "end"]
