"""Demo Chat: Markdown answers, memory, chatId/sessionId rules, follow-up prompts, /long N."""

from __future__ import annotations

import json
import uuid

import httpx

from flowise_tui.demo.flows import CHAT_FLOW_ID

from .sse import predict, stream


async def test_answer_is_markdown_with_heading_list_and_code(client: httpx.AsyncClient) -> None:
    result = await stream(client, CHAT_FLOW_ID, {"question": "How do terminals render Markdown?"})
    answer = result.answer
    assert answer.startswith("## How do terminals render Markdown\n\n")
    assert "\n- **Topic:** " in answer
    assert "```python\n" in answer and answer.count("```") == 2
    assert answer.rstrip().endswith(".")
    assert all(token for token in result.of("token"))


async def test_answers_are_deterministic(client: httpx.AsyncClient) -> None:
    first = await stream(client, CHAT_FLOW_ID, {"question": "Same question"})
    second = await stream(client, CHAT_FLOW_ID, {"question": "Same question"})
    assert first.answer == second.answer
    assert first.of("token") == second.of("token")


async def test_memory_per_session(client: httpx.AsyncClient) -> None:
    session = f"memory-{uuid.uuid4()}"
    ids = {"chatId": session, "overrideConfig": {"sessionId": session}}
    first = await stream(client, CHAT_FLOW_ID, {"question": "What is sourdough?", **ids})
    assert "first question of this session" in first.answer
    second = await stream(client, CHAT_FLOW_ID, {"question": "And rye bread?", **ids})
    assert 'Earlier you asked: "What is sourdough?"' in second.answer
    other = await stream(client, CHAT_FLOW_ID, {"question": "And rye bread?"})
    assert "Earlier you asked" not in other.answer


async def test_history_field_counts_as_memory(client: httpx.AsyncClient) -> None:
    history = [
        {"role": "userMessage", "content": "Tell me about croissants"},
        {"role": "apiMessage", "content": "They are flaky."},
    ]
    result = await stream(client, CHAT_FLOW_ID, {"question": "More?", "history": history})
    assert 'Earlier you asked: "Tell me about croissants"' in result.answer


async def test_no_ids_generate_one_uuid_for_both(client: httpx.AsyncClient) -> None:
    meta = (await stream(client, CHAT_FLOW_ID, {"question": "ids?"})).metadata
    assert meta["chatId"] == meta["sessionId"]
    uuid.UUID(str(meta["chatId"]))
    uuid.UUID(str(meta["chatMessageId"]))


async def test_only_session_id_becomes_the_chat_id(client: httpx.AsyncClient) -> None:
    body = {"question": "ids?", "overrideConfig": {"sessionId": "lab-session-42"}}
    meta = (await stream(client, CHAT_FLOW_ID, body)).metadata
    assert meta["chatId"] == "lab-session-42" and meta["sessionId"] == "lab-session-42"


async def test_only_chat_id_is_also_the_session(client: httpx.AsyncClient) -> None:
    meta = (await stream(client, CHAT_FLOW_ID, {"question": "ids?", "chatId": "c-1"})).metadata
    assert meta["chatId"] == "c-1" and meta["sessionId"] == "c-1"


async def test_both_ids_are_kept(client: httpx.AsyncClient) -> None:
    body = {"question": "ids?", "chatId": "c-2", "overrideConfig": {"sessionId": "s-2"}}
    meta = (await stream(client, CHAT_FLOW_ID, body)).metadata
    assert meta["chatId"] == "c-2" and meta["sessionId"] == "s-2"


async def test_metadata_shape_and_follow_up_prompts(client: httpx.AsyncClient) -> None:
    meta = (await stream(client, CHAT_FLOW_ID, {"question": "Explain SSE"})).metadata
    assert list(meta) == [
        "chatId",
        "chatMessageId",
        "question",
        "sessionId",
        "memoryType",
        "followUpPrompts",
    ]
    assert meta["memoryType"] == "Buffer Memory"
    prompts = json.loads(str(meta["followUpPrompts"]))
    assert isinstance(prompts, list) and len(prompts) == 3


async def test_non_streaming_shape_double_encodes_follow_ups(client: httpx.AsyncClient) -> None:
    response = await predict(client, CHAT_FLOW_ID, {"question": "Explain SSE"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert list(body) == [
        "text",
        "question",
        "chatId",
        "chatMessageId",
        "followUpPrompts",
        "isStreamValid",
        "sessionId",
        "memoryType",
    ]
    assert body["isStreamValid"] is False
    prompts = json.loads(json.loads(body["followUpPrompts"]))
    assert prompts[1] == "What did I ask before?"


async def test_stored_follow_ups_are_a_json_string(client: httpx.AsyncClient) -> None:
    meta = (await stream(client, CHAT_FLOW_ID, {"question": "Store me", "chatId": "fu-1"})).metadata
    rows = (await client.get(f"/api/v1/chatmessage/{CHAT_FLOW_ID}?chatId=fu-1")).json()
    assert rows[1]["id"] == meta["chatMessageId"]
    assert rows[1]["followUpPrompts"] == meta["followUpPrompts"]
    assert rows[0]["followUpPrompts"] is None


async def test_long_streams_exactly_n_tokens(client: httpx.AsyncClient) -> None:
    # How fast is for benchmarks/ (python -m benchmarks --only parse), not for an assert.
    result = await stream(client, CHAT_FLOW_ID, {"question": "/long 8000"})
    assert len(result.of("token")) == 8000
    assert result.answer.count("```") % 2 == 0
    assert "## Section 1\n\n" in result.answer and "\n- **Item 1.1**" in result.answer


async def test_long_small_counts(client: httpx.AsyncClient) -> None:
    for count in (1, 7, 55):
        result = await stream(client, CHAT_FLOW_ID, {"question": f"/long {count}"})
        assert len(result.of("token")) == count
