"""Server text is data, everywhere: markup and escapes from a hostile server, through every
place the app shows server text, are shown as written (escapes and controls gone), never
obeyed, never a crash.

The server (`hostile_server`) is real HTTP on 127.0.0.1. What is checked is what the app
draws: the text inside each widget on screen, and every character a terminal would be sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, OptionList, Static
from textual.widgets._toast import Toast

from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.screens.connect import ConnectScreen
from flowise_tui.app.screens.document import DocumentScreen
from flowise_tui.app.screens.feedback import FeedbackScreen
from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.picker import ChatflowPicker
from flowise_tui.app.widgets.turn import (
    AnswerMarkdown,
    AnswerStatus,
    Choices,
    SourceList,
    TurnView,
    UserMessage,
)
from flowise_tui.conversation import Turn, TurnStatus
from tests.app.conftest import build_app, opened, ready, showing, starter_prompts, wait_for
from tests.faults.hostile_server import (
    ALL_SHOWN,
    PAYLOADS,
    SWEPT,
    USABLE_ODD_NAMES,
    HostileServer,
    badge_shown,
    flow_id,
    sent,
    shown,
    shown_type,
)
from tests.faults.screen_text import cell_of, text_in, unsafe_output

SIZE = (140, 50)
"""Tall enough that every pane of a hostile answer is on screen at once."""


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def unspaced(text: str) -> str:
    return "".join(text.split())


def expect(app: FlowiseApp, widget: Widget, *texts: str) -> None:
    """`widget` shows each of `texts` as written (however the lines wrap), and nothing on
    screen is a terminal control."""
    assert app.is_running
    drawn = unspaced(text_in(app, widget))
    for text in texts:
        assert unspaced(text) in drawn, f"{text!r} is not drawn in {widget!r}: {drawn[:2000]!r}"
    assert unsafe_output(app) == []


def toast_text(app: FlowiseApp) -> str:
    return unspaced("".join(text_in(app, toast) for toast in app.screen.query(Toast)))


async def answered(pilot: Pilot, count: int) -> Turn:
    """The `count`th turn of the conversation, once its answer has ended."""
    app: FlowiseApp = pilot.app  # type: ignore[assignment]

    def turns() -> list[Turn]:
        return app.chat.conversation.turns if app.chat.conversation else []

    await wait_for(pilot, lambda: len(turns()) >= count)
    turn = turns()[count - 1]
    await wait_for(
        pilot, lambda: turn.status is not TurnStatus.STREAMING and not app.chat.streaming
    )
    await pilot.pause()
    return turn


async def shown_on_screen(pilot: Pilot, widget: Widget) -> Widget:
    widget.scroll_visible(animate=False)
    await pilot.pause()
    return widget


@pytest.mark.parametrize("index", SWEPT, ids=[repr(PAYLOADS[i].sent) for i in SWEPT])
async def test_every_place_shows_server_text_as_written(
    index: int, hostile: HostileServer, tmp_path: Path
) -> None:
    app = build_app(tmp_path, url=hostile.url())
    text = shown(index)
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await ready(pilot)
        await pilot.pause()
        picker = app.chat.query_one(ChatflowPicker)
        picker.select_by_id(flow_id(index))  # the highlighted row is drawn whole
        await pilot.pause()
        expect(app, picker.query_one("#flow-list"), text, badge_shown(index))

        # Picked from the list: the session bar, the welcome and the starter prompt.
        picker.query_one("#flow-filter").focus()
        picker.select_by_id(flow_id(index))
        await pilot.press("enter")
        await opened(pilot, flow_id(index))
        starters = await starter_prompts(pilot)
        await pilot.pause()
        expect(app, app.chat.query_one("#flow-bar"), text, badge_shown(index))
        expect(app, app.chat.query_one("#welcome-text"), f"welcome {text}")
        expect(app, starters, f"› {text}")

        # The starter prompt, chosen, is the question; its answer carries the payload in
        # every event.
        starters.focus()
        await pilot.press("enter")
        turn = await answered(pilot, 1)
        assert turn.status is TurnStatus.DONE
        view = app.chat.query_one(TurnView)
        view.action_toggle_panes()
        await pilot.pause()
        places: list[tuple[Widget, tuple[str, ...]]] = [
            (view.query_one(UserMessage), (text,)),
            (view.query_one(".speaker", Static), (text,)),
            (
                view.query_one(AnswerMarkdown),
                (text, f"col {text}", "action prog", f"fenced {text}"),
            ),
            (
                view.query_one(SourceList),
                # one line per row, cut at the pane's width: the rest is in the full view
                (text, f"note={text[:20]}", f"content {text}"),
            ),
            (view.query_one("#tools-body"), (f"⚙ {text}", f"output {text}", f"error  {text}")),
            (
                view.query_one("#steps-body"),
                (
                    f"✓ {text}  finished",
                    f"✻ thought for 1.0 s    {text}",
                    f"◆ {text}",
                    f"tools: {text}",
                    f"→ {text}",
                    f"next agent: {text}",
                ),
            ),
            (view.query_one("#metadata-body"), (f"chatId        {text}", f"{text} 3")),
            (view.query_one("#proceed", Button), (text,)),
            (view.query_one("#reject", Button), (text,)),
            (view.query_one("#follow-ups", Choices), (f"› {text}",)),
            (view.query_one(AnswerStatus), ("✓ done",)),
        ]
        for widget, texts in places:
            expect(app, await shown_on_screen(pilot, widget), *texts)

        # A source in full.
        sources = view.query_one(SourceList)
        sources.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DocumentScreen))
        await pilot.pause()
        expect(app, app.screen.query_one(Static), text, f"content {text}")
        await pilot.press("escape")

        # Feedback the server refuses: its message in a notice.
        view.focus()
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: unspaced(f"feedback {text}") in toast_text(app))
        assert unsafe_output(app) == []
        app.clear_notifications()  # a notice covers the corner of the screen

        # The approval button, pressed, sends its label, as Flowise's chat does: the flow
        # fails, and says why; the decision shows in place of the buttons.
        await pilot.click(await shown_on_screen(pilot, view.query_one("#proceed")))
        approval = await answered(pilot, 2)
        assert (approval.question, approval.status) == (sent(index), TurnStatus.FAILED)
        expect(app, await shown_on_screen(pilot, view.query_one("#decision")), f"· {text}")
        failed = app.chat.query(TurnView).last().query_one(AnswerStatus)
        expect(app, await shown_on_screen(pilot, failed), "✗ failed", text)

        # History: kept here, and on the server; reopened from the server.
        app.chat.prompt.focus()
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen
        rows = history.query_one("#history-list", OptionList)
        await wait_for(pilot, lambda: rows.option_count == 1)
        await pilot.pause()
        expect(app, rows, f"  {text}", f"  {text} · 2 turns")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: rows.option_count == 2)
        await pilot.pause()
        expect(app, rows, f"asked {text}", f"server · {text}")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        reopened = app.chat.query(TurnView).last()
        expect(app, reopened.query_one(UserMessage), f"asked {text}")
        expect(app, reopened.query_one(AnswerMarkdown), f"said {text}")

        assert app.is_running


async def test_the_palette_lists_chatflows_as_written(
    hostile: HostileServer, tmp_path: Path
) -> None:
    app = build_app(tmp_path, url=hostile.url())
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"switch chatflow")
        commands = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: commands.option_count == len(PAYLOADS) + 1)
        await pilot.pause()
        for index in range(len(PAYLOADS)):
            expect(app, commands, f"Switch chatflow: {shown(index)}", shown_type(index)[:30])
        await pilot.press("escape")
        assert app.is_running


async def test_the_connection_test_tells_the_version_as_written(
    hostile: HostileServer, tmp_path: Path
) -> None:
    app = build_app(tmp_path, url=hostile.url())
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await showing(pilot, ConnectScreen)
        await pilot.click("#test")
        result = app.screen.query_one("#connect-result")
        await wait_for(pilot, lambda: "answers" in text_in(app, result))
        expect(app, result, *ALL_SHOWN)


async def test_a_failing_ping_is_told_as_written(hostile: HostileServer, tmp_path: Path) -> None:
    app = build_app(tmp_path, url=hostile.url("ping-fails"))
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await showing(pilot, ConnectScreen)
        await wait_for(pilot, lambda: app.screen.query(Toast))
        await pilot.pause()
        expect(app, app.screen.query_one("#connect-problem"), *ALL_SHOWN)
        for text in ALL_SHOWN:
            assert unspaced(text) in toast_text(app)


LINK_LETTER = re.compile(r"(?<=[\]:])[xs](?=[\[>])")
"""The letter markup would make a link of: `[@click=...]x[/]` drawn as written, or as `x`."""


@pytest.mark.parametrize("index", [1, 2], ids=["app.quit", "app.screenshot"])
async def test_clicking_a_notice_runs_no_action_from_it(
    index: int, hostile: HostileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = build_app(tmp_path, url=hostile.url(f"ping-fails-{index}"))
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await wait_for(pilot, lambda: app.screen.query(Toast))
        await pilot.pause()
        cells = cell_of(app, app.screen.query_one(Toast), LINK_LETTER)
        assert len(cells) == 1, "the letter a link would be on"
        await pilot.click(offset=cells[0])
        await pilot.pause()
        assert not app.screen.query(Toast), "the click reached the notice"
        assert app.is_running
    assert list(tmp_path.rglob("*.svg")) == []


async def test_a_failing_listing_is_told_as_written(hostile: HostileServer, tmp_path: Path) -> None:
    app = build_app(tmp_path, url=hostile.url("listing-fails"))
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        note = app.chat.query_one("#picker-note")
        await wait_for(pilot, lambda: "listing" in text_in(app, note))
        expect(app, note, *ALL_SHOWN)


async def test_odd_listing_data_never_crashes_the_app(
    hostile: HostileServer, tmp_path: Path
) -> None:
    """Ids repeated, missing, empty, with escapes, controls or markup, or the picker's own
    names: every chatflow listed can be picked and asked, and the app goes on."""
    app = build_app(tmp_path, url=hostile.url("odd-listing"))
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await ready(pilot)
        picker = app.chat.query_one(ChatflowPicker)
        rows = picker.rows
        listed = picker.listed
        assert {"twin one", "twin two"} & {flow.name for flow in listed}
        for row, flow in enumerate(listed):
            rows.focus()
            rows.highlighted = row
            await pilot.press("enter")
            if flow.name in USABLE_ODD_NAMES:
                await wait_for(pilot, lambda flow=flow: app.chat.chatflow is flow)
                app.chat.prompt.load_text(f"question {row}")
                app.chat.prompt.focus()
                await pilot.press("enter")
                await answered(pilot, 1)
            else:
                await wait_for(pilot, lambda: "cannotbeopened" in toast_text(app))
                assert unspaced(repr(flow.id)) in toast_text(app), "the id, escapes visible"
                assert app.chat.chatflow is not flow
                app.clear_notifications()
            await pilot.pause()
            assert app.is_running
            assert unsafe_output(app) == []


async def test_a_huge_name_is_cut_and_the_app_goes_on(
    hostile: HostileServer, tmp_path: Path
) -> None:
    app = build_app(tmp_path, url=hostile.url())
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await ready(pilot)
        picker = app.chat.query_one(ChatflowPicker)
        picker.query_one("#flow-filter").focus()
        picker.select_by_id(flow_id(99))
        await pilot.press("enter")
        await opened(pilot, flow_id(99))
        app.chat.prompt.load_text("hello")
        app.chat.prompt.focus()
        await pilot.press("enter")
        await answered(pilot, 1)
        for place in (
            picker.query_one("#flow-list"),
            app.chat.query_one("#flow-bar"),
            app.chat.query_one(TurnView).query_one(".speaker"),
        ):
            drawn = text_in(app, place)
            assert "hhhhhhhhhh" in drawn and drawn.count("h") <= 220, place
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        rows = app.screen.query_one("#history-list", OptionList)
        await wait_for(pilot, lambda: rows.option_count == 1)
        await pilot.pause()
        assert "hhhhhhhhhh" in text_in(app, rows) and text_in(app, rows).count("h") <= 100
        assert app.is_running


LINK_WORDS = {"web": "https://example.com/0", "action": None, "prog": None}


async def test_a_link_in_an_answer_opens_only_a_web_page(
    hostile: HostileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_urls: list[str] = []
    monkeypatch.setattr(FlowiseApp, "open_url", lambda self, url, **_: opened_urls.append(url))
    app = build_app(tmp_path, url=hostile.url())
    async with app.run_test(size=SIZE, notifications=True, tooltips=True) as pilot:
        await ready(pilot)
        picker = app.chat.query_one(ChatflowPicker)
        picker.query_one("#flow-filter").focus()
        picker.select_by_id(flow_id(0))
        await pilot.press("enter")
        await opened(pilot, flow_id(0))
        app.chat.prompt.load_text("links please")
        app.chat.prompt.focus()
        await pilot.press("enter")
        await answered(pilot, 1)
        answer = app.chat.query_one(AnswerMarkdown)
        for word, url in LINK_WORDS.items():
            cells = cell_of(app, answer, re.compile(re.escape(f"{word} ")))
            assert cells, f"{word!r} is drawn"
            before = list(opened_urls)
            await pilot.click(offset=cells[0])
            await pilot.pause()
            assert app.is_running
            assert opened_urls == before + ([url] if url else []), word
