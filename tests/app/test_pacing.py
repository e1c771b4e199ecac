"""The log's pacing: no garbage collection while any answer streams, input noted once,
threads handing over often."""

from __future__ import annotations

import gc
import sys

import pytest
from textual import events

from flowise_tui.app.log import pacing as pacing_module
from flowise_tui.app.log.pacing import SWITCH_INTERVAL, Pacing
from flowise_tui.demo.flows import CHAT_FLOW_ID
from tests.app.conftest import SIZE, ask, opened, ready, wait_for


async def test_no_collection_while_any_answer_streams() -> None:
    pacing = Pacing()
    assert gc.isenabled()
    try:
        with pacing.streaming():
            with pacing.streaming():
                assert not gc.isenabled()
            assert not gc.isenabled(), "the other answer still streams"
            assert pacing.collect_garbage() is None
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        gc.enable()


async def test_a_collector_switched_off_before_stays_off() -> None:
    pacing = Pacing()
    gc.disable()
    try:
        with pacing.streaming():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_only_keys_clicks_and_scrolling_are_input() -> None:
    pacing = Pacing()
    pacing.note(events.Resize.from_dimensions((80, 24), None))
    assert pacing.last_input is None
    assert pacing.input_grace() == 0.0
    assert pacing.idle_for() == float("inf")
    pacing.note(events.Key("x", "x"))
    assert pacing.last_input is not None
    assert pacing.idle_for() >= 0.0


async def test_only_the_first_app_of_a_process_freezes_the_heap(make_app) -> None:
    """An app freezes what exists once its first screen is up; a later app in the same
    process (one a test) must not freeze the garbage of those before it for good."""
    for _ in range(2):  # the first may be this process's first app, or not
        async with make_app().run_test(size=SIZE) as pilot:
            await ready(pilot)
            await wait_for(pilot, lambda: "loaded" in pacing_module.frozen_at)
        frozen = gc.get_freeze_count()
    async with make_app().run_test(size=SIZE) as pilot:
        await ready(pilot)
        # Frozen objects may still be freed by reference counting; a freeze adds thousands.
        assert gc.get_freeze_count() <= frozen


async def test_threads_hand_over_often_once_the_app_is_up(make_app) -> None:
    """The terminal's input and output threads wait for the event loop's thread at most a
    switch interval at a time; the interpreter's default (5 ms) delays a key's echo."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    try:
        async with make_app().run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL)
    finally:
        sys.setswitchinterval(before)


async def test_garbage_owed_by_an_answer_is_collected_on_demand_even_while_streaming() -> None:
    pacing = Pacing()
    try:
        assert not pacing.garbage_owed
        with pacing.streaming():
            pass
        assert pacing.garbage_owed
        with pacing.streaming():
            assert pacing.collect_garbage() is None
            assert pacing.garbage_owed, "not while the next answer streams"
            collections: list[int] = []

            def record(phase: str, info: dict) -> None:
                if phase == "start":
                    collections.append(info["generation"])

            gc.callbacks.append(record)
            try:
                assert pacing.collect_garbage(now=True) is None
            finally:
                gc.callbacks.remove(record)
            assert collections == [2]
            assert not pacing.garbage_owed
    finally:
        gc.enable()


async def test_one_who_never_pauses_still_has_each_answers_garbage_collected(make_app) -> None:
    """Questions sent one after another, with no idle second between them: the garbage of
    each answer is collected before the next one is sent."""
    app = make_app(chatflow=CHAT_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "/long 300")
        assert app.pacing.garbage_owed
        full: list[float] = []

        def record(phase: str, info: dict) -> None:
            if phase == "start" and info["generation"] == 2:
                full.append(app.pacing.idle_for())

        gc.callbacks.append(record)
        try:
            await ask(pilot, "/long 300")
        finally:
            gc.callbacks.remove(record)
        assert full, "no full collection between the answers"
        assert min(full) < 1.0, "collected only once the user was idle"
