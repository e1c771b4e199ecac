"""The abort endpoint really stops a running stream within one token."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from flowise_tui.demo.answers import slow_story
from flowise_tui.demo.flows import CHAT_FLOW_ID, SLOW_FLOW_ID
from flowise_tui.demo.longtext import long_answer_tokens
from flowise_tui.demo.tokens import tokenize

from .sse import split_blocks


async def test_abort_stops_a_slow_story_midway(client: httpx.AsyncClient) -> None:
    chat_id = f"abort-{uuid.uuid4()}"
    body = {"question": "Tell me a slow story", "streaming": True, "chatId": chat_id}
    raw = b""
    aborted = False
    async with client.stream("POST", f"/api/v1/prediction/{SLOW_FLOW_ID}", json=body) as response:
        async for chunk in response.aiter_bytes():
            raw += chunk
            if not aborted and raw.count(b'"event":"token"') >= 3:
                reply = await client.put(f"/api/v1/chatmessage/abort/{SLOW_FLOW_ID}/{chat_id}")
                assert reply.json() == {"status": 200, "message": "Chat message aborted"}
                aborted = True
    blocks = split_blocks(raw)
    assert blocks[-2:] == [
        b'message:\ndata:{"event":"abort","data":"[DONE]"}\n\n',
        b'message:\ndata:{"event":"end","data":"[DONE]"}\n\n',
    ]
    tokens = [b for b in blocks if b'"event":"token"' in b]
    full = len(tokenize(slow_story("Tell me a slow story")))
    assert 3 <= len(tokens) <= 4 < full

    rows = (await client.get(f"/api/v1/chatmessage/{SLOW_FLOW_ID}?chatId={chat_id}")).json()
    assert [row["role"] for row in rows] == ["userMessage", "apiMessage"]
    streamed = "".join(tokenize(slow_story("Tell me a slow story"))[: len(tokens)])
    assert rows[1]["content"] == streamed


async def test_abort_of_an_unknown_chat_is_still_200(client: httpx.AsyncClient) -> None:
    reply = await client.put(f"/api/v1/chatmessage/abort/{SLOW_FLOW_ID}/no-such-chat")
    assert reply.status_code == 200
    assert reply.content == b'{"status":200,"message":"Chat message aborted"}'


async def test_a_client_hang_up_does_not_stop_the_flow(make_demo_server) -> None:
    server = make_demo_server(token_delay=0.005)
    body = {"question": "/long 30", "streaming": True, "chatId": "hang-up"}
    async with httpx.AsyncClient(base_url=server.url, timeout=5) as http:
        async with http.stream("POST", f"/api/v1/prediction/{CHAT_FLOW_ID}", json=body) as r:
            async for chunk in r.aiter_bytes():
                if b'"event":"token"' in chunk:
                    break
        path = f"/api/v1/chatmessage/{CHAT_FLOW_ID}?chatId=hang-up"
        for _ in range(100):
            rows = (await http.get(path)).json()
            if rows:
                break
            await asyncio.sleep(0.02)
    assert rows[1]["content"] == "".join(long_answer_tokens(30))
