"""One demo server for the fault corpus; a fault is picked by the URL (`/fault/NAME`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flowise_tui.demo import DemoServer
from tests.app.conftest import make_app  # noqa: F401 - the app fixture, shared


@pytest.fixture(scope="session")
def fault_server() -> Iterator[DemoServer]:
    with DemoServer(token_delay=0) as server:
        yield server


def fault_url(server: DemoServer, name: str, times: int | None = None) -> str:
    """The base URL that meets `name` on every prediction, or on the first `times`."""
    spec = name if times is None else f"{name}*{times}"
    return f"{server.url}/fault/{spec}"
