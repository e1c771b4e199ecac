"""A bounded server-sent-events parser: bytes in, `(event, data)` messages out.

It follows the WHATWG event-stream rules (UTF-8 always, lines end in CRLF, LF or CR,
`:` starts a comment, unknown fields are ignored, an unfinished message at the end of
the stream is dropped) and adds what a client facing unknown servers needs: invalid
UTF-8 becomes U+FFFD, and a line or a message larger than `max_size` characters stops
the stream with a `FlowiseProtocolError` instead of filling the memory.
"""

from __future__ import annotations

import codecs
import re
from itertools import repeat

from flowise_tui.flowise.errors import FlowiseProtocolError

MAX_EVENT_SIZE = 16 * 1024 * 1024
_LINE_END = re.compile(r"\r\n|\r|\n")


SSEMessage = tuple[str, str]
"""One message: its `event` field ("" when it had none) and its joined `data` lines."""

_FLOWISE_PREFIX = "message:\ndata:"
_FLOWISE_SEPARATOR = "\n\n" + _FLOWISE_PREFIX


class SSEParser:
    """Feed it byte chunks split anywhere; it returns the messages they complete."""

    def __init__(self, max_size: int = MAX_EVENT_SIZE) -> None:
        self.max_size = max_size
        self.comments = 0
        self.ignored_lines = 0
        self.bytes_seen = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._partial: list[str] = []
        self._partial_size = 0
        self._pending_cr = False
        self._first_text = True
        self._event = ""
        self._data: list[str] = []
        self._data_size = 0
        self._has_data = False

    def feed(self, chunk: bytes) -> list[SSEMessage]:
        self.bytes_seen += len(chunk)
        return self._text(self._decoder.decode(chunk))

    def close(self) -> list[SSEMessage]:
        """The end of the stream; an unfinished message is dropped, as the standard says."""
        return self._text(self._decoder.decode(b"", final=True), final=True)

    def _text(self, text: str, *, final: bool = False) -> list[SSEMessage]:
        if self._first_text and text:
            self._first_text = False
            text = text.removeprefix("\ufeff")
        if self._pending_cr:
            text = "\r" + text
            self._pending_cr = False
        if text.endswith("\r") and not final:
            # A CR may be the first half of a CRLF that the next chunk completes.
            self._pending_cr = True
            text = text[:-1]
        if not text:
            return []
        if "\r" in text:
            return self._lines(text)
        if text.endswith("\n\n") and self._at_boundary():
            # Whole messages, as a server that flushes each event sends them.
            return self._blocks(text[:-2])
        first = text.find("\n\n")
        last = text.rfind("\n\n")
        if last < first + 2:
            return self._lines(text)
        # Whole messages between the first and the last blank line need no line-by-line
        # state: the head finishes the message in progress, the tail starts the next one.
        messages = self._lines(text[: first + 2])
        messages.extend(self._blocks(text[first + 2 : last]))
        messages.extend(self._lines(text[last + 2 :]))
        return messages

    def _at_boundary(self) -> bool:
        """Whether the next character starts a new message."""
        return not self._partial and not self._has_data and not self._event

    def _blocks(self, text: str) -> list[SSEMessage]:
        """Whole messages, starting and ending at a message boundary."""
        uniform = self._flowise_blocks(text)
        if uniform is not None:
            return uniform
        messages: list[SSEMessage] = []
        for block in text.split("\n\n"):
            for line in block.split("\n"):
                message = self._line(line)
                if message is not None:
                    messages.append(message)
            message = self._dispatch()
            if message is not None:
                messages.append(message)
        return messages

    def _flowise_blocks(self, text: str) -> list[SSEMessage] | None:
        """The messages when every one is Flowise's `message:` line then one `data:` line,
        as is all of a real stream; None when any is not.

        Split on the separator, k pieces hold 3k-2 newlines between them, so a newline
        count of exactly that proves no data value held one (no other line hid there)."""
        if not text.startswith(_FLOWISE_PREFIX) or _FLOWISE_SEPARATOR + " " in text:
            return None
        datas = text[len(_FLOWISE_PREFIX) :].split(_FLOWISE_SEPARATOR)
        if text.count("\n") != 3 * len(datas) - 2 or datas[0].startswith(" "):
            return None
        if max(map(len, datas)) >= self.max_size:
            raise self._oversized("event")
        return list(zip(repeat("", len(datas)), datas, strict=True))

    def _lines(self, text: str) -> list[SSEMessage]:
        pieces = _LINE_END.split(text)
        tail = pieces.pop()
        messages: list[SSEMessage] = []
        for piece in pieces:
            if self._partial:
                self._partial.append(piece)
                piece = "".join(self._partial)
                self._partial, self._partial_size = [], 0
            message = self._line(piece)
            if message is not None:
                messages.append(message)
        if tail:
            self._partial.append(tail)
            self._partial_size += len(tail)
            if self._partial_size > self.max_size:
                raise self._oversized("line")
        return messages

    def _line(self, line: str) -> SSEMessage | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            self.comments += 1
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
            self._data_size += len(value) + 1
            self._has_data = True
            if self._data_size > self.max_size:
                raise self._oversized("event")
        elif name == "event":
            self._event = value
        elif name not in ("message", "id", "retry"):
            self.ignored_lines += 1
        return None

    def _dispatch(self) -> SSEMessage | None:
        event, data, has_data = self._event, self._data, self._has_data
        self._event, self._data, self._data_size, self._has_data = "", [], 0, False
        if not has_data:
            return None
        return (event, "\n".join(data))

    def _oversized(self, what: str) -> FlowiseProtocolError:
        limit = self.max_size / (1024 * 1024)
        return FlowiseProtocolError(
            f"The server sent an {what} larger than {limit:g} MB; the answer was cut there."
        )
