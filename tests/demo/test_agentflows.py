"""Research Agentflow, Multi-Agent Team and the human-in-the-loop Approval Agentflow."""

from __future__ import annotations

import json
import uuid

import httpx

from flowise_tui.demo.flows import AGENTFLOW_ID, HITL_FLOW_ID, MULTIAGENT_FLOW_ID

from .sse import predict, stream


async def test_research_thinking_events(client: httpx.AsyncClient) -> None:
    result = await stream(client, AGENTFLOW_ID, {"question": "Research the history of sourdough"})
    thinking = [event for event in result.events if event["event"] == "thinking"]
    assert all(list(event) == ["event", "data"] for event in thinking[:-1])
    assert thinking[-1] == {"event": "thinking", "data": "", "duration": 1}
    reasoning = "".join(event["data"] for event in thinking)
    assert reasoning.startswith("The user wants a research brief on the history of sourdough.")
    assert result.answer.startswith("## Research brief: Research the history of sourdough")


async def test_research_executed_data_is_cumulative(client: httpx.AsyncClient) -> None:
    result = await stream(client, AGENTFLOW_ID, {"question": "Research bread"})
    snapshots = result.of("agentFlowExecutedData")
    assert [[item["nodeLabel"] for item in snap] for snap in snapshots] == [
        ["Start"],
        ["Start", "Planner"],
        ["Start", "Planner", "Writer"],
    ]
    start, _, writer = snapshots[-1]
    assert start["data"] == {
        "id": "startAgentflow_0",
        "name": "startAgentflow",
        "input": {"question": "Research bread"},
        "output": {"question": "Research bread"},
        "state": {},
    }
    assert writer["previousNodeIds"] == ["llmAgentflow_0"]
    assert writer["data"]["output"]["content"] == result.answer
    assert result.of("nextAgentFlow")[-1] == {
        "nodeId": "llmAgentflow_1",
        "nodeLabel": "Writer",
        "status": "FINISHED",
    }


async def test_research_usage_and_metadata(client: httpx.AsyncClient) -> None:
    result = await stream(client, AGENTFLOW_ID, {"question": "Research bread"})
    assert result.first("calledTools") == []
    usage = result.first("usageMetadata")
    assert list(usage) == [
        "input_tokens",
        "output_tokens",
        "total_tokens",
        "input_token_details",
        "output_token_details",
    ]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert list(result.metadata) == ["chatId", "chatMessageId", "question", "sessionId"]


async def test_research_memory_and_stored_reasoning(client: httpx.AsyncClient) -> None:
    session = f"research-{uuid.uuid4()}"
    ids = {"chatId": session, "overrideConfig": {"sessionId": session}}
    await stream(client, AGENTFLOW_ID, {"question": "Research rye", **ids})
    second = await stream(client, AGENTFLOW_ID, {"question": "Research spelt", **ids})
    assert "This continues your earlier question: “Research rye”" in second.answer
    planner_input = second.of("agentFlowExecutedData")[-1][1]["data"]["input"]["messages"]
    assert [m["role"] for m in planner_input] == ["system", "user", "assistant", "user"]
    rows = (await client.get(f"/api/v1/chatmessage/{AGENTFLOW_ID}?chatId={session}")).json()
    assert [row["role"] for row in rows] == ["userMessage", "apiMessage"] * 2
    assert rows[-1]["reasonContent"]["thinkingDuration"] == 1
    assert rows[-1]["memoryType"] is None and rows[-1]["executionId"]


async def test_agentflow_non_streaming_shape(client: httpx.AsyncClient) -> None:
    body = (await predict(client, AGENTFLOW_ID, {"question": "Research oats"})).json()
    assert list(body) == [
        "text",
        "question",
        "chatId",
        "chatMessageId",
        "executionId",
        "agentFlowExecutedData",
        "sessionId",
    ]
    assert len(body["agentFlowExecutedData"]) == 3


async def test_team_reasoning_and_next_agent_shapes(client: httpx.AsyncClient) -> None:
    result = await stream(client, MULTIAGENT_FLOW_ID, {"question": "Write a blurb for a tart"})
    assert result.of("nextAgent") == ["Researcher", "Writer"]
    final = result.of("agentReasoning")[-1]
    assert [step["agentName"] for step in final] == [
        "Team Lead",
        "Researcher",
        "Team Lead",
        "Writer",
        "Team Lead",
    ]
    lead, researcher = final[0], final[1]
    assert list(lead) == [
        "agentName",
        "messages",
        "next",
        "instructions",
        "usedTools",
        "sourceDocuments",
        "artifacts",
        "state",
        "nodeId",
    ]
    assert lead["next"] == "researcher" and lead["state"]["next"] == "researcher"
    assert "next" not in researcher and researcher["nodeId"] == "worker_0"
    assert final[-1]["next"] == "FINISH"
    assert result.first("start") == result.of("agentReasoning")[0]
    assert final[3]["messages"] == [result.answer]


async def test_team_non_streaming_and_history(client: httpx.AsyncClient) -> None:
    body = (
        await predict(client, MULTIAGENT_FLOW_ID, {"question": "Plan", "chatId": "team-1"})
    ).json()
    assert list(body)[:2] == ["text", "agentReasoning"]
    rows = (await client.get(f"/api/v1/chatmessage/{MULTIAGENT_FLOW_ID}?chatId=team-1")).json()
    assert rows[1]["agentReasoning"] == body["agentReasoning"]


