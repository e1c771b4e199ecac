"""The overrides editor, the session header, overrides on every question, and the lead form,
in the real app against the demo server."""

from __future__ import annotations

import wave

import httpx
from textual.widgets import Input, Static, TextArea

from flowise_tui.app.screens.lead import LeadScreen
from flowise_tui.app.screens.overrides import OverridesScreen
from flowise_tui.config import load_config
from flowise_tui.config_overrides import flow_settings
from flowise_tui.demo.flows import LEADS_FLOW_ID, TUNABLE_FLOW_ID
from tests.app.conftest import SIZE, ask, wait_for
from tests.app.scenes import open_flow
from tests.faults.helpers import notifications


async def test_overrides_are_edited_saved_shown_and_sent(make_app, tmp_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_flow(pilot, TUNABLE_FLOW_ID)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, OverridesScreen))
        app.screen.query_one("#overrides-vars", TextArea).load_text("team=ops\nsecret=x")
        app.screen.query_one("#overrides-json", TextArea).load_text('{"temperature": 0.3,')
        await pilot.press("ctrl+s")
        problem = app.screen.query_one("#overrides-problem", Static)
        assert "not JSON" in str(problem.render())
        app.screen.query_one("#overrides-json", TextArea).load_text(
            '{"temperature": 0.3, "modelName": "big"}'
        )
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, OverridesScreen))
        bar = str(app.chat.query_one("#flow-bar", Static).render())
        assert "vars 2 · overrides 2" in bar
        await wait_for(pilot, lambda: any("Flowise will ignore" in n for n in notifications(app)))
        notice = next(n for n in notifications(app) if "Flowise will ignore" in n)
        assert "modelName" in notice and "vars.secret" in notice and "temperature" not in notice
        saved = flow_settings(load_config(tmp_path / "config.toml"), "test", TUNABLE_FLOW_ID)
        assert saved.vars == {"team": "ops", "secret": "x"}
        for _ in range(2):
            turn = await ask(pilot, "Are my overrides there?")
            assert 'reached the model: `temperature=0.3`, `vars={"team":"ops"}`.' in (
                turn.answer.text
            )


async def test_the_lead_form_comes_once_and_is_sent(make_app, tmp_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_flow(pilot, LEADS_FLOW_ID)
        await wait_for(pilot, lambda: isinstance(app.screen, LeadScreen))
        await wait_for(pilot, lambda: app.screen.query("#lead-send"))
        assert not app.screen.query("#lead-phone")
        app.screen.query_one("#lead-name", Input).value = "Ada"
        email = app.screen.query_one("#lead-email", Input)
        email.value = "not-an-address"
        email.focus()
        await pilot.press("enter")
        problem = app.screen.query_one("#lead-problem", Static)
        await wait_for(pilot, lambda: "address" in str(problem.render()))
        email.value = "ada@example.com"
        await pilot.click("#lead-send")
        await wait_for(pilot, lambda: any("we will be in touch" in n for n in notifications(app)))
        config = load_config(tmp_path / "config.toml")
        assert flow_settings(config, "test", LEADS_FLOW_ID).lead == "given"
        await ask(pilot, "a question after the form")
        chat_id = app.chat.conversation.chat_id
        async with httpx.AsyncClient(base_url=app.connection.url) as client:
            reply = await client.get(f"/api/v1/chatmessage/{LEADS_FLOW_ID}?chatId={chat_id}")
        asked = [m for m in reply.json() if m["role"] == "userMessage"]
        assert [m.get("leadEmail") for m in asked] == ["ada@example.com"]  # as the web chat
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await open_flow(pilot, LEADS_FLOW_ID)
        await pilot.pause(0.2)
        assert not isinstance(again.screen, LeadScreen)


async def test_the_lead_form_may_be_skipped_for_good(make_app, tmp_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_flow(pilot, LEADS_FLOW_ID)
        await wait_for(pilot, lambda: isinstance(app.screen, LeadScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LeadScreen))
    config = load_config(tmp_path / "config.toml")
    assert flow_settings(config, "test", LEADS_FLOW_ID).lead == "skipped"


async def test_the_last_answer_is_saved_as_audio(make_app, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_flow(pilot, TUNABLE_FLOW_ID)
        await ask(pilot, "Say it out loud")
        await app.chat.run_action("save_speech")
        await wait_for(pilot, lambda: any("bytes of audio" in n for n in notifications(app)))
    [saved] = tmp_path.glob("flowise-answer-*.wav")
    with wave.open(str(saved)) as audio:
        assert audio.getnframes() > 0
