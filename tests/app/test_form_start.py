"""A flow that starts with a form: the form is shown, checked, sent, and its values logged."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Select, Static

from flowise_tui.app.screens.form import FormScreen, field_id
from flowise_tui.conversation import TurnStatus
from flowise_tui.demo.flows import FORM_FLOW_ID
from flowise_tui.export import to_markdown
from tests.app.conftest import SIZE, ask, opened, wait_for


async def form_screen(pilot) -> FormScreen:
    app = pilot.app
    await wait_for(pilot, lambda: app.chat.start_form is not None)
    app.chat.prompt.load_text("hello")
    await pilot.press("enter")  # the first turn of a form flow is its form
    await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
    return app.screen


async def test_the_form_is_checked_sent_and_logged_then_the_chat_goes_on(make_app) -> None:
    async with make_app(chatflow=FORM_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, FORM_FLOW_ID)
        screen = await form_screen(pilot)
        assert app.chat.prompt.text == "hello", "what was typed stays in the prompt"
        assert app.chat.conversation.turns == []
        assert screen.query_one(f"#{field_id(0)}").has_focus

        await pilot.press(*"Ada", "tab")
        screen.query_one(f"#{field_id(2)}", Input).value = "lots"
        await pilot.press("ctrl+s")
        await pilot.pause()
        problem = screen.query_one(f"#{field_id(2)}-problem", Static)
        assert problem.display and "'lots' is not a number" in str(problem.render())
        assert isinstance(app.screen, FormScreen), "a refused form stays open"
        assert screen.query_one(f"#{field_id(2)}").has_focus

        screen.query_one(f"#{field_id(1)}", Select).value = "chocolate cake"
        screen.query_one(f"#{field_id(2)}", Input).value = "2"
        screen.query_one(f"#{field_id(3)}", Checkbox).value = True
        screen.query_one(f"#{field_id(0)}", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        await wait_for(pilot, lambda: len(app.chat.conversation.turns) == 1)
        turn = app.chat.conversation.turns[0]
        await wait_for(pilot, lambda: turn.status is not TurnStatus.STREAMING)
        assert turn.question == "customerName: Ada\ncake: chocolate cake\nslices: 2\ngiftWrap: true"
        assert "2 slices of chocolate cake, gift-wrapped" in turn.answer.text
        assert "customerName: Ada" in to_markdown(app.chat.conversation)

        second = await ask(pilot, "hello")  # what was typed before the form now goes as chat
        assert second.question == "hello"
        assert "**Ada**" in second.answer.text and "chocolate cake" in second.answer.text


async def test_escape_cancels_the_form_and_sends_nothing(make_app) -> None:
    async with make_app(chatflow=FORM_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, FORM_FLOW_ID)
        await form_screen(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        assert app.chat.conversation.turns == []
        assert not app.chat.streaming
