"""Run the demo server: in a background thread (tests, embedding) or blocking (the CLI)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from types import FrameType, TracebackType
from typing import TYPE_CHECKING

import uvicorn

from .body_limit import DEFAULT_MAX_BODY_BYTES
from .faults import FaultLayer
from .flows import DEMO_FLOWS, PROTECTED_FLOW_KEY
from .server import create_app

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from .state import DemoState

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0
TICK_SECONDS = 0.01


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, state: DemoState) -> None:
        super().__init__(config)
        self._state = state

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._state.request_shutdown_threadsafe()
        super().handle_exit(sig, frame)

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            await asyncio.sleep(TICK_SECONDS)


def _config(app: Starlette, host: str, port: int, **tls: str) -> uvicorn.Config:
    state: DemoState = app.state.demo
    return uvicorn.Config(
        FaultLayer(app, lambda: state.shutting_down),
        host=host,
        port=port,
        http="h11",
        loop="asyncio",
        lifespan="on",
        log_level="warning",
        access_log=False,
        server_header=False,
        date_header=False,
        timeout_graceful_shutdown=1,
        **tls,
    )


class DemoServer:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token_delay: float = 0.02,
        api_key: str | None = None,
        heartbeat_interval: float = 30.0,
        ssl_certfile: str | None = None,
        ssl_keyfile: str | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        self.host = host
        self._tls = (
            {"ssl_certfile": ssl_certfile, "ssl_keyfile": ssl_keyfile} if ssl_certfile else {}
        )
        self.app = create_app(
            token_delay=token_delay,
            api_key=api_key,
            heartbeat_interval=heartbeat_interval,
            max_body_bytes=max_body_bytes,
        )
        self._requested_port = port
        self.port: int | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> DemoState:
        state: DemoState = self.app.state.demo
        return state

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("DemoServer is not started")
        scheme = "https" if self._tls else "http"
        return f"{scheme}://{self.host}:{self.port}"

    def start(self) -> DemoServer:
        if self._thread is not None:
            return self
        sock = bound_socket(self.host, self._requested_port)
        self.port = sock.getsockname()[1]
        server = _Server(_config(self.app, self.host, self.port, **self._tls), self.state)
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name=f"demo-server-{self.port}",
            daemon=True,
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the demo server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self.state.request_shutdown_threadsafe()
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        self._server = self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def banner(url: str, api_key: str | None) -> str:
    width = max(len(flow.name) for flow in DEMO_FLOWS)
    lines = [
        f"flowise-tui demo server listening on {url}",
        "",
        f"  {'name'.ljust(width)}  {'type'.ljust(10)}  id",
    ]
    lines += [
        f"  {flow.name.ljust(width)}  {flow.type.ljust(10)}  {flow.id}" for flow in DEMO_FLOWS
    ]
    lines += [
        "",
        f"  The Protected flow's key: {PROTECTED_FLOW_KEY}",
        f"  Management API key: {api_key}"
        if api_key
        else "  Management routes are open (no API key).",
        "",
        "Press Ctrl+C to stop.",
    ]
    return "\n".join(lines)


def serve(
    host: str = "127.0.0.1",
    port: int = 3000,
    token_delay: float = 0.02,
    api_key: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> None:
    """Serve until Ctrl+C. The port is taken before anything is printed: an OSError (a busy
    port, an address not on this machine) leaves no banner behind."""
    sock = bound_socket(host, port)
    port = sock.getsockname()[1]
    app = create_app(token_delay=token_delay, api_key=api_key, max_body_bytes=max_body_bytes)
    server = _Server(_config(app, host, port), app.state.demo)
    print(banner(f"http://{host}:{port}", api_key), flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    print("Demo server stopped.", flush=True)


def bound_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host`:`port` (0: any free port), for uvicorn to listen on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock
