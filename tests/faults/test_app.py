"""The real app meets every fault: a clear message, nothing lost, ready for the next question."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowise_tui.app.hints import ELSEWHERE, describe, with_hint
from flowise_tui.app.widgets.turn import AnswerMarkdown, AnswerStatus, TurnView
from flowise_tui.conversation import TurnStatus
from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import CHAT_FLOW_ID, PROTECTED_FLOW_ID
from flowise_tui.flowise import Cause, FlowiseClient, PredictionRequest
from flowise_tui.flowise.events import ErrorEvent
from tests.app.conftest import SIZE, opened, wait_for
from tests.faults.cases import CASES, Case
from tests.faults.conftest import fault_url
from tests.faults.helpers import app_for, ask
from tests.faults.test_client import stream

QUESTION = "my carefully typed question"


@pytest.mark.parametrize("case", CASES, ids=Case.id.fget)
async def test_app_outcome(case: Case, fault_server: DemoServer, tmp_path: Path) -> None:
    app = await app_for(fault_url(fault_server, case.fault, times=1), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        turn = await ask(pilot, QUESTION)
        assert app.is_running
        view = app.chat.query_one(TurnView)
        status = str(view.query_one(AnswerStatus).render())
        failed = case.error is not None or case.flow_error
        assert turn.status is (TurnStatus.FAILED if failed else TurnStatus.DONE), status
        for fragment in case.says:
            assert fragment in status, f"{fragment!r} not shown in {status!r}"
        assert "--api-key" not in status and "--insecure" not in status
        if case.error is not None and case.cause in ELSEWHERE:
            assert with_hint("", case.cause).strip() in status, "the app's own advice"
        assert case.answer in turn.answer.text
        shown = view.query_one(AnswerMarkdown).source
        if turn.answer.text:
            assert shown.startswith(turn.answer.text[:200].replace("\x1b", "")[:20])
        if failed and not turn.answer.text:
            assert app.chat.prompt.text == QUESTION, "the question was given back"
        elif failed:
            assert app.chat.prompt.text == ""
            await pilot.press("up")
            assert app.chat.prompt.text == QUESTION, "the question is one key away"
        if case.partial:
            assert turn.answer.text and shown
        assert "\x1b" not in shown and "\x1b" not in status

        await wait_for(pilot, lambda: app.history.list_conversations())
        saved = app.history.load(app.chat.conversation.id).turns[0]
        assert saved.question == QUESTION and saved.answer.text == turn.answer.text

        app.chat.prompt.clear()
        again = await ask(pilot, "and the next question")
        assert again.status is TurnStatus.DONE and again.answer.text, again.answer.error


async def test_the_app_words_advice_for_where_it_is_shown(fault_server: DemoServer) -> None:
    """A missing key: the Connect screen (F2) elsewhere, the field below on that screen."""
    _, error = await stream(fault_url(fault_server, "http-401"))
    assert error is not None
    async with FlowiseClient(fault_server.url) as client:
        request = PredictionRequest("hi")
        events = [e async for e in client.stream_prediction(PROTECTED_FLOW_ID, request)]
    refused = next(e for e in events if isinstance(e, ErrorEvent))
    assert (error.cause, refused.cause) == (Cause.KEY_MISSING, Cause.FLOW_KEY_REJECTED)
    shown = [
        (str(error), describe(error), describe(error, on_connect=True)),
        (
            refused.message,
            with_hint(refused.message, refused.cause),
            with_hint(refused.message, refused.cause, on_connect=True),
        ),
    ]
    for message, elsewhere, on_connect in shown:
        assert elsewhere.startswith(message) and on_connect.startswith(message)
        assert "on the Connect screen (f2)" in elsewhere and "below" not in elsewhere
        assert on_connect.endswith("below.") and "f2" not in on_connect
        assert "--" not in elsewhere + on_connect
