"""Every other recorded endpoint, replayed over loopback: typed results and typed errors."""

from __future__ import annotations

import json

import pytest

from flowise_tui.flowise import (
    FlowiseAuthError,
    FlowiseClient,
    FlowiseHTTPError,
    FlowiseNotFoundError,
    FlowiseProtocolError,
    FlowiseServerError,
    FlowiseTimeoutError,
    Limits,
    PredictionRequest,
)
from flowise_tui.flowise.events import (
    AgentFlowExecutedDataEvent,
    EndEvent,
    MetadataEvent,
    SourceDocumentsEvent,
    StartEvent,
    TokenEvent,
    UsedToolsEvent,
)
from tests.client.test_replay_overrides import REPLAYED as REPLAYED_FOR_OVERRIDES
from tests.replay import WIRE, ReplayServer, all_names, load

PLAIN = "9956ddb8-0963-4900-a9e9-c54c845caff7"
COVERED: set[str] = set()


def replay(name: str, **kwargs: object) -> ReplayServer:
    COVERED.add(name)
    return ReplayServer(load(name), **kwargs)  # type: ignore[arg-type]


def flow_of(server: ReplayServer) -> str:
    return server.recording.path.split("?")[0].rsplit("/", 1)[1]


async def test_ping_and_version() -> None:
    async with replay("ping") as server, FlowiseClient(server.url) as client:
        assert await client.ping() == "pong"
    async with replay("version") as server, FlowiseClient(server.url) as client:
        assert await client.version() == "3.1.4"


async def test_chatflow_list_is_typed_and_sorted() -> None:
    async with replay("chatflows_list") as server, FlowiseClient(server.url, "k") as client:
        flows = await client.list_chatflows()
    names = [f.name for f in flows]
    assert names == sorted(names, key=str.lower)
    by_name = {f.name: f for f in flows}
    assert by_name["Lab Plain Chat"].id == PLAIN
    assert by_name["Lab Agentflow LLM"].type == "AGENTFLOW"
    assert by_name["Lab Protected"].has_api_key
    async with replay("chatflows_list_agentflows") as server:
        async with FlowiseClient(server.url, "k") as client:
            flows = await client.list_chatflows(type="agentflow")
        assert server.requests[-1][1] == "/api/v1/chatflows?type=AGENTFLOW"
    assert {f.type for f in flows} == {"AGENTFLOW"}


async def test_listing_without_key_says_a_key_is_needed() -> None:
    async with replay("chatflows_list_no_key") as server, FlowiseClient(server.url) as client:
        with pytest.raises(FlowiseAuthError, match="Listing chatflows needs an API key"):
            await client.list_chatflows()
    async with replay("chatflows_list_wrong_key") as server:
        async with FlowiseClient(server.url, "wrong") as client:
            with pytest.raises(FlowiseAuthError, match="refused the API key") as info:
                await client.list_chatflows()
    assert "wrong" not in str(info.value)


async def test_get_chatflow_and_unknown_id() -> None:
    async with replay("chatflow_get_plain") as server, FlowiseClient(server.url, "k") as client:
        flow = await client.get_chatflow(PLAIN)
    assert (flow.id, flow.name, flow.type) == (PLAIN, "Lab Plain Chat", "CHATFLOW")
    async with replay("chatflow_get_agentflow") as server, FlowiseClient(server.url, "k") as c:
        assert (await c.get_chatflow(flow_of(server))).type == "AGENTFLOW"
    async with replay("chatflow_get_unknown_id") as server, FlowiseClient(server.url, "k") as c:
        with pytest.raises(FlowiseNotFoundError, match="not found in the database"):
            await c.get_chatflow(flow_of(server))


@pytest.mark.parametrize(
    ("name", "streaming"),
    [
        ("chatflows_streaming_plain", True),
        ("chatflows_streaming_rag", True),
        ("chatflows_streaming_tool", True),
        ("chatflows_streaming_agentflow", True),
        ("chatflows_streaming_protected", True),
        ("chatflows_streaming_nostream", False),
    ],
)
async def test_is_streaming(name: str, streaming: bool) -> None:
    async with replay(name) as server, FlowiseClient(server.url) as client:
        assert await client.is_streaming(flow_of(server)) is streaming


