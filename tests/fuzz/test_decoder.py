"""Property tests of the event decoder, through the client's real streaming code path.

The bytes reach `FlowiseClient.stream_prediction` as an `httpx.Response` body streamed
by httpx's own in-memory transport, in the pieces hypothesis chose: everything from the
status check to the SSE parser, the JSON envelope and the typed events runs for real.
"""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowise_tui.app import render
from flowise_tui.conversation import Turn
from flowise_tui.flowise import FlowiseClient, FlowiseError, PredictionRequest
from flowise_tui.flowise.coerce import load_json
from flowise_tui.flowise.events import EndEvent, FlowiseEvent, build_event, decode_sse
from flowise_tui.flowise.sse import SSEParser
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


def serve(pieces: list[bytes]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if "/chatflows-streaming/" in request.url.path:
            return httpx.Response(200, json={"isStreaming": True})
        headers = {"content-type": "text/event-stream"}
        return httpx.Response(200, headers=headers, stream=Pieces(pieces))

    return httpx.MockTransport(answer)


def decode(pieces: list[bytes]) -> tuple[list[FlowiseEvent], FlowiseError | None]:
    async def run() -> tuple[list[FlowiseEvent], FlowiseError | None]:
        events: list[FlowiseEvent] = []
        async with FlowiseClient("http://fuzz.invalid", transport=serve(pieces)) as client:
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
    render.steps_content(answer)
    render.metadata_content(answer)
    for document in answer.sources:
        render.source_summary(document)
        render.document_content(document)
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


@FUZZ
@given(st.data(), streams, st.sampled_from([b"\n", b"\r", b"\r\n"]))
def test_the_parser_gives_the_same_messages_however_the_bytes_are_cut(
    data: st.DataObject, body: bytes, newline: bytes
) -> None:
    body = body.replace(b"\n", newline)

    def parse(pieces: list[bytes]) -> list[tuple[str, str]]:
        parser = SSEParser()
        return [m for piece in pieces for m in parser.feed(piece)] + parser.close()

    assert parse(data.draw(split(body))) == parse([body])


def reference_messages(body: bytes) -> list[tuple[str, str]]:
    """The WHATWG event-stream algorithm, line by line over the whole body at once."""
    text = body.decode("utf-8", "replace").removeprefix("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text)[:-1]
    messages, event, data = [], "", None
    for line in lines:
        if not line:
            if data is not None:
                messages.append((event, "\n".join(data)))
            event, data = "", None
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data = [*(data or []), value]
        elif name == "event":
            event = value
    return messages


@FUZZ
@given(st.data(), flowise_streams, st.sampled_from([b"\n", b"\r\n"]))
def test_the_parser_agrees_with_the_standard_line_by_line(
    data: st.DataObject, body: bytes, newline: bytes
) -> None:
    body = body.replace(b"\n", newline)
    parser = SSEParser()
    pieces = data.draw(split(body))
    parsed = [m for piece in pieces for m in parser.feed(piece)] + parser.close()
    assert parsed == reference_messages(body)


@FUZZ
@given(flowise_streams, st.integers(1, 4))
def test_a_chunk_per_message_parses_as_the_standard_says(body: bytes, per_chunk: int) -> None:
    """As a server that flushes each event sends it: chunks that end where messages do."""
    *complete, rest = body.split(b"\n\n")
    pieces = [
        b"".join(m + b"\n\n" for m in complete[i : i + per_chunk])
        for i in range(0, len(complete), per_chunk)
    ]
    pieces.append(rest)
    assert b"".join(pieces) == body
    parser = SSEParser()
    parsed = [m for piece in pieces for m in parser.feed(piece)] + parser.close()
    assert parsed == reference_messages(body)


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
        expected = json.loads(text)
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
