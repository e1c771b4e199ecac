"""Failures look like Flowise's: statuses, error events, JSON error shapes, silent holds."""

from __future__ import annotations

import httpx
import pytest

from flowise_tui.demo.flows import (
    CHAT_FLOW_ID,
    ERROR_FLOW_ID,
    NOSTREAM_FLOW_ID,
    PROTECTED_FLOW_ID,
    PROTECTED_FLOW_KEY,
)

from .sse import predict, stream

UNKNOWN_ID = "2925816b-8077-4285-9644-518aaa0364ca"
UNAUTHORIZED = "Error: predictionsServices.buildChatflow - Unauthorized"


def error_body(status: int, message: str) -> dict[str, object]:
    return {"statusCode": status, "success": False, "message": message, "stack": {}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"question": "hi", "streaming": true',
            "Expected ',' or '}' after property value in JSON at position 36",
        ),
        (b'{"question": "hi",', "Expected double-quoted property name in JSON at position 18"),
        (b'{"list": [1, 2', "Expected ',' or ']' after array element in JSON at position 14"),
    ],
)
async def test_malformed_json_is_400_with_node_message(
    client: httpx.AsyncClient, body: bytes, message: str
) -> None:
    response = await client.post(
        f"/api/v1/prediction/{CHAT_FLOW_ID}",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == error_body(400, message)


async def test_unknown_chatflow_non_streaming_is_404(client: httpx.AsyncClient) -> None:
    response = await predict(client, UNKNOWN_ID, {"question": "hi"})
    assert response.status_code == 404
    assert response.json() == error_body(404, f"Chatflow {UNKNOWN_ID} not found in the database!")


async def test_non_uuid_chatflow_non_streaming_is_400(client: httpx.AsyncClient) -> None:
    response = await predict(client, "not-a-uuid", {"question": "hi"})
    assert response.status_code == 400
    assert response.json() == error_body(400, "Invalid Chatflow ID")


@pytest.mark.parametrize("flow_id", [UNKNOWN_ID, "not-a-uuid"])
async def test_unknown_chatflow_streaming_sends_nothing(
    client: httpx.AsyncClient, flow_id: str
) -> None:
    with pytest.raises(httpx.ReadTimeout):
        await predict(
            client,
            flow_id,
            {"question": "hi", "streaming": True},
            timeout=httpx.Timeout(5.0, read=0.15),
        )
    assert (await client.get("/api/v1/ping")).text == "pong"


async def test_failing_flow_streams_error_then_end(client: httpx.AsyncClient) -> None:
    result = await stream(client, ERROR_FLOW_ID, {"question": "fail"})
    assert result.status == 200
    message = result.first("error")
    assert message.startswith("Error: predictionsServices.buildChatflow - ")
    assert result.blocks[-1] == b'message:\ndata:{"event":"end","data":"[DONE]"}\n\n'


async def test_failing_flow_non_streaming_is_500(client: httpx.AsyncClient) -> None:
    response = await predict(client, ERROR_FLOW_ID, {"question": "fail"})
    assert response.status_code == 500
    body = response.json()
    assert list(body) == ["statusCode", "success", "message", "stack"]
    assert body["message"].startswith("Error: predictionsServices.buildChatflow - ")
    rows = (await client.get(f"/api/v1/chatmessage/{ERROR_FLOW_ID}")).json()
    assert rows == []


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-key"}])
async def test_protected_flow_without_its_key(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    result = await stream(client, PROTECTED_FLOW_ID, {"question": "hi"}, headers=headers)
    assert result.status == 200
    assert result.names == ["error", "end"]
    assert result.first("error") == UNAUTHORIZED
    response = await predict(client, PROTECTED_FLOW_ID, {"question": "hi"}, headers=headers)
    assert response.status_code == 500
    assert response.json() == error_body(500, UNAUTHORIZED)


async def test_protected_flow_with_its_key(client: httpx.AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {PROTECTED_FLOW_KEY}"}
    result = await stream(client, PROTECTED_FLOW_ID, {"question": "hi"}, headers=headers)
    assert result.names[0] == "start" and result.names[-2:] == ["metadata", "end"]
    assert "Access granted" in result.answer
    response = await predict(client, PROTECTED_FLOW_ID, {"question": "hi"}, headers=headers)
    assert response.status_code == 200 and "Access granted" in response.json()["text"]


async def test_no_streaming_flow_answers_json_to_a_stream_request(
    client: httpx.AsyncClient,
) -> None:
    streaming = await client.get(f"/api/v1/chatflows-streaming/{NOSTREAM_FLOW_ID}")
    assert streaming.content == b'{"isStreaming":false}'
    response = await predict(
        client, NOSTREAM_FLOW_ID, {"question": "Stream please", "streaming": True}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert list(response.json()) == [
        "text",
        "question",
        "chatId",
        "chatMessageId",
        "isStreamValid",
        "sessionId",
        "memoryType",
    ]


async def test_empty_and_missing_question(client: httpx.AsyncClient) -> None:
    empty = await stream(client, CHAT_FLOW_ID, {"question": ""})
    assert "question" not in empty.metadata
    missing = await stream(client, CHAT_FLOW_ID, {})
    assert "question" not in missing.metadata
    assert (await predict(client, CHAT_FLOW_ID, {"question": ""})).json()["question"] == ""
    no_body = await client.post(f"/api/v1/prediction/{CHAT_FLOW_ID}")
    assert no_body.status_code == 200 and "question" not in no_body.json()


async def test_unrouted_api_paths_are_404_json(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("GET", "/api/v1/nope"),
        ("POST", f"/api/v1/chatmessage/abort/{CHAT_FLOW_ID}/x"),
    ]:
        response = await client.request(method, path)
        assert response.status_code == 404
        assert response.json() == error_body(404, f"Cannot {method} {path}")