async def test_unknown_chatflow_is_caught_before_streaming() -> None:
    async with replay("chatflows_streaming_unknown_id") as server:
        async with FlowiseClient(server.url) as client:
            with pytest.raises(FlowiseNotFoundError, match="was not found on"):
                async for _ in client.stream_prediction(flow_of(server), PredictionRequest("q")):
                    pass
        assert [r[0] for r in server.requests] == ["GET"]


@pytest.mark.parametrize(
    "name", ["error_unknown_chatflow_stream", "error_non_uuid_chatflow_id_stream"]
)
async def test_a_stream_that_never_starts_times_out(name: str) -> None:
    async with replay(name) as server:
        async with FlowiseClient(server.url, limits=Limits(first_byte_timeout=0.3)) as client:
            with pytest.raises(FlowiseTimeoutError, match=r"sent no answer within 0\.3 s"):
                async for _ in client.stream_prediction(flow_of(server), PredictionRequest("q")):
                    pass


async def test_chatbot_config_starter_prompts() -> None:
    async with replay("public_chatbotConfig_rag") as server, FlowiseClient(server.url) as client:
        config = await client.chatbot_config(flow_of(server))
    assert config.starter_prompts == ["When does the bakery open?"]
    assert config.welcome_message == "Hello from the lab RAG bot"
    async with replay("public_chatbotConfig_plain") as server, FlowiseClient(server.url) as c:
        assert (await c.chatbot_config(flow_of(server))).starter_prompts == []
    async with replay("public_chatbotConfig_unknown_id") as server, FlowiseClient(server.url) as c:
        with pytest.raises(FlowiseNotFoundError, match="was not found on"):
            await c.chatbot_config(flow_of(server))


def text_of(events: list) -> str:
    return "".join(e.text for e in events if isinstance(e, TokenEvent))


@pytest.mark.parametrize(
    "name",
    [
        "plain_nonstream",
        "plain_nonstream_turn2_chatId_sessionId",
        "rag_nonstream",
        "tool_agent_nonstream",
        "agentflow_llm_nonstream",
        "protected_flow_key_nonstream",
        "error_empty_question_nonstream",
        "error_no_body",
    ],
)
async def test_non_streaming_answers_become_the_stream_event_sequence(name: str) -> None:
    async with replay(name) as server, FlowiseClient(server.url) as client:
        events = await client.predict(flow_of(server), PredictionRequest("q"))
    reply = json.loads(server.recording.body)
    assert isinstance(events[0], StartEvent) and isinstance(events[-1], EndEvent)
    assert text_of(events) == reply["text"]
    metadata = next(e for e in events if isinstance(e, MetadataEvent)).metadata
    assert metadata.chat_id == reply["chatId"]
    assert metadata.chat_message_id == reply["chatMessageId"]
    kinds = {type(e) for e in events}
    assert (SourceDocumentsEvent in kinds) == ("sourceDocuments" in reply)
    assert (UsedToolsEvent in kinds) == ("usedTools" in reply)
    assert (AgentFlowExecutedDataEvent in kinds) == ("agentFlowExecutedData" in reply)


async def test_a_flow_that_cannot_stream_answers_json_to_a_stream_request() -> None:
    async with replay("nostream_flow_streaming_requested") as server:
        async with FlowiseClient(server.url) as client:
            flow = flow_of(server)
            events = [e async for e in client.stream_prediction(flow, PredictionRequest("q"))]
    assert text_of(events).startswith("Fake LLM answer to:")
    assert [type(e) for e in events][-2:] == [MetadataEvent, EndEvent]


@pytest.mark.parametrize(
    ("name", "error", "match"),
    [
        ("error_llm400_nonstream", FlowiseServerError, "The chatflow failed .*400 fake LLM"),
        ("protected_no_key_nonstream", FlowiseAuthError, "this chatflow has its own API key"),
        ("protected_admin_key_nonstream", FlowiseAuthError, "own API key"),
        ("error_unknown_chatflow_nonstream", FlowiseNotFoundError, "not found in the database"),
        ("error_non_uuid_chatflow_id_nonstream", FlowiseHTTPError, "400.*Invalid Chatflow ID"),
        (
            "error_malformed_json_nonstream",
            FlowiseHTTPError,
            "HTTP 400: Expected .* in JSON",
        ),
    ],
)
async def test_non_streaming_errors(name: str, error: type, match: str) -> None:
    async with replay(name) as server, FlowiseClient(server.url) as client:
        with pytest.raises(error, match=match):
            await client.predict(flow_of(server), PredictionRequest("q"))


