"""The demo server refuses a body above its limit without reading it, and warns when it
listens beyond this machine."""

from __future__ import annotations

import asyncio
import socket
import tracemalloc
from typing import Any

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from flowise_tui.cli import main
from flowise_tui.demo import DemoServer
from flowise_tui.demo.body_limit import BodyLimit
from flowise_tui.demo.flows import CHAT_FLOW_ID

MIB = 1024 * 1024
PIECE = 64 * 1024
PATH = f"/api/v1/prediction/{CHAT_FLOW_ID}"


def test_a_declared_body_above_the_limit_is_refused_unread() -> None:
    """600 MB announced, none of it sent: the answer comes before any byte of the body."""
    with DemoServer(token_delay=0, max_body_bytes=MIB) as server:
        assert server.port is not None
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(
                f"POST {PATH} HTTP/1.1\r\nHost: demo\r\nContent-Type: application/json\r\n"
                f"Content-Length: {600 * MIB}\r\n\r\n".encode()
            )
            reply = b""
            while piece := sock.recv(65536):  # to the end: the server closes after 413
                reply += piece
    status_line, _, rest = reply.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
    assert b"larger than this server accepts (1 MB)" in rest


async def test_a_body_within_the_limit_is_served() -> None:
    with DemoServer(token_delay=0, max_body_bytes=MIB) as server:
        async with httpx.AsyncClient(base_url=server.url) as http:
            padding = "x" * (MIB // 2)
            reply = await http.post(PATH, json={"question": "hi", "padding": padding})
    assert reply.status_code == 200 and reply.json()["text"]


async def test_a_body_without_a_length_is_read_to_the_limit_only() -> None:
    """A chunked body of 1 GiB, as endless as its sender likes: the limit and one piece are
    read, then 413, and the app behind never sees it. Memory is measured, not assumed."""
    pulled = 0
    sent: list[Message] = []
    reached_app = False

    async def receive() -> Message:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * PIECE, "more_body": pulled < 16384}

    async def send(message: Message) -> None:
        sent.append(message)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal reached_app
        reached_app = True

    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": PATH, "headers": []}
    tracemalloc.start()
    try:
        await asyncio.wait_for(BodyLimit(app, max_bytes=4 * MIB)(scope, receive, send), 30)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert not reached_app
    assert pulled == 4 * MIB // PIECE + 1
    assert peak < 16 * MIB, f"peak {peak:,} bytes for a 4 MiB limit"


async def test_a_body_within_the_limit_reaches_the_app_as_it_came() -> None:
    pieces = [b"{", b'"question": ', b'"hi"', b"}"]
    received: list[Message] = []

    async def receive() -> Message:
        body = pieces.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(pieces)}

    async def send(message: Message) -> None:
        raise AssertionError("the limit sent nothing of its own")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        while not received or received[-1].get("more_body"):
            received.append(await receive())

    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": PATH, "headers": []}
    await BodyLimit(app, max_bytes=MIB)(scope, receive, send)
    assert b"".join(m["body"] for m in received) == b'{"question": "hi"}'


@pytest.mark.parametrize(
    ("host", "warned"),
    [
        ("127.0.0.1", False),
        ("localhost", False),
        ("::1", False),
        ("127.0.0.2", False),
        ("0.0.0.0", True),
        ("::", True),
        ("192.168.1.20", True),
        ("demo.example", True),
    ],
)
def test_the_demo_server_warns_when_it_listens_beyond_loopback(
    host: str, warned: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[dict[str, Any]] = []
    monkeypatch.setattr("flowise_tui.demo.runner.serve", lambda **options: started.append(options))
    assert main(["demo-server", "--host", host, "--max-body", "2"]) == 0
    _, err = capsys.readouterr()
    assert ("warning: listening on" in err) is warned
    assert started == [
        {
            "host": host,
            "port": 3000,
            "token_delay": 0.02,
            "api_key": None,
            "max_body_bytes": 2 * MIB,
        }
    ]
