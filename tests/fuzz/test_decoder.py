"""Property tests of the event decoder, through the client's real streaming code path.

The bytes reach `FlowiseClient.stream_prediction` as an `httpx.Response` body streamed
by httpx's own in-memory transport, in the pieces hypothesis chose: everything from the
status check to the SSE parser, the JSON envelope and the typed events runs for real.
"""

from __future__ import annotations

import asyncio
import json

import httpx
from hypothesis import given
from hypothesis import strategies as st

from flowise_tui.app import render
from flowise_tui.conversation import Turn
from flowise_tui.flowise import FlowiseClient, FlowiseError, PredictionRequest
from flowise_tui.flowise.events import EndEvent, FlowiseEvent, decode_sse
from flowise_tui.flowise.sse import SSEParser
from flowise_tui.text import json_line
from tests.fuzz.profile import FUZZ
from tests.fuzz.strategies import RECORDINGS, split, streams
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
    replayed = Turn.replay("q", json.loads(json.dumps(turn.events, default=str)))
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
        messages = [m for piece in pieces for m in parser.feed(piece)] + parser.close()
        return [(m.event, m.data) for m in messages]

    assert parse(data.draw(split(body))) == parse([body])


@FUZZ
@given(st.text(max_size=40), st.text(max_size=200))
def test_decode_sse_never_raises(event: str, data: str) -> None:
    decoded = decode_sse(event, data)
    if decoded is not None:
        json_line(decoded.envelope())