async def test_streaming_request_answered_with_an_error_status() -> None:
    async with replay("error_malformed_json_stream") as server, FlowiseClient(server.url) as c:
        with pytest.raises(FlowiseHTTPError, match="HTTP 400"):
            async for _ in c.stream_prediction(flow_of(server), PredictionRequest("q")):
                pass


@pytest.mark.parametrize(
    "name",
    [
        "chatmessage_plain_all",
        "chatmessage_plain_by_chatId",
        "chatmessage_plain_by_sessionId",
        "chatmessage_plain_by_sessionId_order_desc_apiMessage",
        "chatmessage_slow_after_abort",
        "chatmessage_slow_after_client_disconnect",
    ],
)
async def test_history(name: str) -> None:
    async with replay(name) as server, FlowiseClient(server.url, "k") as client:
        messages = await client.chat_messages(flow_of(server))
    raw = json.loads(server.recording.body)
    assert [m.content for m in messages] == [r["content"] for r in raw]
    assert {m.role for m in messages} <= {"userMessage", "apiMessage"}
    assert all(m.chat_id for m in messages)


async def test_history_filters_are_sent() -> None:
    async with replay("chatmessage_plain_by_sessionId_order_desc_apiMessage") as server:
        async with FlowiseClient(server.url, "k") as client:
            await client.chat_messages(PLAIN, session_id="s1", order="desc", chat_type="EXTERNAL")
        target = server.requests[-1][1]
    assert target == f"/api/v1/chatmessage/{PLAIN}?sessionId=s1&order=DESC&chatType=EXTERNAL"


async def test_history_without_key() -> None:
    async with replay("chatmessage_plain_no_key") as server, FlowiseClient(server.url) as c:
        with pytest.raises(FlowiseAuthError, match="needs an API key"):
            await c.chat_messages(PLAIN)


async def test_feedback() -> None:
    async with replay("feedback_thumbs_up") as server, FlowiseClient(server.url) as client:
        feedback = await client.send_feedback(
            PLAIN, chat_id="c", message_id="m", rating="up", content="lab feedback"
        )
        sent = json.loads(server.requests[-1][2])
    assert sent == {
        "chatflowid": PLAIN,
        "chatId": "c",
        "messageId": "m",
        "rating": "THUMBS_UP",
        "content": "lab feedback",
    }
    assert feedback.rating == "THUMBS_UP" and feedback.id
    async with replay("feedback_unknown_message") as server, FlowiseClient(server.url) as c:
        with pytest.raises(FlowiseNotFoundError, match="Message with ID"):
            await c.send_feedback(PLAIN, chat_id="c", message_id="nope", rating="THUMBS_DOWN")
    async with replay("feedback_list_plain") as server, FlowiseClient(server.url, "k") as c:
        rows = await c.list_feedback(PLAIN)
    assert rows and all(r.chatflow_id == PLAIN and r.rating for r in rows)


@pytest.mark.parametrize(
    "name", ["abort_put_response", "abort_put_unknown_chat", "abort_agentflow_put_response"]
)
async def test_abort_is_a_put(name: str) -> None:
    async with replay(name) as server, FlowiseClient(server.url) as client:
        flow, chat = server.recording.path.rsplit("/", 2)[1:]
        await client.abort(flow, chat)
        assert server.requests[-1][:2] == ("PUT", server.recording.path)


async def test_a_web_page_where_json_belongs_is_a_clear_error() -> None:
    async with replay("abort_post_response") as server, FlowiseClient(server.url) as client:
        with pytest.raises(FlowiseProtocolError, match="web page instead of JSON"):
            await client.version()


NOT_CLIENT_FEATURES = {
    "chatflow_update_rag_public": "editing a chatflow is not something a chat client does",
    "public_chatflows_plain_not_public": "the client reads chatbot config, not public chatflows",
    "public_chatflows_rag_public": "the client reads chatbot config, not public chatflows",
    "executions_list": "agentflow executions are not browsed by the client",
}


def test_every_recording_is_replayed_somewhere() -> None:
    streamed = {p.stem for p in WIRE.glob("*.sse")}
    covered = COVERED | REPLAYED_FOR_OVERRIDES
    missing = set(all_names()) - covered - streamed - set(NOT_CLIENT_FEATURES)
    assert not missing, f"recordings no test replays: {sorted(missing)}"
