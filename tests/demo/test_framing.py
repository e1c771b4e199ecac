"""The SSE framing is byte-for-byte what Flowise 3.1.4 writes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import CHAT_FLOW_ID, SLOW_FLOW_ID
from flowise_tui.demo.wire import compact_json

from .sse import split_blocks, stream

RECORDINGS = Path(__file__).parents[1] / "fixtures" / "flowise-wire"
BLOCK = re.compile(rb"message:\ndata:([^\n]*)\n\n")


def assert_flowise_framing(raw: bytes, *, reencode: bool = True) -> None:
    for block in split_blocks(raw):
        if block == b":heartbeat\n\n":
            continue
        match = BLOCK.fullmatch(block)
        assert match is not None, block
        payload = match.group(1)
        envelope = json.loads(payload)
        assert list(envelope)[:2] == ["event", "data"]
        if reencode:
            assert compact_json(envelope).encode() == payload


def recorded_header_names(name: str) -> set[str]:
    lines = (RECORDINGS / f"{name}.headers").read_bytes().decode().split("\r\n")[1:]
    return {line.split(":", 1)[0].lower() for line in lines if line}


def test_the_checker_accepts_the_real_recordings() -> None:
    for name in ("plain_stream", "rag_stream", "tool_agent_stream", "protected_no_key_stream"):
        assert_flowise_framing((RECORDINGS / f"{name}.sse").read_bytes())
    agentflow = (RECORDINGS / "agentflow_llm_stream.sse").read_bytes()
    assert_flowise_framing(agentflow, reencode=False)


async def test_headers_match_the_recorded_stream(client: httpx.AsyncClient) -> None:
    result = await stream(client, CHAT_FLOW_ID, {"question": "Headers?"})
    assert result.status == 200
    assert set(result.headers.keys()) == recorded_header_names("plain_stream")
    assert result.headers["content-type"] == "text/event-stream"
    assert result.headers["cache-control"] == "no-cache"
    assert result.headers["x-accel-buffering"] == "no"
    assert result.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in result.headers


async def test_every_block_is_message_data_compact_json(client: httpx.AsyncClient) -> None:
    result = await stream(client, CHAT_FLOW_ID, {"question": 'Quotes " and \\ backslash?'})
    assert_flowise_framing(result.raw)
    assert result.blocks[0] == b'message:\ndata:{"event":"start","data":""}\n\n'
    assert result.blocks[-1] == b'message:\ndata:{"event":"end","data":"[DONE]"}\n\n'


async def test_newlines_are_escaped_and_unicode_is_raw_utf8(client: httpx.AsyncClient) -> None:
    result = await stream(client, CHAT_FLOW_ID, {"question": "Café crème ✓?"})
    assert b'message:\ndata:{"event":"token","data":"\\n\\n"}\n\n' in result.blocks
    assert "é".encode() in result.raw and "✓".encode() in result.raw
    assert b"\\u00e9" not in result.raw and b"\\u2713" not in result.raw


async def test_string_true_streams_too(client: httpx.AsyncClient) -> None:
    result = await stream(client, CHAT_FLOW_ID, {"question": "hi", "streaming": "true"})
    assert result.headers["content-type"] == "text/event-stream"
    assert result.names[-2:] == ["metadata", "end"]


async def test_heartbeats_arrive_between_events(make_demo_server) -> None:
    server: DemoServer = make_demo_server(heartbeat_interval=0.05)
    body = {"question": "slow", "streaming": True, "chatId": "heartbeat-test"}
    seen = b""
    async with httpx.AsyncClient(base_url=server.url, timeout=5) as http:
        async with http.stream("POST", f"/api/v1/prediction/{SLOW_FLOW_ID}", json=body) as r:
            async for chunk in r.aiter_bytes():
                seen += chunk
                if chunk == b":heartbeat\n\n":
                    await http.put(f"/api/v1/chatmessage/abort/{SLOW_FLOW_ID}/heartbeat-test")
    assert_flowise_framing(seen)
    assert b"\n\n:heartbeat\n\nmessage:\n" in seen
    assert seen.endswith(b'message:\ndata:{"event":"end","data":"[DONE]"}\n\n')
