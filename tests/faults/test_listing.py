"""Validated at the door: a listing keeps its usable chatflows and says what it skipped, and
no id reaches a URL path unless it fits one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowise_tui.cli import main
from flowise_tui.flowise import (
    Cause,
    FlowiseClient,
    FlowiseInvalidIdError,
    Listing,
    PredictionRequest,
    is_safe_id,
)
from flowise_tui.flowise.listing import NO_ID, NOT_AN_OBJECT, REPEATED_ID, UNUSABLE_ID
from tests.app.conftest import build_app, ready
from tests.faults.hostile import BAD_LISTING, FLOW_ID, HostileServer
from tests.fuzz.profile import FUZZ


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


async def test_a_listing_keeps_the_good_entries_and_says_why_it_skipped_the_rest(
    hostile: HostileServer,
) -> None:
    async with FlowiseClient(hostile.url("bad-listing")) as client:
        flows = await client.list_chatflows()
    assert isinstance(flows, list) and isinstance(flows, Listing)
    assert [(flow.id, flow.name) for flow in flows] == [
        (FLOW_ID, "Good one"),  # the first entry with an id is kept, not its repeat
        ("good-two", "Good two"),
    ]
    assert Counter(flows.skipped) == {
        REPEATED_ID: 1,
        NO_ID: 2,  # missing and empty
        UNUSABLE_ID: 3,  # a bell, a path and query, 201 characters
        NOT_AN_OBJECT: 1,
    }
    assert len(flows) + len(flows.skipped) == len(BAD_LISTING)
    summary = flows.skipped_summary()
    assert summary is not None and summary.startswith("Skipped 7 chatflows")
    assert f"{UNUSABLE_ID} (3)" in summary


async def test_a_clean_listing_skips_nothing(hostile: HostileServer) -> None:
    async with FlowiseClient(hostile.url("ordinary")) as client:
        flows = await client.list_chatflows()
    assert flows.skipped == [] and flows.skipped_summary() is None


def test_chatflows_prints_the_good_entries_and_warns_of_the_rest(
    hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["chatflows", "--url", hostile.url("bad-listing")])
    out, err = capsys.readouterr()
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [FLOW_ID, "good-two"]
    assert err.startswith("flowise-tui: warning: Skipped 7 chatflows")
    assert "\x07" not in out + err


BAD_IDS = [
    "",
    ".",
    "..",
    "a/b",
    "a?b",
    "a#b",
    "a b",
    "bell\x07",
    "tab\t",
    "\x1b[2J",
    "é",
    "x" * 201,
]

# Every method that puts an id in a URL path, and how to call it with `bad` in that place.
CALLS: dict[str, Callable[[FlowiseClient, str], Awaitable[Any]]] = {
    "get_chatflow": lambda c, bad: c.get_chatflow(bad),
    "is_streaming": lambda c, bad: c.is_streaming(bad),
    "chatbot_config": lambda c, bad: c.chatbot_config(bad),
    "predict": lambda c, bad: c.predict(bad, PredictionRequest("q")),
    "stream_prediction": lambda c, bad: anext(c.stream_prediction(bad, PredictionRequest("q"))),
    "abort (chatflow)": lambda c, bad: c.abort(bad, "chat-1"),
    "abort (chat)": lambda c, bad: c.abort(FLOW_ID, bad),
    "chat_messages": lambda c, bad: c.chat_messages(bad),
    "send_feedback": lambda c, bad: c.send_feedback(bad, chat_id="c", message_id="m", rating="up"),
    "list_feedback": lambda c, bad: c.list_feedback(bad),
    "update_feedback": lambda c, bad: c.update_feedback(bad, rating="up"),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
async def test_an_id_unfit_for_a_path_never_reaches_one(
    call: Callable[[FlowiseClient, str], Awaitable[Any]], bad: str
) -> None:
    """Refused before any request: the port is closed, so a request would fail otherwise."""
    async with FlowiseClient("http://127.0.0.1:9") as client:
        with pytest.raises(FlowiseInvalidIdError) as caught:
            await call(client, bad)
    assert caught.value.cause is Cause.BAD_ID
    assert "is not a usable" in str(caught.value)
    assert not any(ch in str(caught.value) for ch in "\x07\t\x1b")


@FUZZ
@given(st.text(max_size=30) | st.from_regex(r"[A-Za-z0-9._~/?#% -]{0,30}", fullmatch=True))
def test_a_safe_id_is_its_own_path_segment(text: str) -> None:
    """The rule is sound: an id it lets through is one whole path segment, exactly as it
    is; httpx neither escapes it, nor resolves it away, nor reads a query into it."""
    if not is_safe_id(text):
        return
    url = httpx.URL(f"http://h/api/v1/chatflows/{text}")
    assert url.path == f"/api/v1/chatflows/{text}" and url.query == b""
    assert url.raw_path.decode("ascii") == f"/api/v1/chatflows/{text}"


def test_ask_for_a_name_with_a_control_character_is_a_clear_error(
    hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ask", "--url", hostile.url("ordinary"), "bell\x07id", "q"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "No chatflow is named 'bell\\x07id'" in err
    assert "\x07" not in err and "Traceback" not in err


@pytest.mark.parametrize("session", ["a/b", "bell\x07", ""])
def test_ask_refuses_a_session_unfit_for_a_path(
    session: str, hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["ask", "--url", hostile.url("ordinary"), "--session", session, FLOW_ID, "q"]
    code = main(argv)
    _, err = capsys.readouterr()
    assert code == 2 and "is not a usable id" in err
    assert "\x07" not in err


async def test_get_chatflow_keeps_the_id_it_asked_for(hostile: HostileServer) -> None:
    async with FlowiseClient(hostile.url("bad-listing")) as client:
        flow = await client.get_chatflow("good-two")
    assert flow.id == "good-two"


async def test_the_picker_lists_the_good_entries_and_says_what_it_skipped(
    hostile: HostileServer, tmp_path
) -> None:
    app = build_app(tmp_path, url=hostile.url("bad-listing"))
    async with app.run_test(size=(140, 44)) as pilot:
        await ready(pilot)
        assert [flow.id for flow in app.chat.chatflows] == [FLOW_ID, "good-two"]
        note = str(app.chat.query_one("#picker-note").render())
        assert note.startswith("2 chatflows\n7 skipped:")
        assert f"{UNUSABLE_ID} (3)" in note


async def test_any_listed_id_finds_its_chatflow(hostile: HostileServer) -> None:
    async with FlowiseClient(hostile.url("bad-listing")) as client:
        found = await client.find_chatflow("good-two")  # not a UUID, and not a name
    assert (found.id, found.name) == ("good-two", "Good two")
