"""A hostile Flowise look-alike on 127.0.0.1, for tests of the client's bounds and doors.

Plain asyncio, no framework, so that it can send what no well-behaved server would: a gzip
bomb, an endless page, a reply one byte a second, raw bytes in a header. Each behaviour
answers under its own base URL, `server.url("gzip-bomb")`; the client's requests then reach
`/gzip-bomb/api/v1/...`. A behaviour answers the routes it cares about and leaves the rest
to `ordinary`, a minimal honest Flowise. Every reply closes its connection.

    with HostileServer() as server:
        main(["chatflows", "--url", server.url("bad-listing")])
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
import struct
import threading
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType

FLOW_ID = "5f1b0a4e-7c1d-4a8e-9d3f-2b6c8e0a1f47"
MIB = 1024 * 1024
GIB = 1024 * MIB
HTML_CHUNK = b"<p>" + b"an endless page " * 4096 + b"</p>\n"
DRIP_INTERVAL = 1.0

# Everything a terminal could act on: OSC 2 (window title), CSI (clear screen), C1 CSI,
# a bidi override, a line separator, a bell.
ESCAPES = "\x1b]2;pwned title\x07\x1b[2J\x9b31m\u202egnp.exe\u202c\u2028\x07"


@dataclass
class Request:
    method: str
    path: str  # what follows the behaviour's prefix: /api/v1/...
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    body: bytes | AsyncIterator[bytes] = b""


Behaviour = Callable[[Request], Awaitable[Reply | None]]


def json_reply(value: object, status: int = 200) -> Reply:
    return Reply(status, [("Content-Type", b"application/json")], json.dumps(value).encode())


def sse(event: str, data: object) -> bytes:
    return b"message:\ndata:" + json.dumps({"event": event, "data": data}).encode() + b"\n\n"


async def ordinary(request: Request) -> Reply:
    """A minimal, honest Flowise: one chatflow, answers that are not streamed."""
    path = request.path
    if path == "/api/v1/ping":
        return Reply(200, [("Content-Type", b"text/plain")], b"pong")
    if path.startswith("/api/v1/chatflows-streaming/"):
        return json_reply({"isStreaming": False})
    if path == "/api/v1/chatflows":
        return json_reply([{"id": FLOW_ID, "name": "Honest", "type": "CHATFLOW"}])
    if path.startswith("/api/v1/chatflows/"):
        return json_reply({"id": path.rsplit("/", 1)[1], "name": "Honest", "type": "CHATFLOW"})
    if path.startswith("/api/v1/prediction/"):
        return json_reply({"text": "an honest answer", "chatId": "c1"})
    if path.startswith("/api/v1/chatmessage/abort/"):
        return json_reply({"status": 200})
    return json_reply({"message": f"Cannot {request.method} {path}"}, 404)


# The bombs: deflate blocks, each ended by a full flush, so each block's bytes depend on its
# input alone; one block of 1 MiB of zeros, repeated, inflates to as many MiB as it repeats.


@functools.cache
def gzip_bomb(inflated: int = GIB) -> bytes:
    """A gzip body of about inflated/1000 bytes that inflates to `inflated` zero bytes."""
    return _bomb(bytes(MIB), inflated // MIB)


@functools.cache
def gzip_event_bomb(inflated: int = GIB) -> bytes:
    """A gzip event stream of tokens, inflating to about `inflated` bytes, with no end."""
    event = sse("token", "bomb ")
    block = event * (MIB // len(event))
    return _bomb(block, inflated // len(block))


def _bomb(block: bytes, repeats: int) -> bytes:
    deflate = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    first = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)  # with the gzip header
    again = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush()[:-8]  # the last, empty block; the trailer is for 2 blocks, not N
    crc = 0
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    trailer = struct.pack("<II", crc, (len(block) * repeats) & 0xFFFFFFFF)
    return first + again * (repeats - 1) + end + trailer


async def _endless(chunk: bytes, first: bytes = b"") -> AsyncIterator[bytes]:
    if first:
        yield first
    while True:
        yield chunk


async def _drip(body: bytes, interval: float) -> AsyncIterator[bytes]:
    for index in range(len(body)):
        yield body[index : index + 1]
        await asyncio.sleep(interval)


def _gzip(content_type: bytes, body: bytes) -> Reply:
    return Reply(200, [("Content-Type", content_type), ("Content-Encoding", b"gzip")], body)


BAD_LISTING = [
    {"id": FLOW_ID, "name": "Good one", "type": "CHATFLOW"},
    {"id": FLOW_ID, "name": "Same id again", "type": "CHATFLOW"},
    {"name": "No id at all", "type": "CHATFLOW"},
    {"id": "", "name": "Empty id", "type": "CHATFLOW"},
    {"id": "bell\x07id", "name": "Control character in the id", "type": "CHATFLOW"},
    {"id": "a/../b?x#y", "name": "Path and query in the id", "type": "CHATFLOW"},
    {"id": "x" * 201, "name": "Id too long", "type": "CHATFLOW"},
    "not an object",
    {"id": "good-two", "name": "Good two", "type": "AGENTFLOW"},
]
ESCAPE_LISTING = [
    {"id": FLOW_ID, "name": f"Name {ESCAPES} end", "type": f"AGENT{ESCAPES}"},
]
ESCAPED_CONTENT_TYPE = b"text/x-\x9b31m-\xe2\x80\xae-evil"
NAN_REPLY = b'{"text": "finite?", "score": NaN, "usage": Infinity, "low": -Infinity, "big": 1e999}'
FILE_ROUTES = ("/api/v1/get-upload-file", "/api/v1/openai-assistants-file/download")
"""The routes a chat's stored files download from: an artifact's, a file annotation's."""
BIG_FILE = bytes(range(256)) * (3 * MIB // 256)
"""A 3 MiB file: larger than a small reply limit, within a file limit."""


async def _gzip_bomb(request: Request) -> Reply | None:
    if request.path == "/api/v1/chatflows" or request.path.startswith("/api/v1/prediction/"):
        return _gzip(b"application/json", gzip_bomb())
    if request.path in FILE_ROUTES:
        return _gzip(b"image/png", gzip_bomb())
    return None


async def _big_file(request: Request) -> Reply | None:
    if request.path in FILE_ROUTES:
        return Reply(200, [("Content-Type", b"image/png")], BIG_FILE)
    return None


async def _endless_file(request: Request) -> Reply | None:
    if request.path in FILE_ROUTES:
        return Reply(200, [("Content-Type", b"image/png")], _endless(bytes(64 * 1024)))
    return None


async def _gzip_bomb_stream(request: Request) -> Reply | None:
    if request.path.startswith("/api/v1/chatflows-streaming/"):
        return json_reply({"isStreaming": True})
    if request.path.startswith("/api/v1/prediction/"):
        return _gzip(b"text/event-stream", gzip_event_bomb())
    return None


async def _gzip_zeros_stream(request: Request) -> Reply | None:
    """1 GiB of zeros as an event stream: no blank line, so a single event."""
    if request.path.startswith("/api/v1/chatflows-streaming/"):
        return json_reply({"isStreaming": True})
    if request.path.startswith("/api/v1/prediction/"):
        return _gzip(b"text/event-stream", gzip_bomb())
    return None


async def _gzip_bomb_error(request: Request) -> Reply | None:
    reply = _gzip(b"application/json", gzip_bomb())
    reply.status = 500
    return reply


async def _endless_html(request: Request) -> Reply:
    return Reply(200, [("Content-Type", b"text/html")], _endless(HTML_CHUNK))


async def _endless_html_error(request: Request) -> Reply:
    return Reply(502, [("Content-Type", b"text/html")], _endless(HTML_CHUNK))


async def _endless_json(request: Request) -> Reply:
    item = json.dumps({"id": FLOW_ID, "name": "again"}).encode() + b","
    return Reply(200, [("Content-Type", b"application/json")], _endless(item * 1000, b"["))


async def _drip_json(request: Request) -> Reply:
    body = json.dumps({"isStreaming": False, "text": "slowly", "padding": "." * 64}).encode()
    headers = [("Content-Type", b"application/json")]
    return Reply(200, headers, _drip(body, DRIP_INTERVAL))


async def _bad_listing(request: Request) -> Reply | None:
    """A listing with bad entries among good ones; any one chatflow claims a bad id."""
    if request.path == "/api/v1/chatflows":
        return json_reply(BAD_LISTING)
    if request.path.startswith("/api/v1/chatflows/"):
        return json_reply({"id": "bell\x07id", "name": "Which one?", "type": "CHATFLOW"})
    return None


async def _escaped_content_type(request: Request) -> Reply:
    """A Content-Type with a C1 CSI (a raw byte, which httpx reads as Latin-1) and a bidi
    override, on every reply."""
    return Reply(200, [("Content-Type", ESCAPED_CONTENT_TYPE)], b"not json")


async def _escapes(request: Request) -> Reply | None:
    """Escapes in a listing's names and types, in an error message, and in an answer and a
    chat id, split across tokens."""
    path = request.path
    if path == "/api/v1/chatflows":
        return json_reply(ESCAPE_LISTING)
    if path.startswith("/api/v1/chatflows-streaming/"):
        return json_reply({"isStreaming": True})
    if path.startswith("/api/v1/prediction/") and b'"streaming": true' in request.body:
        tokens = [
            "plain ",
            "\x1b",
            "]2;pwned",
            "\x07",
            " \x9b",
            "2J",
            " \u202eevil",
            " end\r",
            "\n",
        ]
        events = b"".join(sse("token", token) for token in tokens)
        events += sse("metadata", {"chatId": f"chat{ESCAPES}"}) + sse("end", "[DONE]")
        return Reply(200, [("Content-Type", b"text/event-stream")], events)
    if path.startswith("/api/v1/prediction/"):
        return json_reply({"message": f"Error: boom {ESCAPES}"}, 500)
    return None


async def _nan(request: Request) -> Reply | None:
    path = request.path
    if path.startswith("/api/v1/prediction/") and b'"streaming": true' in request.body:
        events = b"message:\ndata:" + b'{"event": "usageMetadata", "data": ' + NAN_REPLY + b"}\n\n"
        events += sse("token", "finite? ") + sse("end", "[DONE]")
        return Reply(200, [("Content-Type", b"text/event-stream")], events)
    if path.startswith("/api/v1/prediction/"):
        return Reply(200, [("Content-Type", b"application/json")], NAN_REPLY)
    if path == "/api/v1/chatflows":
        listing = b'[{"id": "nan-flow", "name": "NaN", "type": "CHATFLOW", "deployed": NaN}]'
        return Reply(200, [("Content-Type", b"application/json")], listing)
    return None


def _compressed(encoding: bytes, compress: Callable[[bytes], bytes]) -> Behaviour:
    """The ordinary replies, compressed: what an honest server behind a proxy may send."""

    async def behaviour(request: Request) -> Reply:
        reply = await ordinary(request)
        assert isinstance(reply.body, bytes)
        reply.headers.append(("Content-Encoding", encoding))
        reply.body = compress(reply.body)
        return reply

    return behaviour


def _raw_deflate(data: bytes) -> bytes:
    deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return deflate.compress(data) + deflate.flush()


async def _echo(request: Request) -> Reply | None:
    """A prediction's answer is the request body it came with, as text."""
    if request.path.startswith("/api/v1/prediction/"):
        return json_reply({"text": request.body.decode()})
    return None


BEHAVIOURS: dict[str, Behaviour] = {
    "gzip": _compressed(b"gzip", gzip.compress),
    "deflate": _compressed(b"deflate", zlib.compress),
    "raw-deflate": _compressed(b"deflate", _raw_deflate),
    "brotli": _compressed(b"br", lambda data: data),
    "ordinary": ordinary,
    "gzip-bomb": _gzip_bomb,
    "gzip-bomb-stream": _gzip_bomb_stream,
    "gzip-zeros-stream": _gzip_zeros_stream,
    "gzip-bomb-error": _gzip_bomb_error,
    "endless-html": _endless_html,
    "endless-html-error": _endless_html_error,
    "endless-json": _endless_json,
    "drip-json": _drip_json,
    "big-file": _big_file,
    "endless-file": _endless_file,
    "bad-listing": _bad_listing,
    "escapes": _escapes,
    "escaped-content-type": _escaped_content_type,
    "nan": _nan,
    "echo": _echo,
}

REASONS = {200: "OK", 404: "Not Found", 500: "Internal Server Error", 502: "Bad Gateway"}


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, Request]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    _, behaviour, rest = target.split("?", 1)[0].split("/", 2)
    return behaviour, Request(method, "/" + rest, headers, body)


