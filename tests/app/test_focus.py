"""When an action ends, focus is where the next keystroke belongs, and no keystroke is lost."""

from __future__ import annotations

import asyncio

from textual import events
from textual.widgets import Input

from flowise_tui.app.widgets.choices import Choices
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.conversation import TurnStatus
from flowise_tui.demo.flows import CHAT_FLOW_ID, TOOL_FLOW_ID
from tests.app.conftest import SIZE, ask, opened, ready, run_command, starter_prompts, wait_for


async def test_at_start_with_no_chatflow_typing_filters_the_list(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press(*"tool")
        assert app.chat.query_one("#flow-filter", Input).value == "tool"
        note = str(app.chat.query_one("#picker-note").render())
        assert note == f"1 of {len(app.chat.chatflows)} chatflows"
        assert app.chat.prompt.text == ""
        await pilot.press("enter")
        await opened(pilot, TOOL_FLOW_ID)
        assert app.chat.prompt.has_focus


async def test_keys_typed_right_after_enter_stay_in_the_prompt(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        # Keys that arrive together, as from a fast typist or a paste: each queued at once.
        for key in [*"first", "enter", *"typed right after"]:
            character = "\r" if key == "enter" else key
            app.chat.prompt.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: app.chat.conversation.turns)
        await pilot.pause()
        assert app.chat.conversation.turns[0].question == "first"
        assert app.chat.prompt.text == "typed right after"


async def test_a_refused_send_gives_the_text_back(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        app.chat.prompt.focus()
        await pilot.press(*"no chatflow yet", "enter")
        await pilot.pause()
        assert app.chat.prompt.text == "no chatflow yet"


async def test_after_a_starter_prompt_typing_goes_to_the_prompt(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        starters = await starter_prompts(pilot)
        starters.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.turns)
        await pilot.press(*"next")
        assert app.chat.prompt.has_focus
        assert app.chat.prompt.text == "next"


async def test_after_a_follow_up_prompt_typing_goes_to_the_prompt(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "hello")
        follow_ups = [c for c in app.chat.query(Choices) if c.id != "starters" and c.option_count]
        assert follow_ups, "the demo chat suggests follow-up prompts"
        follow_ups[-1].focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(app.chat.conversation.turns) == 2)
        await pilot.press(*"more")
        assert app.chat.prompt.text == "more"


async def test_after_switching_chatflow_from_the_palette_typing_goes_to_the_prompt(
    make_app,
) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await pilot.press("ctrl+b", "ctrl+b")
        assert app.chat.query_one("#flow-filter", Input).has_focus
        await run_command(pilot, "switch chatflow: tool")
        await opened(pilot, TOOL_FLOW_ID)
        await wait_for(pilot, lambda: app.screen is app.chat)
        await pilot.pause()
        await pilot.press(*"typed")
        assert app.chat.prompt.text == "typed"


async def test_a_question_sent_while_the_last_answer_settles_waits_for_it(
    make_app, monkeypatch
) -> None:
    """The answer says it is done while its last text still goes on screen (for seconds on
    a busy machine): Enter then queues the next question instead of refusing it."""
    gate = asyncio.Event()
    finish = TurnView.finish

    async def held_finish(view: TurnView) -> None:
        await gate.wait()
        await finish(view)

    monkeypatch.setattr(TurnView, "finish", held_finish)
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE, notifications=True) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await pilot.press(*"first", "enter")
        await wait_for(pilot, lambda: app.chat.conversation.turns)
        first = app.chat.conversation.turns[0]
        await wait_for(pilot, lambda: first.status is TurnStatus.DONE)
        assert app.chat.streaming
        await pilot.press(*"second", "enter")
        await pilot.pause()
        assert app.chat.prompt.text == ""
        assert len(app.chat.conversation.turns) == 1
        assert not [n for n in app._notifications if "still streaming" in n.message]
        gate.set()
        await wait_for(pilot, lambda: len(app.chat.conversation.turns) == 2)
        second = app.chat.conversation.turns[1]
        assert second.question == "second"
        await wait_for(pilot, lambda: second.status is TurnStatus.DONE and not app.chat.streaming)
