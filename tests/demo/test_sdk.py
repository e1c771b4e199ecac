"""The official `flowise` Python SDK streams from the demo server."""

from __future__ import annotations

import json

from flowise import Flowise, PredictionData

from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import CHAT_FLOW_ID, NOSTREAM_FLOW_ID, RAG_FLOW_ID


def test_sdk_streams_tokens_that_join_to_the_answer(demo_server: DemoServer) -> None:
    client = Flowise(base_url=demo_server.url)
    data = PredictionData(chatflowId=CHAT_FLOW_ID, question="Hello from the SDK", streaming=True)
    events = [json.loads(chunk) for chunk in client.create_prediction(data)]
    names = [event["event"] for event in events]
    assert names[0] == "start" and names[-2:] == ["metadata", "end"]
    answer = "".join(event["data"] for event in events if event["event"] == "token")
    assert answer.startswith("## Hello from the SDK\n\n")
    assert events[-2]["data"]["question"] == "Hello from the SDK"


def test_sdk_rag_stream_carries_source_documents(demo_server: DemoServer) -> None:
    client = Flowise(base_url=demo_server.url)
    data = PredictionData(chatflowId=RAG_FLOW_ID, question="Who is the head baker?", streaming=True)
    events = [json.loads(chunk) for chunk in client.create_prediction(data)]
    documents = next(event["data"] for event in events if event["event"] == "sourceDocuments")
    assert documents[0]["metadata"]["source"] == "crumb-and-co-team.txt"


def test_sdk_falls_back_to_json_for_a_non_streaming_flow(demo_server: DemoServer) -> None:
    client = Flowise(base_url=demo_server.url)
    data = PredictionData(chatflowId=NOSTREAM_FLOW_ID, question="Stream please", streaming=True)
    [answer] = list(client.create_prediction(data))
    assert answer["question"] == "Stream please" and "text" in answer
