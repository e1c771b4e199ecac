"""Server-sent events read with httpx-sse, within the bounds a client facing unknown servers needs.

httpx-sse's `EventSource.aiter_sse()` reads the event stream (lines end in CRLF, LF or CR,
`:` starts a comment, unknown fields are ignored, an unfinished message at the end of the
stream is dropped). It reads a response; `open_event_stream` gives it one whose bytes pass
through a `Meter` first, which adds what the standard asks and a client needs:

- UTF-8 always, whatever charset the server names, invalid bytes as U+FFFD, one leading
  byte order mark dropped;
- a message (the bytes between two blank lines) larger than `max_size` stops the stream
  with a `FlowiseProtocolError` before httpx-sse holds it, instead of filling the memory;
- so does a whole stream larger than `max_total`, counted after decompression (a gzip
  stream is inflated a bounded piece at a time, see `body.py`);
- what was read: the bytes, and whether any comment (a keep-alive heartbeat) came.

For speed the `Meter` also decodes the text httpx-sse reads (one generator per chunk where
there were five) and leaves out the `message:` line that opens each message of Flowise's own
framing, a field the standard ignores anyway.

One difference from the standard remains, httpx-sse's: a message with an `event:` line and
no `data:` line is dispatched, with empty data, where the standard drops it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import AsyncIterator

import httpx
from httpx_sse import EventSource

from flowise_tui.flowise.body import body_chunks
from flowise_tui.flowise.errors import Cause, FlowiseProtocolError
from flowise_tui.flowise.limits import Limits

MAX_EVENT_SIZE = Limits.max_event_bytes
MAX_STREAM_SIZE = Limits.max_stream_bytes
_LINE_ENDS = b"\r\n"
_COLON = ord(":")
_MESSAGE_LINE = "message:\n"
_BLANK_LINE = re.compile(rb"\n\n|\r\r|\n\r")


class Meter(httpx.AsyncByteStream):
    """The bytes of a response, counted and bounded on their way to httpx-sse."""

    def __init__(
        self,
        chunks: httpx.AsyncByteStream | AsyncIterator[bytes],
        max_size: int,
        max_total: int = MAX_STREAM_SIZE,
    ) -> None:
        self.max_size = max_size
        self.max_total = max_total
        self.bytes_seen = 0
        self.heartbeats = False
        self._chunks = chunks
        self._pending = 0  # bytes since the last blank line
        self._last = b"\n"  # the byte before the chunk being read

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._chunks:
            if not chunk:
                continue
            cut = self._measure(chunk)
            if cut is not None:
                if cut > 0:
                    yield chunk[:cut]  # the whole messages before the one too large
                raise self._oversized()
            if self.bytes_seen > self.max_total:
                raise self._too_long()
            yield chunk

    async def aiter_text(self) -> AsyncIterator[str]:
        """The same bytes as UTF-8 text, in one step rather than httpx's three layers of
        generators per chunk (a server that flushes each token sends a chunk per token)."""
        decode = codecs.getincrementaldecoder("utf-8-sig")("replace").decode
        async for chunk in self._chunks:
            if not chunk:
                continue
            at_line_start = self._last in _LINE_ENDS
            cut = self._measure(chunk)
            if cut is not None:
                if cut > 0 and (text := decode(chunk[:cut])):
                    yield text
                raise self._oversized()
            if self.bytes_seen > self.max_total:
                raise self._too_long()
            if text := _without_message_lines(decode(chunk), at_line_start):
                yield text
        if text := decode(b"", True):
            yield text

    def _oversized(self) -> FlowiseProtocolError:
        limit = self.max_size / (1024 * 1024)
        return FlowiseProtocolError(
            f"The server sent an event larger than {limit:g} MB; the answer was cut there.",
            cause=Cause.OVERSIZED,
        )

    def _too_long(self) -> FlowiseProtocolError:
        limit = self.max_total / (1024 * 1024)
        return FlowiseProtocolError(
            f"The answer stream grew larger than {limit:g} MB; it was cut there.",
            cause=Cause.TOO_LARGE,
        )

    async def aclose(self) -> None:
        aclose = getattr(self._chunks, "aclose", None)
        if aclose is not None:
            await aclose()

    def _measure(self, chunk: bytes) -> int | None:
        """Counts `chunk`; None, or where in it a message too large begins."""
        size = len(chunk)
        self.bytes_seen += size
        if not self.heartbeats:
            self.heartbeats = (
                chunk.find(b"\n:") >= 0
                or chunk.find(b"\r:") >= 0
                or (chunk[0] == _COLON and self._last in _LINE_ENDS)
            )
        if self._pending + size <= self.max_size and chunk.endswith(b"\n\n"):
            # Whole messages, as a server that flushes each event sends them: none too
            # large, and the next chunk starts a new one.
            self._pending = 0
            self._last = b"\n"
            return None
        start = -self._pending  # where the message under way began, relative to the chunk
        if self._ends_blank_line(chunk[:1]):
            start = 1
        if start + self.max_size >= len(chunk):
            # The common case: no message in the chunk can be too large, and only where
            # the last one ends matters.
            end = chunk.rfind(b"\n\n")
            end = max(end, chunk.rfind(b"\r\r", end + 1), chunk.rfind(b"\n\r", end + 1))
            if end >= 0:
                start = end + 2
        else:
            for blank_line in _BLANK_LINE.finditer(chunk):
                if blank_line.start() - start > self.max_size:
                    return start
                start = blank_line.end()
            if len(chunk) - start > self.max_size:
                return start
        self._pending = len(chunk) - start
        self._last = chunk[-1:]
        return None

    def _ends_blank_line(self, first: bytes) -> bool:
        """Whether the chunk's first byte ends a blank line begun by the chunk before: two
        line ends in a row make one, but for CR then LF, which is a single line end."""
        return first in _LINE_ENDS and self._last in _LINE_ENDS and self._last + first != b"\r\n"


def _without_message_lines(text: str, at_line_start: bool) -> str:
    """`text` without the `message:` line that opens each message of Flowise's own framing:
    a field the standard ignores, so httpx-sse has a third fewer lines to read. Only whole
    LF-ended lines known to start a line go; any other is left to httpx-sse to ignore."""
    if at_line_start and text.startswith(_MESSAGE_LINE):
        text = text[len(_MESSAGE_LINE) :]
    return text.replace("\n" + _MESSAGE_LINE, "\n")


class _MeteredResponse(httpx.Response):
    """What httpx-sse reads: the `Meter`'s bytes, whose text comes from `Meter.aiter_text`.
    Any other way of reading the response goes through the `Meter` too, as its stream."""

    def __init__(self, meter: Meter) -> None:
        super().__init__(200, headers={"content-type": "text/event-stream"}, stream=meter)
        self.encoding = "utf-8-sig"  # UTF-8 with one leading byte order mark dropped
        self._meter = meter

    def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        if chunk_size is not None:
            return super().aiter_text(chunk_size)
        if self.is_stream_consumed:
            raise httpx.StreamConsumed()
        self.is_stream_consumed = True
        return self._meter.aiter_text()


def open_event_stream(
    response: httpx.Response, max_size: int = MAX_EVENT_SIZE, max_total: int = MAX_STREAM_SIZE
) -> tuple[EventSource, Meter]:
    """httpx-sse's reader of `response`, and the `Meter` its bytes go through first.
    Raises `BodyUndecodable` for a content encoding the client did not ask for."""
    # Without a content encoding the bytes are those of the transport's stream, read there
    # rather than through `aiter_raw`, one generator fewer per chunk; closing `response`
    # closes it.
    if "content-encoding" in response.headers or not isinstance(
        response.stream, httpx.AsyncByteStream
    ):
        chunks: httpx.AsyncByteStream | AsyncIterator[bytes] = body_chunks(response)
    else:
        chunks = response.stream
    meter = Meter(chunks, max_size, max_total)
    return EventSource(_MeteredResponse(meter)), meter
