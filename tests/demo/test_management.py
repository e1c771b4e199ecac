"""Management routes: chatflows, configs, history filters, feedback and API-key gating."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import (
    AGENTFLOW_ID,
    CHAT_FLOW_ID,
    DEMO_FLOWS,
    FORM_FLOW_ID,
    HITL_FLOW_ID,
    PROTECTED_FLOW_ID,
    PROTECTED_FLOW_KEY,
    RAG_FLOW_ID,
)

from .sse import predict, stream

RECORDINGS = Path(__file__).parents[1] / "fixtures" / "flowise-wire"


def recorded_json(name: str) -> Any:
    return json.loads((RECORDINGS / f"{name}.json").read_bytes())


def recorded_dict(name: str) -> dict[str, Any]:
    value: dict[str, Any] = recorded_json(name)
    return value


def recorded_list(name: str) -> list[Any]:
    value: list[Any] = recorded_json(name)
    return value


async def test_ping_and_version(client: httpx.AsyncClient) -> None:
    ping = await client.get("/api/v1/ping")
    assert ping.text == "pong" and ping.headers["content-type"] == "text/html; charset=utf-8"
    assert (await client.get("/api/v1/version")).json() == {"version": "3.1.4-demo"}


async def test_chatflow_list_has_the_real_object_shape(client: httpx.AsyncClient) -> None:
    flows = (await client.get("/api/v1/chatflows")).json()
    assert [flow["id"] for flow in flows] == [flow.id for flow in DEMO_FLOWS]
    recorded = recorded_list("chatflows_list")
    assert all(list(flow) == list(recorded[0]) for flow in flows)
    for flow in flows:
        json.loads(flow["flowData"])
        assert json.loads(flow["chatbotConfig"])["chatFeedback"] == {"status": True}


async def test_chatflow_type_filter(client: httpx.AsyncClient) -> None:
    agentflows = (await client.get("/api/v1/chatflows?type=AGENTFLOW")).json()
    assert {flow["id"] for flow in agentflows} == {AGENTFLOW_ID, HITL_FLOW_ID, FORM_FLOW_ID}
    multi = (await client.get("/api/v1/chatflows?type=MULTIAGENT")).json()
    assert [flow["name"] for flow in multi] == ["Multi-Agent Team"]


async def test_single_chatflow_and_unknown(client: httpx.AsyncClient) -> None:
    flow = (await client.get(f"/api/v1/chatflows/{PROTECTED_FLOW_ID}")).json()
    assert flow["name"] == "Protected" and flow["apikeyid"]
    chat = (await client.get(f"/api/v1/chatflows/{CHAT_FLOW_ID}")).json()
    assert json.loads(chat["followUpPrompts"])["status"] is True
    unknown = str(uuid.uuid4())
    response = await client.get(f"/api/v1/chatflows/{unknown}")
    assert response.status_code == 404
    assert response.json()["message"] == f"Chatflow {unknown} not found in the database!"


async def test_streaming_check(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"/api/v1/chatflows-streaming/{CHAT_FLOW_ID}")).json() == {
        "isStreaming": True
    }
    response = await client.get(f"/api/v1/chatflows-streaming/{uuid.uuid4()}")
    assert response.status_code == 500 and response.json()["success"] is False


async def test_public_chatbot_config(client: httpx.AsyncClient) -> None:
    config = (await client.get(f"/api/v1/public-chatbotConfig/{RAG_FLOW_ID}")).json()
    recorded = recorded_dict("public_chatbotConfig_rag")
    assert list(config["starterPrompts"]) == ["0", "1", "2", "3"]
    assert config["starterPrompts"]["0"] == {"prompt": "When does the bakery open?"}
    assert config["uploads"] == recorded["uploads"]
    assert config["isTTSEnabled"] is False and isinstance(config["flowData"], str)
    chat = (await client.get(f"/api/v1/public-chatbotConfig/{CHAT_FLOW_ID}")).json()
    assert chat["followUpPrompts"]["status"] is True
    response = await client.get(f"/api/v1/public-chatbotConfig/{uuid.uuid4()}")
    assert response.status_code == 500


async def test_every_flow_has_two_to_four_starter_prompts(client: httpx.AsyncClient) -> None:
    for flow in DEMO_FLOWS:
        config = (await client.get(f"/api/v1/public-chatbotConfig/{flow.id}")).json()
        if flow.id == FORM_FLOW_ID:  # it starts with its form, not with a question
            assert config["starterPrompts"] == {}
        else:
            assert 2 <= len(config["starterPrompts"]) <= 4


async def test_history_filters(client: httpx.AsyncClient) -> None:
    session = f"filters-{uuid.uuid4()}"
    ids = {"chatId": session, "overrideConfig": {"sessionId": session}}
    await stream(client, CHAT_FLOW_ID, {"question": "one", **ids})
    await stream(client, CHAT_FLOW_ID, {"question": "two", **ids})
    url = f"/api/v1/chatmessage/{CHAT_FLOW_ID}"
    rows = (await client.get(url, params={"chatId": session})).json()
    assert [(r["role"], r["content"]) for r in rows][::2] == [
        ("userMessage", "one"),
        ("userMessage", "two"),
    ]
    recorded = recorded_list("chatmessage_plain_by_chatId")
    assert all(list(row) == list(recorded[0]) for row in rows)
    assert rows[0]["chatType"] == "EXTERNAL" and rows[0]["memoryType"] == "Buffer Memory"
    by_session = (await client.get(url, params={"sessionId": session})).json()
    assert by_session == rows
    desc = (await client.get(url, params={"sessionId": session, "order": "DESC"})).json()
    assert desc == rows[::-1]
    external = (await client.get(url, params={"chatId": session, "chatType": "EXTERNAL"})).json()
    assert external == rows
    internal = (
        await client.get(url, params={"chatId": session, "chatType": '["INTERNAL"]'})
    ).json()
    assert internal == []


async def test_feedback_create_update_list(client: httpx.AsyncClient) -> None:
    chat_id = f"feedback-{uuid.uuid4()}"
    meta = (await stream(client, CHAT_FLOW_ID, {"question": "Rate me", "chatId": chat_id})).metadata
    body = {
        "chatflowid": CHAT_FLOW_ID,
        "chatId": chat_id,
        "messageId": meta["chatMessageId"],
        "rating": "THUMBS_UP",
        "content": "nice",
    }
    created = (await client.post(f"/api/v1/feedback/{CHAT_FLOW_ID}", json=body)).json()
    assert list(created) == list(recorded_dict("feedback_thumbs_up"))
    assert {k: created[k] for k in body} == body
    updated = await client.put(f"/api/v1/feedback/{created['id']}", json={"rating": "THUMBS_DOWN"})
    assert updated.status_code == 200 and updated.json()["rating"] == "THUMBS_DOWN"
    listed = (
        await client.get(f"/api/v1/feedback/{CHAT_FLOW_ID}", params={"chatId": chat_id})
    ).json()
    assert len(listed) == 1 and listed[0]["rating"] == "THUMBS_DOWN"
    assert list(listed[0]) == list(recorded_list("feedback_list_plain")[0])
    plain = await client.post("/api/v1/feedback", json={**body, "rating": "THUMBS_DOWN"})
    assert plain.status_code == 200


async def test_feedback_errors(client: httpx.AsyncClient) -> None:
    missing = str(uuid.uuid4())
    body = {"chatflowid": CHAT_FLOW_ID, "chatId": "x", "messageId": missing, "rating": "THUMBS_UP"}
    response = await client.post(f"/api/v1/feedback/{CHAT_FLOW_ID}", json=body)
    assert response.status_code == 404
    assert response.json()["message"] == f"Message with ID {missing} not found"
    assert (await client.put(f"/api/v1/feedback/{missing}", json={})).status_code == 404


@pytest.fixture(scope="module")
def keyed_server() -> Iterator[DemoServer]:
    with DemoServer(token_delay=0, api_key="management-key") as server:
        yield server


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/chatflows",
        f"/api/v1/chatflows/{CHAT_FLOW_ID}",
        f"/api/v1/chatmessage/{CHAT_FLOW_ID}",
        f"/api/v1/feedback/{CHAT_FLOW_ID}",
    ],
)
async def test_api_key_gates_management_routes(keyed_server: DemoServer, path: str) -> None:
    async with httpx.AsyncClient(base_url=keyed_server.url) as http:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            denied = await http.get(path, headers=headers)
            assert denied.status_code == 401
            assert denied.content == b'{"error":"Unauthorized Access"}'
        for key in ("management-key", PROTECTED_FLOW_KEY):
            allowed = await http.get(path, headers={"Authorization": f"Bearer {key}"})
            assert allowed.status_code == 200


async def test_api_key_leaves_public_routes_open(keyed_server: DemoServer) -> None:
    async with httpx.AsyncClient(base_url=keyed_server.url) as http:
        assert (await http.get(f"/api/v1/chatflows-streaming/{CHAT_FLOW_ID}")).status_code == 200
        assert (await http.get(f"/api/v1/public-chatbotConfig/{CHAT_FLOW_ID}")).status_code == 200
        assert (await predict(http, CHAT_FLOW_ID, {"question": "hi"})).status_code == 200


async def test_public_chatflows(client: httpx.AsyncClient) -> None:
    public = await client.get(f"/api/v1/public-chatflows/{RAG_FLOW_ID}")
    assert public.status_code == 200 and public.json()["isPublic"] is True
    private = await client.get(f"/api/v1/public-chatflows/{PROTECTED_FLOW_ID}")
    assert private.status_code == 401 and private.content == b'{"message":"Unauthorized"}'
