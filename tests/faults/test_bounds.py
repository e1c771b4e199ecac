"""Every reply is bounded in size after decompression, and in time, whatever the server does.

The memory a reply costs is measured inside each test (tracemalloc's peak, which counts every
thread, the hostile server's too), so a broken bound fails it rather than the machine. Each
wait is bounded by `asyncio.wait_for`: a broken time bound fails the test, never hangs it.
"""

from __future__ import annotations

import asyncio
import gzip
import struct
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from flowise_tui.cli import main
from flowise_tui.flowise import (
    Cause,
    FlowiseClient,
    FlowiseConnectionError,
    FlowiseError,
    FlowiseProtocolError,
    FlowiseServerError,
    FlowiseTimeoutError,
    Limits,
    PredictionRequest,
)
from flowise_tui.flowise.body import CHUNK, body_chunks
from tests.faults.hostile import (
    FLOW_ID,
    GIB,
    MIB,
    HostileServer,
    _bomb,
    gzip_bomb,
    gzip_event_bomb,
)


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


SMALL = Limits(max_reply_bytes=MIB, max_event_bytes=MIB, max_stream_bytes=4 * MIB)
PATIENCE = 30.0  # the most any one of these may take, even on a loaded machine


@contextmanager
def peak_memory() -> Iterator[list[int]]:
    """The peak of traced memory inside the block, in bytes, in the list it yields."""
    result: list[int] = []
    tracemalloc.start()
    try:
        yield result
    finally:
        result.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


async def failure(
    call: Callable[[FlowiseClient], Awaitable[Any]], url: str, limits: Limits
) -> FlowiseError:
    """The error `call` ends in, within PATIENCE seconds."""
    async with FlowiseClient(url, limits=limits) as client:
        with pytest.raises(FlowiseError) as caught:
            await asyncio.wait_for(call(client), PATIENCE)
    return caught.value


async def drain(client: FlowiseClient) -> None:
    async for _ in client.stream_prediction(FLOW_ID, PredictionRequest("q")):
        pass


def test_the_bombs_inflate_to_what_they_claim() -> None:
    """A bomb is one block repeated: checked whole for a few repeats, then by its size."""
    for block, repeats in ((bytes(MIB), 3), (b"token\n\n" * 999, 17)):
        assert gzip.decompress(_bomb(block, repeats)) == block * repeats
    bomb = gzip_bomb()
    assert len(bomb) < 2 * MIB
    assert struct.unpack("<I", bomb[-4:])[0] == GIB  # the inflated size gzip records


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda client: client.list_chatflows(), id="listing"),
        pytest.param(lambda client: client.predict(FLOW_ID, PredictionRequest("q")), id="predict"),
    ],
)
async def test_a_gzip_bomb_costs_the_limit_not_what_it_inflates_to(
    call: Callable[[FlowiseClient], Awaitable[Any]], hostile: HostileServer
) -> None:
    gzip_bomb()  # built before measuring: it is the server's, not the client's
    with peak_memory() as peak:
        error = await failure(call, hostile.url("gzip-bomb"), SMALL)
    assert isinstance(error, FlowiseProtocolError) and error.cause is Cause.TOO_LARGE
    assert "larger than 1 MB" in str(error)
    # The 1 MiB limit, a piece more, the bytes made of it, the server's 1 MB body in flight.
    assert peak[0] < 8 * MIB, f"peak {peak[0]:,} bytes for a 1 MiB limit"


async def test_a_gzip_bomb_within_the_default_limits(hostile: HostileServer) -> None:
    gzip_bomb()
    with peak_memory() as peak:
        error = await failure(
            lambda client: client.list_chatflows(), hostile.url("gzip-bomb"), Limits()
        )
    assert error.cause is Cause.TOO_LARGE
    assert peak[0] < 100 * MIB, f"peak {peak[0]:,} bytes for a 1 GiB bomb"


async def test_an_error_body_is_read_only_for_its_message(hostile: HostileServer) -> None:
    gzip_bomb()
    with peak_memory() as peak:
        error = await failure(
            lambda client: client.list_chatflows(), hostile.url("gzip-bomb-error"), Limits()
        )
    assert isinstance(error, FlowiseServerError) and error.status_code == 500
    assert peak[0] < 8 * MIB, f"peak {peak[0]:,} bytes for the message of an error"


async def test_a_gzip_bomb_in_a_stream_is_one_event_too_large(
    hostile: HostileServer,
) -> None:
    """1 GiB of zeros holds no blank line: a single event, cut at the event limit."""
    gzip_bomb()
    limits = Limits(max_event_bytes=MIB, max_stream_bytes=GIB)
    with peak_memory() as peak:
        error = await failure(drain, hostile.url("gzip-zeros-stream"), limits)
    assert isinstance(error, FlowiseProtocolError) and error.cause is Cause.OVERSIZED
    assert peak[0] < 16 * MIB, f"peak {peak[0]:,} bytes"


async def test_a_whole_stream_is_bounded(hostile: HostileServer) -> None:
    """Small events, fast and without end: the stream is cut at `max_stream_bytes`."""
    gzip_event_bomb()
    seen = 0

    async def count(client: FlowiseClient) -> None:
        nonlocal seen
        async for _ in client.stream_prediction(FLOW_ID, PredictionRequest("q")):
            seen += 1

    error = await failure(count, hostile.url("gzip-bomb-stream"), SMALL)
    assert isinstance(error, FlowiseProtocolError) and error.cause is Cause.TOO_LARGE
    assert "larger than 4 MB" in str(error)
    event_size = 42  # the hostile server's token events
    assert 0 < seen <= 4 * MIB // event_size


