"""The chatflow picker over 10,000 chatflows: what it lists, in what order, and what Enter does.

The chatflows come over loopback from `benchmarks.chatflows`; what the list should show is
worked out here with Textual's own `FuzzySearch`, not with the app's matcher.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.fuzzy import FuzzySearch
from textual.pilot import Pilot
from textual.widgets import Input

from benchmarks.chatflows import chatflows_server, generated_flows
from flowise_tui.app import render
from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.widgets.flow_rows import FlowRows
from flowise_tui.app.widgets.picker import ChatflowPicker
from tests.app.conftest import SIZE, build_app, wait_for

COUNT = 10_000
FLOWS = sorted(generated_flows(COUNT), key=lambda flow: flow["name"].lower())
BADGE = 8  # " chat   " and the space after it, before the name


@pytest.fixture(scope="module")
def many_flows_url() -> Iterator[str]:
    with chatflows_server(FLOWS) as url:
        yield url


@pytest.fixture
def app(many_flows_url: str, tmp_path: Path) -> FlowiseApp:
    return build_app(tmp_path, url=many_flows_url)


def ranked(query: str) -> list[tuple[str, list[int]]]:
    """(id, matched offsets) of every chatflow matching `query`, best first."""
    search = FuzzySearch(cache_size=1)
    scored = [(search.match(query, flow["name"]), flow["id"]) for flow in FLOWS]
    matched = [(score, flow_id, list(offsets)) for (score, offsets), flow_id in scored if score]
    matched.sort(key=lambda item: -item[0])
    return [(flow_id, offsets) for _, flow_id, offsets in matched]


def listed(pilot: Pilot, count: int = 40) -> list[str]:
    """The ids of the first `count` chatflows the list holds."""
    picker = pilot.app.screen.query_one(ChatflowPicker)
    return [flow.id for flow in map(picker.row, range(count)) if flow is not None]


def on_screen(pilot: Pilot) -> list[str]:
    """The list's lines as drawn."""
    rows = pilot.app.screen.query_one(FlowRows)
    return [rows.render_line(y).text for y in range(rows.scrollable_content_region.height)]


def matched_offsets(pilot: Pilot, row: int) -> list[int]:
    picker = pilot.app.screen.query_one(ChatflowPicker)
    prompt = picker._row_text(row)
    return sorted(
        offset - BADGE
        for span in prompt.spans
        if span.style == render.MATCHED
        for offset in range(span.start, span.end)
    )


async def loaded(pilot: Pilot) -> ChatflowPicker:
    app: FlowiseApp = pilot.app  # type: ignore[assignment]
    picker = app.chat.query_one(ChatflowPicker)
    await wait_for(pilot, lambda: len(picker.flows) == COUNT, timeout=30)
    await pilot.pause()
    app.chat.query_one("#flow-filter").focus()
    return picker


