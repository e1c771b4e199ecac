"""Full views: a step, thought or agent message whole; sources grouped, stepped through,
copied and opened; a thought shown while it streams."""

from __future__ import annotations

import asyncio
import webbrowser
from collections.abc import Callable

import pytest
from textual.widgets import Collapsible, Static

from flowise_tui.app.log.chat_log import ChatLog
from flowise_tui.app.screens.document import DocumentScreen
from flowise_tui.app.screens.full_view import EntryBody, FullViewScreen
from flowise_tui.app.source_views import group_row
from flowise_tui.app.widgets.sources import SourceList
from flowise_tui.app.widgets.steps import StepRow, ThinkingLine
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.conversation import Turn, TurnStatus
from flowise_tui.demo.flows import AGENTFLOW_ID, MULTIAGENT_FLOW_ID
from flowise_tui.flowise import PredictionRequest
from flowise_tui.flowise.events import ThinkingEvent, TokenEvent
from flowise_tui.sources import group_sources
from tests.app.conftest import SIZE, ask, opened, wait_for
from tests.faults.screen_text import _cells, drawn


def rows_of(app, widget) -> list[str]:
    """The rows `widget` draws, from its left edge (padding included)."""
    rows = drawn(app).rows
    region = widget.region
    return [
        _cells(rows[y], region.x, region.right).rstrip() for y in range(region.y, region.bottom)
    ]


async def open_steps(pilot, view: TurnView) -> list[StepRow]:
    view.query_one("#steps-pane", Collapsible).collapsed = False
    await pilot.pause()
    return list(view.query(StepRow))


async def test_a_step_opens_whole_with_its_wrapped_lines_indented(make_app) -> None:
    async with make_app(chatflow=AGENTFLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, AGENTFLOW_ID)
        turn = await ask(pilot, "Research the history of sourdough")
        view = app.chat.query_one(TurnView)
        rows = await open_steps(pilot, view)
        writer = next(row for row in rows if "Writer" in row.entry.head.plain)
        output = turn.answer.steps["llmAgentflow_1"].data["output"]["content"]
        assert len(output) > 300 and writer.entry.cut, "the pane shows a preview"

        # In the pane, the preview's wrapped lines start under its first.
        writer.scroll_visible(animate=False)
        await pilot.pause()
        preview = writer.query_one(".step-preview", Static)
        shown = [row for row in rows_of(app, preview) if row.strip()]
        assert len(shown) > 1 and all(row.startswith("    ") for row in shown)
        assert all(not row[4].isspace() for row in shown)

        writer.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FullViewScreen))
        await pilot.pause()
        texts = list(app.screen.query(".full-text").results(Static))
        assert output.strip() in [str(text.render()).strip() for text in texts]
        body = next(t for t in texts if str(t.render()).strip() == output.strip())
        wrapped = [row for row in rows_of(app, body) if row.strip()]
        assert len(wrapped) > 3
        assert all(row.startswith("  ") and not row[2].isspace() for row in wrapped), wrapped

        await pilot.press("n")  # the next entry: the writer's thought
        await wait_for(pilot, lambda: app.screen.query_one(EntryBody).entry.key == "thought:0")
        thought = turn.answer.thoughts[0].text
        assert thought.strip() in app.screen.query_one(EntryBody).entry.sections[0].text
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.query_one(EntryBody).entry.key == writer.entry.key)
        await pilot.press("escape")
        assert not isinstance(app.screen, FullViewScreen)


