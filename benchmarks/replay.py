"""A loopback server that answers every prediction with the same recorded SSE bytes, at once.

The demo server makes tokens at some 60,000 a second, so a client reading it measures the
server. Replaying its recorded answer in one write measures the client. Run as
`python -m benchmarks.replay PORT FILE`.
"""

from __future__ import annotations

import asyncio
import sys

STREAMING = b'{"isStreaming":true}'


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: bytes) -> None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await reader.readexactly(length)
        if b"/chatflows-streaming/" in head.split(b"\r\n", 1)[0]:
            kind, payload = b"application/json", STREAMING
        else:
            kind, payload = b"text/event-stream", body
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: "
            + kind
            + b"\r\nContent-Length: "
            + str(len(payload)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + payload
        )
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port: int, path: str) -> None:
    with open(path, "rb") as file:
        body = file.read()
    server = await asyncio.start_server(
        lambda r, w: _answer(r, w, body), "127.0.0.1", port, reuse_address=True
    )
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
