"""DemoServer lifecycle: ports, independent state, quick stop with open streams."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from flowise_tui.demo import DemoServer, create_app
from flowise_tui.demo.flows import CHAT_FLOW_ID, SLOW_FLOW_ID
from flowise_tui.demo.runner import banner


def test_servers_keep_separate_state(make_demo_server) -> None:
    first, second = make_demo_server(), make_demo_server()
    assert first.port != second.port
    body = {"question": "Only on the first", "chatId": "separate"}
    httpx.post(f"{first.url}/api/v1/prediction/{CHAT_FLOW_ID}", json=body)
    path = f"/api/v1/chatmessage/{CHAT_FLOW_ID}?chatId=separate"
    assert len(httpx.get(first.url + path).json()) == 2
    assert httpx.get(second.url + path).json() == []


def test_token_delay_paces_tokens(make_demo_server) -> None:
    server = make_demo_server(token_delay=0.01)
    started = time.monotonic()
    response = httpx.post(
        f"{server.url}/api/v1/prediction/{CHAT_FLOW_ID}", json={"question": "/long 12"}
    )
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.12


def test_stop_is_quick_even_with_open_streams() -> None:
    """Stopping does not wait for open answers to end: they are aborted, then closed."""
    server = DemoServer(token_delay=0).start()
    endings: list[bytes] = []
    streaming = threading.Event()

    def listen() -> None:
        body = {"question": "slow", "streaming": True}
        url = f"{server.url}/api/v1/prediction/{SLOW_FLOW_ID}"
        with httpx.stream("POST", url, json=body, timeout=30) as r:
            chunks = r.iter_bytes()
            first = next(chunks)
            streaming.set()
            endings.append(first + b"".join(chunks))

    reader = threading.Thread(target=listen)
    reader.start()
    assert streaming.wait(30), "the slow answer never started"
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    # The slow answer takes ~9 s (90 tokens, 0.1 s apart): a stop that waited for it would
    # still be running after 5 s.
    stopper.join(5)
    assert not stopper.is_alive(), "stop() waited for the open answer"
    reader.join(30)
    [raw] = endings
    assert raw.endswith(
        b'message:\ndata:{"event":"abort","data":"[DONE]"}\n\n'
        b'message:\ndata:{"event":"end","data":"[DONE]"}\n\n'
    )


def test_create_app_is_a_starlette_app() -> None:
    from starlette.applications import Starlette

    assert isinstance(create_app(token_delay=0, api_key="k", heartbeat_interval=1), Starlette)


def test_banner_lists_every_flow() -> None:
    text = banner("http://127.0.0.1:3000", None)
    assert "http://127.0.0.1:3000" in text and "Slow Story" in text and "Ctrl+C" in text


def test_context_manager_url_and_restart() -> None:
    server = DemoServer(token_delay=0)
    for _ in range(2):
        with server:
            assert server.url.startswith("http://127.0.0.1:")
            body = {"question": "again", "streaming": True}
            response = httpx.post(f"{server.url}/api/v1/prediction/{CHAT_FLOW_ID}", json=body)
            assert b'"event":"metadata"' in response.content
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{server.url}/api/v1/ping")