async def test_an_agents_own_sources_step_copy_and_open(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_urls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened_urls.append(url))
    async with make_app(chatflow=MULTIAGENT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, MULTIAGENT_FLOW_ID)
        turn = await ask(pilot, "Write a short product blurb for a lemon tart")
        researcher = next(r for r in turn.answer.reasoning if r.source_documents)
        groups = group_sources(researcher.source_documents)
        rows = await open_steps(pilot, app.chat.query_one(TurnView))
        row = next(r for r in rows if "Researcher" in r.entry.head.plain)
        assert "tools: bakery_search" in row.entry.head.plain
        row.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FullViewScreen))
        await pilot.pause()
        sources = app.screen.query_one(SourceList)
        assert len(sources.chunks) == len(researcher.source_documents)
        sources.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DocumentScreen))
        document = app.screen
        assert document.index == 0
        await pilot.press("n", "n")
        assert document.index == 2
        await pilot.press("n")  # no further: it stays
        assert document.index == 2
        chunk = document.chunk
        assert chunk.url is not None and chunk.url.startswith("https://")
        shown = str(document.query_one("#document-body", Static).render())
        assert chunk.document.page_content.strip() in shown

        await pilot.press("o")
        assert opened_urls == [chunk.url]
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == chunk.document.page_content
        await pilot.press("p")
        assert document.index == 1 and document.chunk.url is None
        await pilot.press("o")
        assert opened_urls == [chunk.url], "a source without a web address opens nothing"

        # The document with the URL is a terminal hyperlink in the list.
        linked = [span.style for span in group_row(groups[-1]).spans]
        assert any(getattr(style, "link", None) == chunk.url for style in linked)


async def running_until(condition: Callable[[], object], timeout: float = 30.0) -> None:
    """Let the app run (in this event loop) until `condition()` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await asyncio.sleep(0.02)


async def test_a_thought_shows_while_it_streams(make_app) -> None:
    """The demo's real stream, fed to a turn event by event as the chat screen feeds it, held
    mid-thought: the thought shows above the answer and in its full view, and grows.

    While the full view follows the thought it composes its body again on each change, so
    the waits here let the app run without Pilot's wait for every widget's queue (a widget
    removed meanwhile never answers it, and Pilot waited 30 s for it under load)."""
    async with make_app(chatflow=AGENTFLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, AGENTFLOW_ID)
        question = "Research the history of sourdough"
        events = [
            event
            async for event in app.client.stream_prediction(
                AGENTFLOW_ID, PredictionRequest(question)
            )
        ]
        thinking = [i for i, e in enumerate(events) if isinstance(e, ThinkingEvent)]
        assert len(thinking) > 3
        turn = Turn(question)
        view = TurnView(turn, "Research Agentflow")
        app.chat.query_one("#welcome").display = False
        log = app.chat.query_one(ChatLog)
        await log.mount(view)
        view.start_stream(log.sight)

        fed = 0

        async def feed(upto: int) -> None:
            nonlocal fed
            for event in events[fed:upto]:
                if isinstance(event, TokenEvent):
                    turn.answer.append_text(event.text)
                    await view.write(event.text)
                else:
                    turn.apply(event)
                    view.refresh_panes()
            fed = upto
            await asyncio.sleep(0.02)

        await feed(thinking[1] + 1)  # two pieces of the thought so far
        line = view.query_one(ThinkingLine)
        assert line.display and "thinking…" in str(line.render())
        app.push_screen(
            FullViewScreen(turn.answer, "thought:0", lambda: turn.status is TurnStatus.STREAMING)
        )
        await running_until(lambda: app.screen.query(EntryBody))
        body = app.screen.query_one(EntryBody)
        first = body.entry.sections[0].text
        assert body.entry.live and body.border_title == "Thinking"

        await feed(thinking[-2] + 1)  # more of it
        await running_until(lambda: body.entry.sections[0].text != first)
        assert body.entry.sections[0].text.startswith(first.rstrip())

        await feed(thinking[-1] + 1)  # the last one: its duration, the thought is done
        await running_until(lambda: not body.entry.live)
        assert body.entry.sections[0].text == turn.answer.thoughts[0].text
        assert not line.display, "the answer begins: the live line goes"
        await pilot.press("escape")
        await feed(len(events))
        turn.status = TurnStatus.DONE
        await view.finish()
        assert not line.display
