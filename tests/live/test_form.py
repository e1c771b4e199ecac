"""Form starts against a real Flowise: the form is read, checked, sent, stored, and kept.

Needs the `form` role's flow (`TUI Lab Form Start`, made by tests/live/lab_form.py).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

import pytest

from flowise_tui.flowise import Chatflow, FlowiseClient, FlowiseServerError, PredictionRequest
from flowise_tui.flowise.events import TokenEvent
from flowise_tui.flowise.form import as_text, form_of_config, validate
from tests.live import settings

role = pytest.mark.parametrize("flow", ["form"], indirect=True)
VALUES = {"userName": "Grace", "age": "85", "subscribe": "yes", "topic": "billing"}


def answer(events: list) -> str:
    return "".join(e.text for e in events if isinstance(e, TokenEvent))


@role
def test_the_form_is_read_without_a_key_sent_and_stored(flow: Chatflow) -> None:
    async def scenario() -> None:
        async with FlowiseClient(settings.URL) as anonymous:
            form = form_of_config(await anonymous.chatbot_config(flow.id))
        assert form is not None
        assert {f.kind for f in form.fields} == {"string", "number", "boolean", "options"}
        values, problems = validate(form, VALUES)
        assert problems == []
        chat = str(uuid.uuid4())
        async with FlowiseClient(settings.URL, settings.API_KEY) as client:
            request = PredictionRequest("", chat_id=chat, form=values)
            first = [e async for e in client.stream_prediction(flow.id, request)]
            assert "Grace" in answer(first) and "billing" in answer(first)
            second = PredictionRequest("What now?", chat_id=chat)
            later = await client.predict(flow.id, second)
            assert "Grace" in answer(later), "the form values are kept for the next turn"
            if settings.API_KEY:
                stored = await client.chat_messages(flow.id, chat_id=chat)
                assert stored[0].content == as_text(values)
            both = PredictionRequest("Hi", form=values)
            with pytest.raises(FlowiseServerError, match="Question and form"):
                await client.predict(flow.id, both)

    asyncio.run(scenario())


@role
def test_ask_form_answers_and_refuses_a_bad_option(flow: Chatflow, live_env: dict) -> None:
    def ask(*form: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "flowise_tui", "ask", flow.id]
        for pair in form:
            argv += ["--form", pair]
        env = {**os.environ, **live_env}
        return subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)

    good = ask("userName=Linus", "age=30", "subscribe=false", "topic=sales")
    assert good.returncode == 0, good.stderr
    assert "Linus" in good.stdout and "subscribe false" in good.stdout
    bad = ask("topic=gardening")
    assert bad.returncode == 2 and bad.stdout == ""
    assert "--form topic: 'gardening' is not one of: billing, support, sales" in bad.stderr
