"""Approvals (Human Input): the flow waits on the latest action only, the prompt waits with
it, a decision shows in place of its buttons, live, reopened and exported, and the comment a
node asks for reaches the flow."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.screens.decision import DecisionCommentScreen
from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.conversation import Decision, Turn, TurnStatus
from flowise_tui.demo.flows import HITL_FLOW_ID
from flowise_tui.export import to_json, to_markdown
from tests.app.conftest import SIZE, ask, opened, wait_for

SCHEMA_2 = Path(__file__).parents[1] / "fixtures" / "history-schema-2" / "history.sqlite3"


def views(app: FlowiseApp) -> list[TurnView]:
    return list(app.chat.query(TurnView))


def shown(widget: Static) -> str:
    return str(widget.render()) if widget.display else ""


def live(view: TurnView) -> bool:
    """Whether the view's Proceed and Reject can be clicked."""
    return bool(view.query_one("#action-bar").display and view.query_one("#proceed").display)


async def decided(pilot: Pilot, count: int) -> Turn:
    """The `count`th turn, once the decision it carried has been answered."""
    app: FlowiseApp = pilot.app  # type: ignore[assignment]
    await wait_for(pilot, lambda: len(app.chat.conversation.turns) >= count)
    turn = app.chat.conversation.turns[count - 1]
    await wait_for(pilot, lambda: turn.status is not TurnStatus.STREAMING)
    await wait_for(pilot, lambda: not app.chat.streaming)
    await pilot.pause()
    return turn


async def click(pilot: Pilot, view: TurnView, button: str) -> None:
    widget = view.query_one(f"#{button}", Button)
    widget.scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(widget)


async def test_a_pending_decision_holds_the_prompt_and_keeps_the_text(make_app) -> None:
    async with make_app(chatflow=HITL_FLOW_ID).run_test(size=SIZE, notifications=True) as pilot:
        app = await opened(pilot, HITL_FLOW_ID)
        asked = await ask(pilot, "Order 40 croissants for Friday")
        assert app.chat.conversation.awaiting_decision is asked

        app.chat.prompt.load_text("actually make it 50")
        await pilot.press("enter")
        await pilot.pause()

        assert len(app.chat.conversation.turns) == 1, "the typed text was not sent"
        assert app.chat.prompt.text == "actually make it 50"
        [notice] = [n.message for n in app._notifications]
        assert notice.startswith("Decide first") and "“Proceed”" in notice and "“Reject”" in notice

        await click(pilot, views(app)[0], "proceed")
        resumed = await decided(pilot, 2)
        assert resumed.question == "Proceed"
        assert "I carried out the plan: Order 40 croissants for Friday" in resumed.answer.text
        assert "50" not in resumed.answer.text
        assert app.chat.prompt.has_focus, "after a decision, focus is back on the prompt"
        assert app.chat.prompt.text == "actually make it 50", "and what was typed is still there"

        await pilot.press("enter")  # nothing waits now: it goes
        await decided(pilot, 3)
        assert app.chat.conversation.turns[2].question == "actually make it 50"


async def test_only_the_latest_action_acts(make_app) -> None:
    async with make_app(chatflow=HITL_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, HITL_FLOW_ID)
        await ask(pilot, "Order 40 croissants for Friday")
        await click(pilot, views(app)[0], "reject")
        await decided(pilot, 2)
        await ask(pilot, "Order 12 baguettes for Saturday")
        first, _, latest = views(app)

        assert live(latest) and not live(first)
        first.query_one("#proceed", Button).press()  # hidden; pressed anyway, it does nothing
        first.query_one("#reject", Button).press()
        await pilot.pause()
        assert len(app.chat.conversation.turns) == 3 and not app.chat.streaming
        assert app.chat.conversation.turns[0].decision == Decision(False, "Reject")
        assert app.chat.conversation.awaiting_decision is latest.turn

        await click(pilot, latest, "proceed")
        resumed = await decided(pilot, 4)
        assert "Order 12 baguettes for Saturday" in resumed.answer.text


async def test_a_decision_shows_in_place_of_its_buttons_live_reopened_and_exported(
    make_app,
) -> None:
    async with make_app(chatflow=HITL_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, HITL_FLOW_ID)
        await ask(pilot, "Order 40 croissants for Friday")
        [view] = views(app)
        assert live(view) and not view.query_one("#decision").display
        assert "waits for your decision" in shown(view.query_one("#decision-hint", Static))

        await click(pilot, view, "proceed")
        await decided(pilot, 2)
        assert not live(view)
        assert shown(view.query_one("#decision", Static)) == "✓ Proceeded · Proceed"
        view.query_one("#proceed", Button).press()
        await pilot.pause()
        assert len(app.chat.conversation.turns) == 2 and not app.chat.streaming

        conversation = app.chat.conversation
        await pilot.press("ctrl+n")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_for(pilot, lambda: app.screen.entries)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.id == conversation.id)
        await wait_for(pilot, lambda: len(views(app)) == 2)
        await pilot.pause()
        reopened = views(app)[0]
        assert reopened.turn is not conversation.turns[0], "read back from history"
        assert reopened.turn.decision == Decision(True, "Proceed")
        assert not live(reopened)
        assert shown(reopened.query_one("#decision", Static)) == "✓ Proceeded · Proceed"

        markdown = to_markdown(app.chat.conversation)
        assert "**Decision:** ✓ Proceeded · Proceed" in markdown
        document = to_json(app.chat.conversation)
        decisions = [turn["decision"] for turn in document["turns"]]
        assert decisions == [{"type": "proceed", "label": "Proceed", "comment": ""}, None]


