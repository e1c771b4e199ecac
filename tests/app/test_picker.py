"""The chatflow picker over 10,000 chatflows: what it lists, in what order, and what Enter does.

The chatflows come over loopback from `benchmarks.chatflows`; what the list should show is
worked out here with Textual's own `FuzzySearch`, not with the app's matcher.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.fuzzy import FuzzySearch
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from benchmarks.chatflows import chatflows_server, generated_flows
from flowise_tui.app import render
from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.widgets.picker import MORE, ChatflowPicker
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


def listed(pilot: Pilot) -> tuple[list[str], str | None]:
    """The chatflow ids listed, and the text of the last row when it stands for more."""
    picker = pilot.app.screen.query_one(ChatflowPicker)
    options = picker.query_one("#flow-list", OptionList).options
    ids = [flow.id for flow in picker.listed]
    assert len(options) - len(ids) == sum(option.id == MORE for option in options)
    more = [str(option.prompt) for option in options if option.id == MORE]
    return ids, more[0] if more else None  # type: ignore[return-value]


def matched_offsets(pilot: Pilot, row: int) -> list[int]:
    prompt = pilot.app.screen.query_one("#flow-list", OptionList).options[row].prompt
    return sorted(
        offset - BADGE
        for span in prompt.spans  # type: ignore[union-attr]
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
        await loaded(pilot)
        typed = ""
        for key in "legal r":
            typed += key
            await pilot.press(key if key != " " else "space")
            ids, more = listed(pilot)
            expected = ranked(typed.strip())
            assert ids == [flow_id for flow_id, _ in expected[: len(ids)]]
            assert len(ids) >= min(20, len(expected))
            assert more == (
                f"{len(expected) - len(ids):,} more — keep typing"
                if len(expected) > len(ids)
                else None
            )
        assert matched_offsets(pilot, 0) == ranked("legal r")[0][1]
        assert pilot.app.screen.query_one("#flow-list", OptionList).highlighted == 0


async def test_moving_onto_the_last_row_lists_the_next_ones(app: FlowiseApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        first, more = listed(pilot)
        assert first == [flow["id"] for flow in FLOWS[: len(first)]]
        assert more == f"{COUNT - len(first):,} more — keep typing"
        await pilot.press(*["down"] * len(first))
        await wait_for(pilot, lambda: len(listed(pilot)[0]) > len(first))
        ids, more = listed(pilot)
        assert ids == [flow["id"] for flow in FLOWS[: len(ids)]]
        assert more == f"{COUNT - len(ids):,} more — keep typing"
        flow_list = picker.query_one(OptionList)
        assert flow_list.highlighted == len(first)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.chatflow is not None)
        assert app.chat.chatflow is not None
        assert app.chat.chatflow.id == FLOWS[len(first)]["id"]


async def test_a_chatflow_far_down_can_be_highlighted_by_id(app: FlowiseApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        far = FLOWS[7777]["id"]
        picker.select_by_id(far)
        flow_list = picker.query_one(OptionList)
        assert flow_list.highlighted is not None
        assert picker.listed[flow_list.highlighted].id == far
        assert listed(pilot)[0] == [flow["id"] for flow in FLOWS[: len(listed(pilot)[0])]]


async def test_a_pasted_id_opens_that_chatflow(app: FlowiseApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        picker = await loaded(pilot)
        wanted = FLOWS[5000]
        picker.query_one("#flow-filter", Input).value = wanted["id"]
        await pilot.pause()
        ids, _ = listed(pilot)
        assert ids == [flow["id"] for flow in FLOWS[: len(ids)]]  # an id filters nothing
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.chatflow is not None)
        assert app.chat.chatflow is not None
        assert (app.chat.chatflow.id, app.chat.chatflow.name) == (wanted["id"], wanted["name"])


async def test_no_match_lists_nothing_and_enter_says_so(app: FlowiseApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press(*"qqqz")
        assert ranked("qqqz") == []
        assert listed(pilot) == ([], None)
        await pilot.press("enter")
        await pilot.pause()
        messages = [notification.message for notification in app._notifications]
        assert "No chatflow matches. Paste a chatflow id to open it directly." in messages
        assert app.chat.chatflow is None
        await pilot.press("ctrl+u")
        ids, more = listed(pilot)
        assert ids == [flow["id"] for flow in FLOWS[: len(ids)]]
        assert more == f"{COUNT - len(ids):,} more — keep typing"
