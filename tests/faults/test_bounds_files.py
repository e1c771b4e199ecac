"""A file downloaded from the server's storage is bounded by `max_file_bytes`, not by the
reply limit, whatever the server sends: a body without end, a gzip bomb (over loopback, from
the hostile server)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flowise_tui.flowise import Cause, FlowiseClient, FlowiseProtocolError, Limits
from tests.faults.hostile import BIG_FILE, FLOW_ID, MIB, HostileServer, gzip_bomb
from tests.faults.test_bounds import failure, peak_memory

CHAT_ID = "c1"


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


@pytest.mark.parametrize("annotation", [False, True], ids=["artifact", "annotation"])
@pytest.mark.parametrize("behaviour", ["endless-file", "gzip-bomb"])
async def test_a_file_without_end_costs_the_file_limit(
    behaviour: str, annotation: bool, hostile: HostileServer
) -> None:
    gzip_bomb()  # built before measuring: it is the server's, not the client's
    limits = Limits(max_reply_bytes=64 * MIB, max_file_bytes=MIB)
    with peak_memory() as peak:
        error = await failure(
            lambda client: client.download_file(FLOW_ID, CHAT_ID, "x.png", annotation=annotation),
            hostile.url(behaviour),
            limits,
        )
    assert isinstance(error, FlowiseProtocolError) and error.cause is Cause.TOO_LARGE
    assert "larger than 1 MB" in str(error)
    assert peak[0] < 8 * MIB, f"peak {peak[0]:,} bytes for a 1 MiB file limit"


async def test_a_file_above_the_reply_limit_but_within_the_file_limit_arrives(
    hostile: HostileServer,
) -> None:
    limits = Limits(max_reply_bytes=MIB, max_file_bytes=4 * MIB)
    async with FlowiseClient(hostile.url("big-file"), limits=limits) as client:
        assert await client.download_file(FLOW_ID, CHAT_ID, "x.png") == BIG_FILE


async def test_a_file_above_the_file_limit_is_refused_whatever_the_reply_limit(
    hostile: HostileServer,
) -> None:
    limits = Limits(max_reply_bytes=64 * MIB, max_file_bytes=2 * MIB)
    error = await failure(
        lambda client: client.download_file(FLOW_ID, CHAT_ID, "x.png", annotation=True),
        hostile.url("big-file"),
        limits,
    )
    assert error.cause is Cause.TOO_LARGE and "larger than 2 MB" in str(error)
