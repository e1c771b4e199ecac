"""Property tests of the event decoder, through the client's real streaming code path.

The bytes reach `FlowiseClient.stream_prediction` as an `httpx.Response` body streamed
by httpx's own in-memory transport, in the pieces hypothesis chose: everything from the
status check to httpx-sse's reader, the JSON envelope and the typed events runs for real.
"""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowise_tui.app import render, step_views
from flowise_tui.app.screens.document import chunk_content
from flowise_tui.app.source_views import chunk_row, group_row
from flowise_tui.conversation import Turn
from flowise_tui.flowise import Cause, FlowiseClient, FlowiseError, Limits, PredictionRequest
from flowise_tui.flowise.coerce import load_json
from flowise_tui.flowise.events import EndEvent, FlowiseEvent, build_event, decode_sse
from flowise_tui.flowise.sse import open_event_stream
from flowise_tui.sources import group_sources, in_order
from flowise_tui.text import json_line
from tests.fuzz.profile import FUZZ
from tests.fuzz.strategies import RECORDINGS, flowise_streams, json_values, split, streams
from tests.replay import recorded_events

FLOW = "00000000-0000-4000-8000-000000000000"


class Pieces(httpx.AsyncByteStream):
    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces

    async def __aiter__(self):
        for piece in self.pieces:
            yield piece


def serve(pieces: list[bytes], content_type: str) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if "/chatflows-streaming/" in request.url.path:
            return httpx.Response(200, json={"isStreaming": True})
        headers = {"content-type": content_type}
        return httpx.Response(200, headers=headers, stream=Pieces(pieces))

    return httpx.MockTransport(answer)


def decode(
    pieces: list[bytes],
    *,
    max_event_bytes: int | None = None,
    content_type: str = "text/event-stream",
) -> tuple[list[FlowiseEvent], FlowiseError | None]:
    async def run() -> tuple[list[FlowiseEvent], FlowiseError | None]:
        events: list[FlowiseEvent] = []
        transport = serve(pieces, content_type)
        limits = Limits(max_event_bytes=max_event_bytes) if max_event_bytes else Limits()
        async with FlowiseClient(
            "http://fuzz.invalid", transport=transport, limits=limits
        ) as client:
            try:
                async for event in client.stream_prediction(FLOW, PredictionRequest("q")):
                    events.append(event)
            except FlowiseError as exc:
                return events, exc
        return events, None

    return asyncio.run(run())


def use_like_the_app(events: list[FlowiseEvent]) -> None:
    """What the app, the history and `ask --json` do with each event."""
    turn = Turn("q")
    for event in events:
        turn.apply(event)
        json_line(event.envelope())
    answer = turn.answer
    render.tools_content(answer)
    step_views.entries(answer, streaming=True)
    step_views.trailer(answer)
    render.metadata_content(answer)
    groups = group_sources(answer.sources)
    for group in groups:
        group_row(group)
    for chunk in in_order(groups):
        chunk_row(chunk)
        chunk_content(chunk)
    json.dumps(turn.events, default=str).encode("utf-8")
    stored = json.loads(json.dumps(turn.events, default=str))
    replayed = Turn.replay("q", stored, text=answer.text, token_events=answer.token_events)
    assert [e["event"] for e in replayed.events] == [e["event"] for e in turn.events]
    assert replayed.answer.text == answer.text


@FUZZ
@given(st.data(), streams)
def test_any_bytes_split_anywhere_give_events_or_a_client_error(
    data: st.DataObject, body: bytes
) -> None:
    pieces = data.draw(split(body))
    events, error = decode(pieces)
    assert error is None or type(error).__module__ == "flowise_tui.flowise.errors"
    if error is None:
        assert isinstance(events[-1], EndEvent)
    else:
        assert str(error) and "\x1b" not in str(error)
    use_like_the_app(events)


@FUZZ
@given(st.data(), st.sampled_from(sorted(RECORDINGS)))
def test_recordings_split_anywhere_decode_to_the_recorded_events(
    data: st.DataObject, name: str
) -> None:
    body = RECORDINGS[name]
    events, error = decode(data.draw(split(body)))
    expected = recorded_events(body)
    assert [(e.event, e.payload) for e in events] == expected
    if name == "client_disconnect_slow_stream":
        assert error is not None and "before the answer was complete" in str(error)
    else:
        assert error is None and isinstance(events[-1], EndEvent)


def sse_messages(pieces: list[bytes]) -> tuple[list[tuple[str, str]], bool]:
    """What httpx-sse reads from `pieces` as the client hands them over (event "message" is
    the standard's ""), and whether the client saw a heartbeat comment."""

    async def run() -> tuple[list[tuple[str, str]], bool]:
        response = httpx.Response(200, stream=Pieces(pieces))
        source, meter = open_event_stream(response)
        messages = [
            ("" if m.event == "message" else m.event, m.data) async for m in source.aiter_sse()
        ]
        return messages, meter.heartbeats

    return asyncio.run(run())


def reference_messages(body: bytes) -> list[tuple[str, str]]:
    """The WHATWG event-stream algorithm, line by line over the whole body at once, with
    httpx-sse's one difference (see flowise_tui/flowise/sse.py): a message with an `event:`
    and no `data:` line is dispatched too, with empty data."""
    messages, event, data = [], "", None
    for line in reference_lines(body):
        if not line:
            if data is not None or event:
                messages.append((event, "\n".join(data or [])))
            event, data = "", None
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data = [*(data or []), value]
        elif name == "event":
            event = value
    return messages


