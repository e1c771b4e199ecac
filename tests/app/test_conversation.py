"""Picking, sending, streaming, panes, follow-ups: the app against the demo server."""

from __future__ import annotations

from textual import events
from textual.widgets import Collapsible, Static

from flowise_tui.app.screens.document import DocumentScreen
from flowise_tui.app.widgets.choices import Choices
from flowise_tui.app.widgets.turn import AnswerMarkdown, SourceList, TurnView
from flowise_tui.conversation import TurnStatus
from flowise_tui.demo.flows import (
    AGENTFLOW_ID,
    CHAT_FLOW_ID,
    HITL_FLOW_ID,
    MULTIAGENT_FLOW_ID,
    RAG_FLOW_ID,
    TOOL_FLOW_ID,
)
from tests.app.conftest import SIZE, ask, opened, ready, starter_prompts, wait_for


def pane_text(view: TurnView, pane_id: str) -> str:
    pane = view.query_one(f"#{pane_id}", Collapsible)
    assert pane.display, f"{pane_id} is hidden"
    return "\n".join(str(s.render()) for s in pane.query(Static))


async def test_filter_and_pick_shows_starter_prompts(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        app.chat.query_one("#flow-filter").focus()
        await pilot.press(*"bakry")
        assert app.chat.query_one("ChatflowPicker").match_count == 1
        await pilot.press("enter")
        await opened(pilot, RAG_FLOW_ID)
        starters = await starter_prompts(pilot)
        assert starters.display and starters.option_count == len(starters.prompts) >= 2
        assert app.chat.prompt.has_focus
        starters.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.turns)
        assert app.chat.conversation.turns[0].question == starters.prompts[0]


async def test_answer_streams_as_markdown_with_status(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        turn = await ask(pilot, "Tell me about streaming")
        view = pilot.app.screen.query_one(TurnView)
        assert turn.status is TurnStatus.DONE
        assert view.query_one(AnswerMarkdown).source == turn.answer.text
        assert "```python" in turn.answer.text
        status = str(view.query_one("AnswerStatus").render())
        assert "done" in status and "first token" in status and "tok/s" in status
        assert "chatId" in pane_text(view, "metadata-pane")


async def test_follow_up_prompts_become_choices(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        turn = await ask(pilot, "What can you do?")
        assert turn.answer.follow_ups
        choices = pilot.app.screen.query_one(TurnView).query_one("#follow-ups", Choices)
        assert choices.display and choices.prompts == turn.answer.follow_ups
        choices.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(pilot.app.chat.conversation.turns) == 2)
        assert pilot.app.chat.conversation.turns[1].question == turn.answer.follow_ups[0]


async def test_sources_pane_and_document_modal(make_app) -> None:
    async with make_app(chatflow=RAG_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, RAG_FLOW_ID)
        turn = await ask(pilot, "How much is the lemon tart?")
        view = pilot.app.screen.query_one(TurnView)
        pane = view.query_one("#sources-pane", Collapsible)
        assert pane.display and pane.collapsed and pane.title == "Sources (2)"
        pane.collapsed = False
        await pilot.pause()
        sources = view.query_one(SourceList)
        assert "crumb-and-co-menu.txt" in str(sources.get_option_at_index(0).prompt)
        sources.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DocumentScreen))
        shown = str(pilot.app.screen.query_one(Static).render())
        assert turn.answer.sources[0].page_content.strip() in shown
        assert "crumb-and-co-menu.txt" in shown
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, DocumentScreen)


async def test_tools_pane_shows_input_and_output(make_app) -> None:
    async with make_app(chatflow=TOOL_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, TOOL_FLOW_ID)
        await ask(pilot, "What is 6*7?")
        view = pilot.app.screen.query_one(TurnView)
        assert view.query_one("#tools-pane", Collapsible).title == "Tools (1)"
        text = pane_text(view, "tools-pane")
        assert "calculator" in text and "6*7" in text and "42" in text
        assert "running" not in text


async def test_agent_steps_pane(make_app) -> None:
    async with make_app(chatflow=AGENTFLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, AGENTFLOW_ID)
        turn = await ask(pilot, "Plan a picnic")
        view = pilot.app.screen.query_one(TurnView)
        text = pane_text(view, "steps-pane")
        for step in turn.answer.steps.values():
            assert step.label in text
        assert "thought for" in text
        assert "tokens" in pane_text(view, "metadata-pane")
    async with make_app(chatflow=MULTIAGENT_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, MULTIAGENT_FLOW_ID)
        turn = await ask(pilot, "Write a haiku")
        text = pane_text(pilot.app.screen.query_one(TurnView), "steps-pane")
        assert turn.answer.reasoning[0].agent_name in text and "next agent" in text


async def test_human_in_the_loop_buttons_resume_the_flow(make_app) -> None:
    async with make_app(chatflow=HITL_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, HITL_FLOW_ID)
        turn = await ask(pilot, "Publish the report?")
        assert turn.answer.action is not None
        view = pilot.app.screen.query_one(TurnView)
        assert view.query_one("#action-bar").display
        await pilot.click("#proceed")
        await wait_for(pilot, lambda: len(pilot.app.chat.conversation.turns) == 2)
        await wait_for(pilot, lambda: not pilot.app.chat.streaming)
        resumed = pilot.app.chat.conversation.turns[1]
        assert resumed.status is TurnStatus.DONE and resumed.answer.text
        assert resumed.answer.action is None
        assert not view.query_one("#action-bar").display


async def test_keys_typed_just_before_enter_are_all_sent(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        app.chat.prompt.focus()
        await pilot.pause()
        for key, char in [*((c, c) for c in "quick"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        await wait_for(pilot, lambda: app.chat.conversation.turns)
        assert app.chat.conversation.turns[0].question == "quick"


async def test_prompt_keys(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "first")
        await ask(pilot, "second")
        prompt = app.chat.prompt
        prompt.focus()
        await pilot.press(*"line one", "ctrl+j", *"line two")
        assert prompt.text == "line one\nline two"
        prompt.clear()
        await pilot.press("up")
        assert prompt.text == "second"
        await pilot.press("up")
        assert prompt.text == "first"
        await pilot.press("down", "down")
        assert prompt.text == ""


async def test_server_text_is_never_markup(make_app) -> None:
    nasty = "[bold red]x[/] [@click=app.quit]q[/] \x1b]52;c;aGk=\x07 \x1b[2J end"
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        turn = await ask(pilot, nasty)
        assert pilot.app.is_running and turn.status is TurnStatus.DONE
        view = pilot.app.screen.query_one(TurnView)
        question = str(view.query_one("UserMessage").render())
        assert "[bold red]x[/]" in question and "[@click=app.quit]" in question
        assert "\x1b" not in question
        assert "\x1b" not in view.query_one(AnswerMarkdown).source