async def _write(writer: asyncio.StreamWriter, reply: Reply) -> None:
    head = [f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Status')}".encode()]
    head += [name.encode() + b": " + value for name, value in reply.headers]
    if isinstance(reply.body, bytes):
        head.append(b"Content-Length: " + str(len(reply.body)).encode())
    head.append(b"Connection: close")
    writer.write(b"\r\n".join(head) + b"\r\n\r\n")
    if isinstance(reply.body, bytes):
        writer.write(reply.body)
        await writer.drain()
        return
    async for chunk in reply.body:  # ends with the connection when the client goes
        writer.write(chunk)
        await writer.drain()


async def _serve_one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        name, request = await _read_request(reader)
        behaviour = BEHAVIOURS.get(name, ordinary)
        await _write(writer, await behaviour(request) or await ordinary(request))
    except (ConnectionError, asyncio.IncompleteReadError, ValueError):
        pass
    except asyncio.CancelledError:
        pass  # the server stops: this connection's task ends here, quietly
    finally:
        writer.close()


class HostileServer:
    """The behaviours above on 127.0.0.1, served from a thread of their own, so that code
    running its own event loop (the command line's `asyncio.run`) can reach them."""

    def __init__(self) -> None:
        self.port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def url(self, behaviour: str) -> str:
        if self.port is None:
            raise RuntimeError("HostileServer is not started")
        return f"http://127.0.0.1:{self.port}/{behaviour}"

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(_serve_one, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()

    def start(self) -> HostileServer:
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._main(),), name="hostile-server", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the hostile server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