async def test_each_key_lists_the_best_matches_first(app: FlowiseApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        typed = ""
        for key in "legal r":
            typed += key
            await pilot.press(key if key != " " else "space")
            expected = ranked(typed.strip())
            assert listed(pilot) == [flow_id for flow_id, _ in expected[:40]]
            assert picker.match_count == len(expected)
            note = str(picker.query_one("#picker-note").render())
            assert note == f"{len(expected)} of {COUNT} chatflows"
        assert matched_offsets(pilot, 0) == ranked("legal r")[0][1]
        assert picker.rows.highlighted == 0


async def test_the_list_draws_the_rows_in_sight_and_the_highlighted_one_whole(
    app: FlowiseApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        lines = on_screen(pilot)
        width = picker.rows.scrollable_content_region.width
        assert all(len(line) == width for line in lines)
        top = "".join(lines[:3]).replace(" ", "")
        assert FLOWS[0]["name"].replace(" ", "") in top, "the first row is highlighted: whole"
        cut = [line for line in lines[1:] if line.rstrip().endswith("…")]
        assert cut, "a row longer than the width ends with an ellipsis"
        long_row = next(row for row in range(1, 40) if len(FLOWS[row]["name"]) + BADGE > width)
        picker.rows.highlighted = long_row
        await pilot.pause()
        whole = "".join(line.strip() for line in on_screen(pilot))
        assert FLOWS[long_row]["name"].replace(" ", "") in whole.replace(" ", "")


async def test_moving_down_goes_past_the_rows_in_sight(app: FlowiseApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        height = picker.rows.size.height
        await pilot.press(*["down"] * (height + 5))
        assert picker.rows.highlighted == height + 5
        assert picker.highlighted is not None
        assert picker.highlighted.id == FLOWS[height + 5]["id"]
        assert picker.rows.scroll_offset.y > 0
        drawn = " ".join(on_screen(pilot)).replace(" ", "")
        assert FLOWS[height + 5]["name"].replace(" ", "") in drawn
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.chatflow is not None)
        assert app.chat.chatflow is not None
        assert app.chat.chatflow.id == FLOWS[height + 5]["id"]


async def test_a_chatflow_far_down_can_be_highlighted_by_id(app: FlowiseApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        far = FLOWS[7777]["id"]
        picker.select_by_id(far)
        await pilot.pause()
        assert picker.rows.highlighted == 7777
        assert picker.highlighted is not None and picker.highlighted.id == far
        drawn = " ".join(on_screen(pilot)).replace(" ", "")
        assert FLOWS[7777]["name"].replace(" ", "") in drawn


async def test_a_pasted_id_opens_that_chatflow(app: FlowiseApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        wanted = FLOWS[5000]
        picker.query_one("#flow-filter", Input).value = wanted["id"]
        await pilot.pause()
        assert listed(pilot) == [flow["id"] for flow in FLOWS[:40]]  # an id filters nothing
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.chatflow is not None)
        assert app.chat.chatflow is not None
        assert (app.chat.chatflow.id, app.chat.chatflow.name) == (wanted["id"], wanted["name"])


async def test_no_match_lists_nothing_and_enter_says_so(app: FlowiseApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        await pilot.press(*"qqqz")
        assert ranked("qqqz") == []
        assert listed(pilot) == [] and picker.match_count == 0
        assert picker.rows.highlighted is None
        await pilot.press("enter")
        await pilot.pause()
        messages = [notification.message for notification in app._notifications]
        assert "No chatflow matches. Paste a chatflow id to open it directly." in messages
        assert app.chat.chatflow is None
        await pilot.press("ctrl+u")
        assert listed(pilot) == [flow["id"] for flow in FLOWS[:40]]
        assert picker.match_count == COUNT


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[int] = []

    def compose(self) -> ComposeResult:
        yield FlowRows()

    def on_flow_rows_selected(self, event: FlowRows.Selected) -> None:
        self.chosen.append(event.index)


def long_text(index: int) -> Content:
    return Content(f"row {index} " + "long name " * 8)


def bar_cells(rows: FlowRows) -> str:
    """The list's last column, line by line: `#` for the scrollbar's thumb, `.` for its
    track, `?` for anything else."""
    thumb = rows.get_visual_style("flow-rows--thumb").rich_style.bgcolor
    track = rows.get_visual_style("flow-rows--bar").rich_style.bgcolor
    cells = []
    for y in range(rows.size.height):
        last = next(iter(rows.render_line(y).crop(rows.size.width - 1, rows.size.width)))
        colour = last.style.bgcolor if last.style else None
        cells.append("#" if colour == thumb else "." if colour == track else "?")
    return "".join(cells)


async def test_the_highlighted_row_fits_when_the_scrollbar_comes() -> None:
    """The scrollbar the list draws narrows its rows without a resize: the highlighted row,
    laid out whole, must follow the new width like the others."""
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        rows = app.query_one(FlowRows)
        rows.show(2, long_text)
        await pilot.pause()
        assert "#" not in bar_cells(rows) and "." not in bar_cells(rows)
        rows.show(100, long_text)
        await pilot.pause()
        drawn = [rows.render_line(y).cell_length for y in range(rows.size.height)]
        assert drawn == [40] * rows.size.height
        assert bar_cells(rows) == "#" + "." * 9


async def test_the_scrollbar_shows_where_the_list_is_and_can_be_dragged() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        rows = app.query_one(FlowRows)
        rows.show(1000, lambda index: Content(f"row {index}"))
        await pilot.pause()
        assert bar_cells(rows) == "#" + "." * 9
        await pilot.mouse_down(FlowRows, offset=(39, 9))
        assert rows.scroll_offset.y == rows.max_scroll_y
        assert bar_cells(rows) == "." * 9 + "#"
        await pilot.hover(FlowRows, offset=(39, 5))
        assert 0 < rows.scroll_offset.y < rows.max_scroll_y
        assert bar_cells(rows).index("#") in (4, 5)
        await pilot.mouse_up(FlowRows, offset=(39, 5))
        await pilot.click(FlowRows, offset=(39, 0))
        assert rows.scroll_offset.y == 0
        assert app.chosen == [] and rows.highlighted == 0, "the scrollbar chooses no row"
        await pilot.click(FlowRows, offset=(3, 2))
        await wait_for(pilot, lambda: app.chosen == [2])


async def test_a_click_opens_the_row_under_the_pointer(app: FlowiseApp) -> None:
    """Below the highlighted row (which takes more than one line) and scrolled down."""
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        await pilot.press(*"support")
        rows = picker.rows
        lit = len(rows._lit)
        assert lit > 1, "the highlighted row wraps: rows below it sit lower"
        await pilot.click(FlowRows, offset=(4, lit + 2))
        await wait_for(pilot, lambda: app.chat.chatflow is not None)
        assert app.chat.chatflow is not None
        assert app.chat.chatflow.id == ranked("support")[3][0]
        app.chat.focus_filter()
        rows.scroll_to(y=50, animate=False, immediate=True)
        await pilot.pause()
        row = 50 - len(rows._lit) + 1  # the line at the top, below the highlighted row 3
        await pilot.click(FlowRows, offset=(4, 0))
        await wait_for(pilot, lambda: rows.highlighted != 3)
        assert rows.highlighted == row
        await wait_for(pilot, lambda: app.chat.chatflow.id == ranked("support")[row][0])
