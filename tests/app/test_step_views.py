"""What the steps pane and its full views are made of, from a real Flowise 3.1.4 stream
(replayed over loopback): each node whole, with its own tools."""

from __future__ import annotations

from flowise_tui.app import step_views
from flowise_tui.conversation import Turn
from flowise_tui.flowise import FlowiseClient, PredictionRequest
from flowise_tui.flowise.models import ToolCall
from flowise_tui.sources import group_sources
from tests.replay import ReplayServer, load


async def replayed(name: str) -> Turn:
    recording = load(name)
    turn = Turn("q")
    async with ReplayServer(recording, seed=3) as server:
        async with FlowiseClient(server.url) as client:
            flow_id = recording.path.rsplit("/", 1)[1]
            async for event in client.stream_prediction(flow_id, PredictionRequest("q")):
                turn.apply(event)
    return turn


async def test_an_agent_node_keeps_its_own_tools_and_its_whole_output() -> None:
    turn = await replayed("agentflow_agent_tool_stream")

    entries = {entry.key: entry for entry in step_views.entries(turn.answer)}

    start, agent = entries["step:startAgentflow_0"], entries["step:agentAgentflow_0"]
    assert start.tools == () and start.sections == ()
    assert agent.tools == (ToolCall("calculator", {"input": "2+2"}, "4"),)
    assert "tools: calculator" in agent.head.plain
    output = agent.sections[0]
    assert output.label == "output" and output.text == turn.answer.text
    assert len(turn.answer.text) > step_views.PREVIEW_LIMIT and agent.cut
    assert step_views.find(turn.answer, agent.key) == agent


async def test_the_lab_rag_chunks_group_under_their_file_in_rank_order() -> None:
    turn = await replayed("rag_stream")

    groups = group_sources(turn.answer.sources)

    assert [group.name for group in groups] == ["lab-bakery.txt"]
    assert [chunk.rank for chunk in groups[0].chunks] == [1, 2]
    assert [chunk.document for chunk in groups[0].chunks] == turn.answer.sources
    assert groups[0].best_score is None, "the lab's in-memory vector store sends no score"
    assert groups[0].url is None
