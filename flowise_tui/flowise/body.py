"""A reply's body as the server meant it, never holding more than the client allows.

httpx inflates a gzip body one network read at a time, and one read of 64 KiB can inflate
to 64 MiB. Here gzip and deflate are inflated at most `CHUNK` bytes at a time, so a body's
cost is bounded by the limit the reader sets, whatever it inflates to. The client asks for
no other encoding; a body in one it did not ask for is refused.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator

import httpx

CHUNK = 64 * 1024
ACCEPTED_ENCODINGS = "gzip, deflate"
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class BodyTooLarge(Exception):
    """The body is larger than the reader's limit."""


class BodyStalled(Exception):
    """Nothing of the body came within the idle time."""


class BodyUndecodable(Exception):
    """The body does not decompress, or comes in an encoding the client did not ask for."""


def body_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The decoded bytes of a streamed `response`, at most `CHUNK` at a time when inflated."""
    try:
        content = response.content  # read already, as a transport in a test may give it
    except httpx.ResponseNotRead:
        pass
    else:
        return _once(content)
    encodings = [
        name
        for name in (part.strip().lower() for part in response.headers.get_list("content-encoding"))
        if name and name != "identity"
    ]
    if not encodings:
        return response.aiter_raw()
    if len(encodings) == 1 and encodings[0] in _WBITS:
        return _inflated(response.aiter_raw(), encodings[0])
    raise BodyUndecodable(f"a body encoded as {', '.join(encodings)}")


async def _once(content: bytes) -> AsyncIterator[bytes]:
    yield content


async def _inflated(raw: AsyncIterator[bytes], encoding: str) -> AsyncIterator[bytes]:
    inflater = zlib.decompressobj(_WBITS[encoding])
    first = encoding == "deflate"  # "deflate" is zlib-wrapped, or raw from some servers
    try:
        async for data in raw:
            if first and data:
                first = False
                try:
                    head = inflater.decompress(data, CHUNK)
                except zlib.error:
                    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    head = inflater.decompress(data, CHUNK)
                if head:
                    yield head
                data = inflater.unconsumed_tail
            while data and not inflater.eof:
                out = inflater.decompress(data, CHUNK)
                data = inflater.unconsumed_tail
                if out:
                    yield out
        if tail := inflater.flush():
            yield tail
    except zlib.error as exc:
        raise BodyUndecodable(f"a {encoding} body that does not decompress ({exc})") from None


async def read_body(
    response: httpx.Response, limit: int, *, idle: float, truncate: bool = False
) -> bytes:
    """The decoded body, at most `limit` bytes: beyond that, `BodyTooLarge`, or with
    `truncate` its first `limit` bytes. `BodyStalled` when a gap lasts `idle` seconds."""
    buffer = bytearray()
    chunks = body_chunks(response)
    try:
        while True:
            try:
                async with asyncio.timeout(idle):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                break
            except TimeoutError:
                raise BodyStalled() from None
            buffer += chunk
            if len(buffer) > limit:
                if truncate:
                    del buffer[limit:]
                    break
                raise BodyTooLarge()
    finally:
        await _close(chunks)
    return bytes(buffer)


async def _close(chunks: AsyncIterator[bytes]) -> None:
    aclose = getattr(chunks, "aclose", None)
    if aclose is not None:
        await aclose()