async def test_an_endless_page_is_not_read(hostile: HostileServer) -> None:
    with peak_memory() as peak:
        error = await failure(
            lambda client: client.list_chatflows(), hostile.url("endless-html"), Limits()
        )
    assert error.cause is Cause.NOT_FLOWISE and "a web page" in str(error)
    assert peak[0] < 8 * MIB


async def test_an_endless_error_page_is_read_to_its_first_bytes(
    hostile: HostileServer,
) -> None:
    with peak_memory() as peak:
        error = await failure(
            lambda client: client.version(), hostile.url("endless-html-error"), Limits()
        )
    assert isinstance(error, FlowiseServerError) and error.status_code == 502
    assert peak[0] < 8 * MIB


async def test_an_endless_json_reply_stops_at_the_limit(hostile: HostileServer) -> None:
    with peak_memory() as peak:
        error = await failure(
            lambda client: client.list_chatflows(), hostile.url("endless-json"), SMALL
        )
    assert error.cause is Cause.TOO_LARGE
    assert peak[0] < 8 * MIB


async def test_a_dripping_reply_is_bounded_as_a_whole(hostile: HostileServer) -> None:
    """One byte a second never leaves a gap of 5 s; the whole reply still may not take
    longer than the reply timeout."""
    limits = Limits(reply_timeout=1.5, idle_timeout=5)
    error = await failure(lambda client: client.version(), hostile.url("drip-json"), limits)
    assert isinstance(error, FlowiseTimeoutError) and error.cause is Cause.REPLY_TIMEOUT
    assert "within 1.5 s" in str(error)


async def test_a_gap_in_a_reply_is_bounded(hostile: HostileServer) -> None:
    limits = Limits(reply_timeout=60, idle_timeout=0.3)
    error = await failure(lambda client: client.version(), hostile.url("drip-json"), limits)
    assert isinstance(error, FlowiseTimeoutError) and error.cause is Cause.READ_TIMEOUT
    assert "nothing came for 0.3 s" in str(error)


async def test_a_reply_within_its_bounds_arrives(hostile: HostileServer) -> None:
    async with FlowiseClient(hostile.url("ordinary"), limits=SMALL) as client:
        assert [flow.id for flow in await client.list_chatflows()] == [FLOW_ID]
        assert await client.ping() == "pong"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
async def test_a_compressed_reply_within_the_limit_is_read(
    encoding: str, hostile: HostileServer
) -> None:
    async with FlowiseClient(hostile.url(encoding), limits=SMALL) as client:
        assert [flow.id for flow in await client.list_chatflows()] == [FLOW_ID]
        assert await client.ping() == "pong"
        events = await client.predict(FLOW_ID, PredictionRequest("q"))
    assert "an honest answer" in [getattr(event, "text", None) for event in events]


async def test_an_encoding_not_asked_for_is_refused(hostile: HostileServer) -> None:
    error = await failure(lambda client: client.version(), hostile.url("brotli"), SMALL)
    assert error.cause is Cause.UNDECODABLE and "br" in str(error)


async def test_a_bomb_is_inflated_a_piece_at_a_time(hostile: HostileServer) -> None:
    """Whatever the limit, no piece is larger than CHUNK: the limit is the whole cost."""
    sizes: list[int] = []
    url = hostile.url("gzip-bomb") + "/api/v1/chatflows"
    async with httpx.AsyncClient() as http, http.stream("GET", url) as response:
        assert response.headers["content-encoding"] == "gzip"
        async for chunk in body_chunks(response):
            sizes.append(len(chunk))
            if sum(sizes) >= 16 * MIB:
                break
    assert max(sizes) == CHUNK and sum(sizes) >= 16 * MIB


async def test_an_unusable_base_url_is_an_error_not_a_traceback() -> None:
    async with FlowiseClient("http://bell\x07host:3000") as client:
        with pytest.raises(FlowiseConnectionError) as caught:
            await client.ping()
    assert caught.value.cause is Cause.BAD_URL


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["ask", "--no-stream", FLOW_ID, "q"], id="ask --no-stream"),
        pytest.param(["chatflows"], id="chatflows"),
    ],
)
def test_the_command_line_meets_a_gzip_bomb_with_its_default_limits(
    argv: list[str], hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    gzip_bomb()
    command, *rest = argv
    with peak_memory() as peak:
        code = main([command, "--url", hostile.url("gzip-bomb"), *rest])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "is larger than 16 MB" in err and "[limits]" in err
    assert peak[0] < 100 * MIB, f"peak {peak[0]:,} bytes for a 1 GiB bomb"


@pytest.mark.parametrize("behaviour", ["endless-html", "endless-html-error", "endless-json"])
def test_ask_meets_an_endless_reply(
    behaviour: str, hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with peak_memory() as peak:
        code = main(["ask", "--url", hostile.url(behaviour), FLOW_ID, "q"])
    _, err = capsys.readouterr()
    assert code == 1 and err.startswith("flowise-tui: ") and "Traceback" not in err
    assert peak[0] < 100 * MIB, f"peak {peak[0]:,} bytes"