async def test_the_comment_box_sends_the_comment_to_the_flow(make_app, demo_url) -> None:
    async with make_app(chatflow=HITL_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, HITL_FLOW_ID)
        await ask(pilot, "Delete the old staging database")
        [view] = views(app)
        assert "asks for a comment" in shown(view.query_one("#decision-hint", Static))

        await click(pilot, view, "reject")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionCommentScreen))
        await pilot.press(*"keep it until Friday")
        await pilot.press("enter")
        resumed = await decided(pilot, 2)

        assert 'You said: "keep it until Friday"' in resumed.answer.text
        assert app.screen is app.chat and app.chat.prompt.has_focus
        decision = app.chat.conversation.turns[0].decision
        assert decision == Decision(False, "Reject", "keep it until Friday")
        text = shown(view.query_one("#decision", Static))
        assert text == "✗ Rejected · Reject\ncomment: keep it until Friday"
        assert "comment: keep it until Friday" in to_markdown(app.chat.conversation)

        session = app.chat.conversation.chat_id
    async with httpx.AsyncClient(base_url=demo_url) as client:
        listing = await client.get(
            "/api/v1/executions", params={"agentflowId": HITL_FLOW_ID, "sessionId": session}
        )
    [execution] = listing.json()["data"]
    nodes = json.loads(execution["executionData"])
    received = [n["data"]["input"] for n in nodes if n["data"].get("input", {}).get("type")]
    assert received == [
        {
            "type": "reject",
            "startNodeId": "humanInputAgentflow_0",
            "feedback": "keep it until Friday",
            "messages": received[0]["messages"],
        }
    ]


async def test_escape_in_the_comment_box_cancels_the_decision(make_app) -> None:
    async with make_app(chatflow=HITL_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, HITL_FLOW_ID)
        await ask(pilot, "Cancel Friday's order")
        [view] = views(app)

        await click(pilot, view, "proceed")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionCommentScreen))
        await pilot.press(*"half")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.chat)
        await pilot.pause()

        assert len(app.chat.conversation.turns) == 1 and not app.chat.streaming
        assert app.chat.conversation.turns[0].decision is None
        assert live(view), "still waiting: the decision can be taken again"
        await click(pilot, view, "proceed")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionCommentScreen))
        assert app.screen.query_one(Input).value == "", "a new box, not the cancelled comment"


async def test_a_reopened_pending_action_is_live_and_resumes_the_flow(make_app) -> None:
    async with make_app(chatflow=HITL_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, HITL_FLOW_ID)
        await ask(pilot, "Order 40 croissants for Friday")
        pending = app.chat.conversation
        await pilot.press("ctrl+n")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_for(pilot, lambda: app.screen.entries)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.id == pending.id)
        await wait_for(pilot, lambda: views(app))
        await pilot.pause()

        [view] = views(app)
        assert live(view), "the latest turn, still undecided: the flow waits on it"
        await click(pilot, view, "proceed")
        resumed = await decided(pilot, 2)
        assert resumed.status is TurnStatus.DONE
        assert "I carried out the plan: Order 40 croissants for Friday" in resumed.answer.text


async def test_a_reopened_action_the_server_forgot_fails_and_says_so(
    make_app, tmp_path: Path
) -> None:
    """History written by c927444: the server (this demo) never held its sessions."""
    shutil.copyfile(SCHEMA_2, tmp_path / "history.sqlite3")
    async with make_app(chatflow=HITL_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, HITL_FLOW_ID)
        app.chat.query_one("#prompt").focus()
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press(*"croissants")
        await wait_for(pilot, lambda: len(app.screen.entries) == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(views(app)) == 2)
        await pilot.pause()
        asked, _ = views(app)
        assert not live(asked), "decided before decisions were kept: no longer waits"
        assert shown(asked.query_one("#decision", Static)) == (
            "○ No decision recorded (Proceed / Reject)"
        )
        asked.query_one("#proceed", Button).press()
        await pilot.pause()
        assert len(app.chat.conversation.turns) == 2

        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.press(*"close the shop")
        await wait_for(pilot, lambda: len(app.screen.entries) == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.title.startswith("Close"))
        await wait_for(pilot, lambda: len(views(app)) == 1)
        await pilot.pause()
        [view] = views(app)
        assert live(view), "the latest turn: the app cannot know the server forgot it"
        await click(pilot, view, "proceed")
        await wait_for(pilot, lambda: isinstance(app.screen, DecisionCommentScreen))
        await pilot.press("enter")  # c927444's demo asked every decision for a comment
        failed = await decided(pilot, 2)

        assert failed.status is TurnStatus.FAILED
        assert "No previous execution found for session" in (failed.answer.error or "")
        assert app.chat.prompt.text == "", "a decision's button name is not given back"
        assert not live(view)


async def test_an_action_decided_elsewhere_fails_here_and_says_so(make_app, demo_url) -> None:
    async with make_app(chatflow=HITL_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, HITL_FLOW_ID)
        await ask(pilot, "Order 40 croissants for Friday")
        session = app.chat.conversation.chat_id
        body = {
            "question": "Proceed",
            "chatId": session,
            "overrideConfig": {"sessionId": session},
            "humanInput": {"type": "proceed", "startNodeId": "humanInputAgentflow_0"},
        }
        async with httpx.AsyncClient(base_url=demo_url) as client:  # another client decides
            decided_there = await client.post(f"/api/v1/prediction/{HITL_FLOW_ID}", json=body)
        assert decided_there.status_code == 200

        [view] = views(app)
        assert live(view), "the app cannot know: it still offers the decision"
        await click(pilot, view, "reject")
        failed = await decided(pilot, 2)
        assert failed.status is TurnStatus.FAILED
        assert "Only executions in 'STOPPED' state can be resumed" in (failed.answer.error or "")
        assert not live(view) and app.chat.prompt.text == ""