def reference_lines(body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace").removeprefix("\ufeff")
    return re.split(r"\r\n|\r|\n", text)[:-1]


def meaningful(messages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Without the messages that carry nothing (no name, no data), which decode to no event.
    httpx-sse dispatches one for every blank line once an `id:` came, the standard none."""
    return [(event, data) for event, data in messages if event or data]


@FUZZ
@given(st.data(), streams, st.sampled_from([b"\n", b"\r", b"\r\n"]))
def test_the_reader_gives_the_same_messages_however_the_bytes_are_cut(
    data: st.DataObject, body: bytes, newline: bytes
) -> None:
    body = body.replace(b"\n", newline)
    assert sse_messages(data.draw(split(body))) == sse_messages([body])


@FUZZ
@given(st.data(), flowise_streams, st.sampled_from([b"\n", b"\r\n"]))
def test_the_reader_agrees_with_the_standard_line_by_line(
    data: st.DataObject, body: bytes, newline: bytes
) -> None:
    body = body.replace(b"\n", newline)
    parsed, _ = sse_messages(data.draw(split(body)))
    assert meaningful(parsed) == meaningful(reference_messages(body))


@FUZZ
@given(flowise_streams, st.integers(1, 4))
def test_a_chunk_per_message_reads_as_the_standard_says(body: bytes, per_chunk: int) -> None:
    """As a server that flushes each event sends it: chunks that end where messages do."""
    *complete, rest = body.split(b"\n\n")
    pieces = [
        b"".join(m + b"\n\n" for m in complete[i : i + per_chunk])
        for i in range(0, len(complete), per_chunk)
    ]
    pieces.append(rest)
    assert b"".join(pieces) == body
    parsed, _ = sse_messages(pieces)
    assert meaningful(parsed) == meaningful(reference_messages(body))


@FUZZ
@given(st.data(), streams, st.sampled_from([b"\n", b"\r", b"\r\n"]))
def test_a_heartbeat_is_seen_however_the_bytes_are_cut(
    data: st.DataObject, body: bytes, newline: bytes
) -> None:
    """Heartbeats are comment lines, the last one finished or not; the one the client misses
    is a first line after a byte order mark (it looks at bytes), which no server sends."""
    body = body.replace(b"\n", newline).removeprefix(b"\xef\xbb\xbf")
    _, heartbeats = sse_messages(data.draw(split(body)))
    lines = reference_lines(body + b"\n")
    assert heartbeats == any(line.startswith(":") for line in lines)


def envelope(text: str) -> bytes:
    return b"message:\ndata:" + json.dumps({"event": "token", "data": text}).encode() + b"\n\n"


@FUZZ
@given(st.data(), st.lists(st.integers(0, 900), min_size=1, max_size=20), st.integers(0, 19))
def test_the_size_bound_holds_for_each_event_not_for_the_stream(
    data: st.DataObject, sizes: list[int], big: int
) -> None:
    """Events up to the bound are read however many and however cut; one larger than it
    ends the stream with the client's error, the events before it kept."""
    limit = 1000
    small = [envelope("x" * size) for size in sizes]
    end = b'message:\ndata:{"event":"end","data":"[DONE]"}\n\n'
    assert max(map(len, small)) <= limit
    events, error = decode(data.draw(split(b"".join(small) + end)), max_event_bytes=limit)
    assert error is None and len(events) == len(sizes) + 1
    big = big % (len(sizes) + 1)
    oversized = [*small[:big], envelope("y" * limit), *small[big:], end]
    events, error = decode(data.draw(split(b"".join(oversized))), max_event_bytes=limit)
    assert isinstance(error, FlowiseError) and error.cause is Cause.OVERSIZED
    assert [e.text for e in events] == ["x" * size for size in sizes[:big]]


@pytest.mark.parametrize("charset", ["", "; charset=iso-8859-1", "; charset=utf-16"])
def test_the_stream_is_utf8_whatever_charset_the_server_names(charset: str) -> None:
    body = "\ufeffmessage:\ndata:" + json.dumps({"event": "token", "data": "é ✓"}) + "\n\n"
    body += 'message:\ndata:{"event":"end","data":"[DONE]"}\n\n'
    events, error = decode([body.encode()], content_type="text/event-stream" + charset)
    assert error is None and [e.payload for e in events] == ["é ✓", "[DONE]"]


@FUZZ
@given(st.text(max_size=30), st.sampled_from(["token", "start", "end", "x"]), st.booleans())
def test_a_token_envelope_decodes_as_the_general_path_does(
    text: str, other: str, duplicate: bool
) -> None:
    data = json.dumps({"event": "token", "data": text}, ensure_ascii=False, separators=(",", ":"))
    if duplicate:
        data = data[:-1] + f',"event":"{other}"}}'
    envelope = load_json(data)
    expected = build_event(envelope["event"], envelope.get("data"))
    assert decode_sse("", data) == expected


@FUZZ
@given(st.text(max_size=60) | json_values.map(json.dumps))
def test_load_json_reads_what_json_loads_reads(text: str) -> None:
    try:
        expected = json.loads(text, parse_constant=lambda _: None)  # NaN is not JSON: null
    except (ValueError, RecursionError):
        with pytest.raises(ValueError):
            load_json(text)
        return
    if "\\u" in text:
        return
    assert json.dumps(load_json(text)) == json.dumps(expected)


@FUZZ
@given(st.text(max_size=40), st.text(max_size=200))
def test_decode_sse_never_raises(event: str, data: str) -> None:
    decoded = decode_sse(event, data)
    if decoded is not None:
        json_line(decoded.envelope())
