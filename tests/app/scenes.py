"""Screen states staged against the demo server, frozen for snapshots and screenshots.

Everything that changes from run to run (ports, session ids, clocks, dates) is pinned,
so the same scene renders the same SVG every time.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Collapsible, Input, Select, TextArea

from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.log.chat_log import ChatLog
from flowise_tui.app.screens.connect import ConnectScreen
from flowise_tui.app.screens.form import FormScreen, field_id
from flowise_tui.app.widgets.attachments import AttachmentTray
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.conversation import Conversation, Turn, TurnStatus
from flowise_tui.demo.flows import (
    AGENTFLOW_ID,
    ARTIFACTS_FLOW_ID,
    ATTACH_FLOW_ID,
    CHAT_FLOW_ID,
    FORM_FLOW_ID,
    MULTIAGENT_FLOW_ID,
    RAG_FLOW_ID,
    TOOL_FLOW_ID,
)
from flowise_tui.flowise import PredictionRequest
from flowise_tui.flowise.events import TokenEvent
from tests.app.conftest import ask, opened, ready, showing, wait_for

SHOWN_URL = "http://127.0.0.1:3000"
SESSION = "5e55104d-1b2c-4d3e-9f00-a1b2c3d4e5f6"
MESSAGE = "0b5e7a11-7e57-4a11-9c0d-5ca1ab1e0001"
FROZEN_NOW = 1_795_000_000.0
SIZE = (150, 46)
SMALL = (80, 24)
PNG_1PX = (
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f00050502005fc8f1d20000000049454e44ae426082"
)

Scene = Callable[[Pilot], Awaitable[None]]


def freeze(app: FlowiseApp) -> None:
    """Pin everything that differs between runs."""
    app.connection = replace(app.connection, url=SHOWN_URL)
    chat = app.chat
    if chat.conversation is not None:
        chat.conversation.chat_id = SESSION
    for view in chat.query(TurnView):
        turn = view.turn
        turn.started = FROZEN_NOW
        view.clock = lambda: FROZEN_NOW + 2.4
        if turn.first_token_after is not None:
            turn.first_token_after = 0.12
        if turn.status is not TurnStatus.STREAMING:
            turn.elapsed = 1.85
        metadata = turn.answer.metadata
        if metadata is not None:
            ids = {"chatId": SESSION, "sessionId": SESSION, "chatMessageId": MESSAGE}
            raw = {**metadata.raw, **{k: v for k, v in ids.items() if k in metadata.raw}}
            turn.answer.metadata = replace(
                metadata, chat_id=SESSION, session_id=SESSION, chat_message_id=MESSAGE, raw=raw
            )
        for step in turn.answer.steps.values():
            timing = step.data.get("output", {}).get("timeMetadata")
            if isinstance(timing, dict):
                timing["delta"] = 420
        view.refresh_panes()
        view.refresh_status()
    chat.refresh_flow_bar()
    for area in app.screen.query(TextArea):
        area.cursor_blink = False
    for field in app.screen.query(Input):
        field.cursor_blink = False


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    freeze(pilot.app)  # type: ignore[arg-type]
    await pilot.pause()


async def open_flow(pilot: Pilot, flow_id: str) -> FlowiseApp:
    app = await ready(pilot)
    picker = app.chat.query_one("ChatflowPicker")
    app.chat.open_chatflow(next(f for f in picker.flows if f.id == flow_id))
    picker.select_by_id(flow_id)
    await opened(pilot, flow_id)
    await wait_for(pilot, lambda: app.chat.chatbot_config.raw)
    app.chat.prompt.focus()
    return app


def expand(view: TurnView, *pane_ids: str) -> None:
    for pane_id in pane_ids:
        view.query_one(f"#{pane_id}", Collapsible).collapsed = False


async def streaming(pilot: Pilot) -> None:
    """The picker beside an answer caught mid-stream."""
    app = await open_flow(pilot, CHAT_FLOW_ID)
    question = "How do I stream answers from Flowise?"
    chat = app.chat
    assert chat.conversation is not None
    turn = Turn(question)
    chat.conversation.turns.append(turn)
    view = TurnView(turn, "Demo Chat")
    chat.query_one("#welcome").display = False
    log = chat.query_one(ChatLog)
    await log.mount(view)
    view.start_stream(log.sight)
    tokens = 0
    request = PredictionRequest(question, chat_id=chat.conversation.chat_id)
    async for event in app.client.stream_prediction(CHAT_FLOW_ID, request):
        turn.apply(event)
        if isinstance(event, TokenEvent) and event.text:
            turn.first_token_after = 0.12
            await view.write(event.text)
            tokens += 1
            if tokens == 70:
                break
    await view.finish()
    chat.query_one(ChatLog).scroll_end(animate=False, immediate=True)
    await settle(pilot)


async def sources(pilot: Pilot) -> None:
    app = await open_flow(pilot, RAG_FLOW_ID)
    await ask(pilot, "When does the bakery open on Sunday?")
    expand(app.chat.query_one(TurnView), "sources-pane")
    await settle(pilot)
    app.chat.query_one(ChatLog).scroll_end(animate=False, immediate=True)
    await pilot.pause()


async def tools(pilot: Pilot) -> None:
    app = await open_flow(pilot, TOOL_FLOW_ID)
    await ask(pilot, "What is 17*23+4?")
    expand(app.chat.query_one(TurnView), "tools-pane", "metadata-pane")
    await settle(pilot)


async def agent_steps(pilot: Pilot) -> None:
    app = await open_flow(pilot, AGENTFLOW_ID)
    await ask(pilot, "Plan a picnic for six people")
    expand(app.chat.query_one(TurnView), "steps-pane")
    await settle(pilot)
    app.chat.query_one(ChatLog).scroll_end(animate=False, immediate=True)
    await pilot.pause()


async def artifacts(pilot: Pilot) -> None:
    app = await open_flow(pilot, ARTIFACTS_FLOW_ID)
    await ask(pilot, "Chart this week's sales")
    await settle(pilot)
    app.chat.query_one(ChatLog).scroll_end(animate=False, immediate=True)
    await pilot.pause()


async def attachments(pilot: Pilot) -> None:
    """A question sent with two files, and a chip waiting for the next one."""
    app = await open_flow(pilot, ATTACH_FLOW_ID)
    folder = Path(tempfile.mkdtemp(prefix="flowise-tui-scene-"))
    (folder / "opening-hours.md").write_text("# Crumb & Co. opens at 7 am\n\nClosed on Sundays.\n")
    (folder / "storefront.png").write_bytes(bytes.fromhex(PNG_1PX))
    (folder / "price-list.csv").write_text("item,price\nsourdough,4.50\nlemon tart,4.00\n")
    tray = app.chat.query_one(AttachmentTray)
    tray.attach([folder / "opening-hours.md", folder / "storefront.png"])
    await wait_for(pilot, lambda: len(tray.choices) == 2)
    await ask(pilot, "What did I attach?")
    tray.attach([folder / "price-list.csv"])
    await wait_for(pilot, lambda: len(tray.choices) == 1)
    app.chat.prompt.load_text("And how much is the lemon tart?")
    app.set_focus(None)  # no cursor: where a blinking one is caught differs from run to run
    await settle(pilot)
    app.chat.query_one(ChatLog).scroll_end(animate=False, immediate=True)
    await pilot.pause()


async def step_full_view(pilot: Pilot) -> None:
    """An agent's message in full, with its own tool and its sources grouped by document."""
    from flowise_tui.app.screens.full_view import FullViewScreen

    app = await open_flow(pilot, MULTIAGENT_FLOW_ID)
    turn = await ask(pilot, "Write a short product blurb for a lemon tart")
    key = next(f"agent:{i}" for i, r in enumerate(turn.answer.reasoning) if r.source_documents)
    await settle(pilot)
    app.push_screen(FullViewScreen(turn.answer, key, lambda: False))
    await wait_for(pilot, lambda: app.screen.query("SourceList"))
    await pilot.pause()