async def test_human_input_action_shape(client: httpx.AsyncClient) -> None:
    result = await stream(client, HITL_FLOW_ID, {"question": "Order 40 croissants for Friday"})
    action = result.first("action")
    uuid.UUID(action["id"])
    assert action["mapping"] == {"approve": "Proceed", "reject": "Reject"}
    assert action["elements"] == [
        {"type": "agentflowv2-approve-button", "label": "Proceed"},
        {"type": "agentflowv2-reject-button", "label": "Reject"},
    ]
    assert action["data"]["nodeId"] == "humanInputAgentflow_0"
    assert action["data"]["nodeLabel"] == "Approval"
    assert action["data"]["input"]["humanInputEnableFeedback"] is False
    assert result.answer.endswith("\n\nDo you want me to go ahead with this plan?")
    assert result.of("nextAgentFlow")[-1]["status"] == "STOPPED"
    assert result.of("agentFlowExecutedData")[-1][-1]["status"] == "STOPPED"


async def test_a_plan_that_undoes_something_asks_for_a_comment(client: httpx.AsyncClient) -> None:
    asked = {}
    for question in ("Delete the old staging database", "Cancel Friday's order", "Order bread"):
        result = await stream(client, HITL_FLOW_ID, {"question": question})
        asked[question] = result.first("action")["data"]["input"]["humanInputEnableFeedback"]
    assert asked == {
        "Delete the old staging database": True,
        "Cancel Friday's order": True,
        "Order bread": False,
    }


async def _ask(client: httpx.AsyncClient, session: str) -> dict[str, object]:
    ids = {"chatId": session, "overrideConfig": {"sessionId": session}}
    first = await stream(
        client, HITL_FLOW_ID, {"question": "Order 40 croissants for Friday", **ids}
    )
    return first.first("action")


async def test_human_input_proceed_resumes(client: httpx.AsyncClient) -> None:
    session = f"hitl-{uuid.uuid4()}"
    await _ask(client, session)
    human_input = {"type": "proceed", "startNodeId": "humanInputAgentflow_0", "feedback": "Go"}
    ids = {"chatId": session, "overrideConfig": {"sessionId": session}}
    result = await stream(client, HITL_FLOW_ID, {"question": "", "humanInput": human_input, **ids})
    assert result.answer.startswith("✅ **Approved.** I carried out the plan: Order 40 croissants")
    assert 'Your note was taken into account: "Go"' in result.answer
    labels = [item["nodeLabel"] for item in result.of("agentFlowExecutedData")[-1]]
    assert labels == ["Start", "Draft Plan", "Approval", "Approval", "Carry Out"]
    conditions = result.of("agentFlowExecutedData")[0][-1]["data"]["output"]["conditions"]
    assert [(c["type"], c["isFulfilled"]) for c in conditions] == [
        ("proceed", True),
        ("reject", False),
    ]
    assert result.of("agentFlowEvent") == ["INPROGRESS", "FINISHED"]
    rows = (await client.get(f"/api/v1/chatmessage/{HITL_FLOW_ID}?chatId={session}")).json()
    assert [row["content"] for row in rows][2] == "Go"
    assert all(row["action"] is None for row in rows)
    assert len({row["executionId"] for row in rows}) == 1


async def test_human_input_reject_without_start_node(client: httpx.AsyncClient) -> None:
    session = f"hitl-{uuid.uuid4()}"
    await _ask(client, session)
    ids = {"chatId": session, "overrideConfig": {"sessionId": session}}
    body = {"question": "No thanks", "humanInput": {"type": "reject"}, **ids}
    result = await stream(client, HITL_FLOW_ID, body)
    assert result.answer.startswith("❌ **Rejected.**")
    assert result.of("nextAgentFlow")[-1]["nodeLabel"] == "Explain Rejection"


async def test_pending_action_is_stored_until_answered(client: httpx.AsyncClient) -> None:
    session = f"hitl-{uuid.uuid4()}"
    action = await _ask(client, session)
    rows = (await client.get(f"/api/v1/chatmessage/{HITL_FLOW_ID}?chatId={session}")).json()
    assert rows[1]["action"] == action


async def test_human_input_without_a_stopped_execution_fails(client: httpx.AsyncClient) -> None:
    body = {"humanInput": {"type": "proceed"}, "chatId": f"nothing-{uuid.uuid4()}"}
    result = await stream(client, HITL_FLOW_ID, body)
    assert result.names == ["error", "end"]
    assert str(result.first("error")).startswith(
        "Error: predictionsServices.buildChatflow - No previous execution found for session"
    )
    response = await predict(client, HITL_FLOW_ID, body)
    assert response.status_code == 500


async def test_human_input_non_streaming_has_action(client: httpx.AsyncClient) -> None:
    body = (await predict(client, HITL_FLOW_ID, {"question": "Delete staging"})).json()
    assert list(body) == [
        "text",
        "question",
        "chatId",
        "chatMessageId",
        "executionId",
        "agentFlowExecutedData",
        "action",
        "sessionId",
    ]


async def test_executions_list(client: httpx.AsyncClient) -> None:
    session = f"executions-{uuid.uuid4()}"
    await _ask(client, session)
    listing = (
        await client.get(
            "/api/v1/executions", params={"agentflowId": HITL_FLOW_ID, "sessionId": session}
        )
    ).json()
    assert listing["total"] == 1
    [execution] = listing["data"]
    assert execution["state"] == "STOPPED" and execution["agentflowId"] == HITL_FLOW_ID
    assert json.loads(execution["executionData"])[-1]["status"] == "STOPPED"
