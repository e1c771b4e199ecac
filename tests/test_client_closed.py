"""A request on a closed client (a worker racing a switch of server, or the app ending) is a
FlowiseError the caller already handles, not httpx's RuntimeError."""

from __future__ import annotations

import pytest

from flowise_tui.flowise.client import FlowiseClient
from flowise_tui.flowise.errors import FlowiseConnectionError


async def test_a_request_on_a_closed_client_is_a_connection_error() -> None:
    client = FlowiseClient("http://127.0.0.1:9", None)
    await client.aclose()
    with pytest.raises(FlowiseConnectionError, match="closed"):
        await client.chatbot_config("some-flow")
