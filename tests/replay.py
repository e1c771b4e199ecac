"""Serve recorded Flowise responses over real loopback HTTP, split at random byte offsets.

One `ReplayServer` answers every request with one recorded case (its status line,
headers and body, byte for byte), except the streaming pre-check
`GET /chatflows-streaming/{id}`, answered from a recording that says the flow streams.
A case recorded with no response holds the socket open and answers nothing.
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

WIRE = Path(__file__).parent / "fixtures" / "flowise-wire"
BODY_SUFFIXES = (".sse", ".json", ".txt", ".html", ".png")


@dataclass(frozen=True)
class Recording:
    name: str
    method: str
    path: str
    request_body: bytes
    head: bytes
    body: bytes

    @property
    def answered(self) -> bool:
        return bool(self.head)

    @property
    def chunked(self) -> bool:
        return b"transfer-encoding: chunked" in self.head.lower()

    @property
    def status(self) -> int:
        return int(self.head.split(b" ", 2)[1]) if self.head else 0


def load(name: str) -> Recording:
    request = (WIRE / f"{name}.request").read_bytes()
    first, _, rest = request.partition(b"\n")
    method, url = first.decode().split(" ", 1)
    path = "/" + url.split("/", 3)[3]
    _, _, request_body = rest.partition(b"\n\n")
    head = (WIRE / f"{name}.headers").read_bytes()
    body = b""
    for suffix in BODY_SUFFIXES:
        candidate = WIRE / f"{name}{suffix}"
        if candidate.exists():
            body = candidate.read_bytes()
    return Recording(name, method, path, request_body.strip(), head, body)


def all_names() -> list[str]:
    return sorted(p.stem for p in WIRE.glob("*.request"))


def recorded_events(body: bytes) -> list[tuple[str, object]]:
    """The events in a recorded stream, read independently of the client's decoder."""
    events = []
    for block in body.decode("utf-8").split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data:"):
                envelope = json.loads(line[len("data:") :])
                events.append((envelope["event"], envelope["data"]))
    return events


@dataclass
class ReplayServer:
    recording: Recording
    seed: int = 0
    max_piece: int = 64
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _stalled: list[asyncio.StreamWriter] = field(default_factory=list)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def __aenter__(self) -> ReplayServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        for writer in self._stalled:
            writer.close()
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        rng = random.Random(self.seed)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                length = 0
                for line in lines[1:]:
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                body = await reader.readexactly(length) if length else b""
                self.requests.append((method, target, body))
                recording = self.recording
                if (
                    "/chatflows-streaming/" in target
                    and "chatflows_streaming" not in recording.name
                ):
                    recording = load("chatflows_streaming_plain")
                if not recording.answered:
                    self._stalled.append(writer)
                    await asyncio.sleep(3600)
                    return
                await self._write(writer, recording, rng)
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            if writer not in self._stalled:
                writer.close()

    async def _write(
        self, writer: asyncio.StreamWriter, recording: Recording, rng: random.Random
    ) -> None:
        writer.write(recording.head)
        await writer.drain()
        body = recording.body
        offset = 0
        while offset < len(body):
            piece = body[offset : offset + rng.randint(1, self.max_piece)]
            offset += len(piece)
            if recording.chunked:
                writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                writer.write(piece)
            await writer.drain()
            if rng.random() < 0.3:
                await asyncio.sleep(0)
        if recording.chunked:
            writer.write(b"0\r\n\r\n")
        await writer.drain()