async def connect(pilot: Pilot) -> None:
    await showing(pilot, ConnectScreen)
    await settle(pilot)


async def history(pilot: Pilot) -> None:
    app = await ready(pilot)
    for offset, (flow_id, name, question) in enumerate(
        [
            (CHAT_FLOW_ID, "Demo Chat", "How do I stream answers from Flowise?"),
            (RAG_FLOW_ID, "Bakery Docs (RAG)", "When does the bakery open on Sunday?"),
            (TOOL_FLOW_ID, "Tool Agent", "What is 17*23+4?"),
        ]
    ):
        conversation = Conversation(chatflow_id=flow_id, chatflow_name=name)
        conversation.created = FROZEN_NOW - 86_400 * (3 - offset)
        turn = Turn(question, status=TurnStatus.DONE, started=conversation.created, elapsed=2.0)
        conversation.turns.append(turn)
        app.history.save_turn(conversation, 0, turn)
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: app.screen.query("#history-list"))
    await settle(pilot)


async def form(pilot: Pilot) -> None:
    """A flow's start form, one value refused."""
    app = await open_flow(pilot, FORM_FLOW_ID)
    await wait_for(pilot, lambda: app.chat.start_form is not None)
    await settle(pilot)  # the chat screen, drawn under the form, as every scene shows it
    app.chat.send("")
    await wait_for(pilot, lambda: app.screen.query(f"#{field_id(3)}"))
    screen = app.screen
    assert isinstance(screen, FormScreen)
    screen.query_one(f"#{field_id(0)}", Input).value = "Ada"
    screen.query_one(f"#{field_id(1)}", Select).value = "lemon tart"
    screen.query_one(f"#{field_id(2)}", Input).value = "lots"
    screen.action_submit()
    await settle(pilot)


async def overrides_editor(pilot: Pilot) -> None:
    from tests.app.scenes_runtime import overrides_editor as scene

    await scene(pilot, open_flow, settle)


SCENES: dict[str, tuple[Scene, dict[str, object]]] = {
    "streaming": (streaming, {}),
    "sources": (sources, {}),
    "tools": (tools, {}),
    "agent_steps": (agent_steps, {}),
    "artifacts": (artifacts, {}),
    "step_full_view": (step_full_view, {}),
    "connect": (connect, {"url": "http://127.0.0.1:9", "connect_first": False}),
    "history": (history, {}),
    "attachments": (attachments, {}),
    "form": (form, {}),
    "overrides": (overrides_editor, {}),
}
