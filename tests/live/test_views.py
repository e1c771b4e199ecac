"""Full views and sources against a real Flowise: each node whole with its own tools, the
retrieved chunks grouped by document, in the app and in `ask --show sources`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowise_tui.app import step_views
from flowise_tui.app.screens.document import DocumentScreen
from flowise_tui.app.screens.full_view import EntryBody, FullViewScreen
from flowise_tui.app.widgets.sources import SourceList
from flowise_tui.app.widgets.steps import StepRow
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.conversation import Turn, TurnStatus
from flowise_tui.flowise import Chatflow, PredictionRequest
from flowise_tui.sources import group_sources
from tests.app.conftest import SIZE, build_app, opened, wait_for
from tests.faults.helpers import ask
from tests.live import settings
from tests.live.conftest import client
from tests.live.test_cli import clean, flowise_tui


def role(name: str):
    return pytest.mark.parametrize("flow", [name], indirect=True)


async def answered(flow: Chatflow, question: str) -> Turn:
    turn = Turn(question)
    async with client() as flowise:
        async for event in flowise.stream_prediction(flow.id, PredictionRequest(question)):
            turn.apply(event)
    return turn


@role("agentflow_agent")
async def test_an_agent_node_has_its_own_tools_and_whole_output(flow: Chatflow) -> None:
    turn = await answered(flow, "What is 6 times 7?")

    agents = [e for e in step_views.entries(turn.answer) if e.tools]

    assert agents, "the Agent node's executed data names the tool it used"
    assert {tool.tool for tool in agents[0].tools} == {tool.tool for tool in turn.answer.tools}
    output = next(s for s in agents[0].sections if s.label == "output")
    assert output.text.strip() and output.text.strip() in turn.answer.text


@role("rag")
async def test_retrieved_chunks_group_by_document_in_rank_order(flow: Chatflow) -> None:
    turn = await answered(flow, "When does the bakery open?")

    groups = group_sources(turn.answer.sources)

    assert turn.answer.sources, "the RAG flow returns its chunks"
    chunks = [chunk for group in groups for chunk in group.chunks]
    assert sum(chunk.count for chunk in chunks) == len(turn.answer.sources)
    assert sorted(chunk.rank for chunk in chunks)[0] == 1
    for group in groups:
        assert all(chunk.document.title == group.name for chunk in group.chunks)
        assert [c.rank for c in group.chunks] == sorted(c.rank for c in group.chunks)


@role("rag")
def test_ask_show_sources_prints_the_groups(flow: Chatflow, live_env: dict[str, str]) -> None:
    result = flowise_tui(
        "ask", flow.id, "When does the bakery open?", "--show", "sources", env=live_env
    )
    clean(result)
    assert result.returncode == 0, result.stderr
    sources = result.stdout.split("\n**Sources**\n", 1)[1]
    assert re.search(r"^1\. \*\*\S.*\*\*$", sources, re.MULTILINE), sources
    assert re.search(r"^   - #1\b", sources, re.MULTILINE), sources


@role("agentflow_agent")
async def test_the_app_opens_a_step_and_a_chunk_in_full(flow: Chatflow, tmp_path: Path) -> None:
    app = build_app(tmp_path, url=settings.URL, api_key=settings.API_KEY, chatflow=flow.id)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, flow.id)
        turn = await ask(pilot, "What is 6 times 7?")
        assert turn.status is TurnStatus.DONE
        view = app.chat.query_one(TurnView)
        view.query_one("#steps-pane").collapsed = False
        await pilot.pause()
        row = next(r for r in view.query(StepRow) if r.entry.tools)
        row.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query(EntryBody))
        body = app.screen.query_one(EntryBody)
        assert isinstance(app.screen, FullViewScreen)
        drawn = "\n".join(str(w.render()) for w in body.query(".full-text"))
        assert "⚙ calculator" in drawn and turn.answer.text.strip()[:40] in drawn
        await pilot.press("escape")


@role("rag")
async def test_the_app_steps_through_the_retrieved_chunks(flow: Chatflow, tmp_path: Path) -> None:
    app = build_app(tmp_path, url=settings.URL, api_key=settings.API_KEY, chatflow=flow.id)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, flow.id)
        turn = await ask(pilot, "When does the bakery open?")
        view = app.chat.query_one(TurnView)
        view.query_one("#sources-pane").collapsed = False
        await pilot.pause()
        sources = view.query_one(SourceList)
        sources.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DocumentScreen))
        screen = app.screen
        seen = [screen.chunk.document]
        for _ in range(len(sources.chunks) - 1):
            await pilot.press("n")
            seen.append(screen.chunk.document)
        assert sorted(map(id, seen)) == sorted(map(id, (c.document for c in sources.chunks)))
        assert {d.page_content for d in seen} == {d.page_content for d in turn.answer.sources}
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == seen[-1].page_content
