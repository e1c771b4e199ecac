"""Bakery Docs (RAG) ranks with BM25; the Tool Agent really calculates and reads the clock."""

from __future__ import annotations

import re

import httpx
import pytest

from flowise_tui.demo.flows import RAG_FLOW_ID, TOOL_FLOW_ID

from .sse import predict, stream


@pytest.mark.parametrize(
    ("question", "source", "needle"),
    [
        ("When does the bakery open?", "crumb-and-co-hours.txt", "opens at 7 am"),
        ("How much is the lemon tart?", "crumb-and-co-menu.txt", "4.50 euros"),
        ("Who is the head baker?", "crumb-and-co-team.txt", "Marta Lindqvist"),
        (
            "Are there deliveries on Sundays?",
            "crumb-and-co-delivery.txt",
            "no deliveries on Sundays",
        ),
    ],
)
async def test_rag_ranks_the_expected_chunk_first(
    client: httpx.AsyncClient, question: str, source: str, needle: str
) -> None:
    result = await stream(client, RAG_FLOW_ID, {"question": question})
    documents = result.first("sourceDocuments")
    assert isinstance(documents, list) and len(documents) == 2
    top = documents[0]
    assert top["metadata"]["source"] == source
    assert needle in top["pageContent"]
    assert needle in result.answer
    lines = top["metadata"]["loc"]["lines"]
    assert 1 <= lines["from"] <= lines["to"]


async def test_rag_document_shape_like_the_recording(client: httpx.AsyncClient) -> None:
    result = await stream(client, RAG_FLOW_ID, {"question": "How much is a croissant?"})
    documents = result.first("sourceDocuments")
    document = documents[0]
    assert list(document) == ["pageContent", "metadata"]
    # Like the recording, with the score where Flowise's rerank retrievers put it.
    assert list(document["metadata"]) == ["loc", "source", "relevance_score"]
    assert list(document["metadata"]["loc"]) == ["lines"]
    scores = [d["metadata"]["relevance_score"] for d in documents]
    assert scores and scores == sorted(scores, reverse=True) and scores[-1] > 0


async def test_rag_non_streaming_shape(client: httpx.AsyncClient) -> None:
    body = (await predict(client, RAG_FLOW_ID, {"question": "Who is the head baker?"})).json()
    assert list(body)[:3] == ["text", "sourceDocuments", "question"]
    assert body["memoryType"] == "Buffer Memory"


async def test_rag_without_matches(client: httpx.AsyncClient) -> None:
    result = await stream(client, RAG_FLOW_ID, {"question": "quantum chromodynamics"})
    assert result.first("sourceDocuments") == []
    assert "could not find" in result.answer


async def test_calculator_really_computes(client: httpx.AsyncClient) -> None:
    result = await stream(client, TOOL_FLOW_ID, {"question": "What is 12*(3+4) - 2**3?"})
    assert result.first("calledTools") == [
        {"tool": "calculator", "toolInput": {"input": "12*(3+4) - 2**3"}, "toolOutput": ""}
    ]
    assert result.first("usedTools") == [
        {"tool": "calculator", "toolInput": {"input": "12*(3+4) - 2**3"}, "toolOutput": "76"}
    ]
    assert "**76**" in result.answer


async def test_clock_and_calculator_together(client: httpx.AsyncClient) -> None:
    result = await stream(
        client, TOOL_FLOW_ID, {"question": "Compute 7 times 6 and tell me the time"}
    )
    used = result.first("usedTools")
    assert [tool["tool"] for tool in used] == ["calculator", "current_date_time"]
    assert used[0]["toolOutput"] == "42"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", used[1]["toolOutput"])


async def test_calculator_reports_errors(client: httpx.AsyncClient) -> None:
    result = await stream(client, TOOL_FLOW_ID, {"question": "What is 1/0?"})
    assert result.first("usedTools")[0]["toolOutput"] == "Error: division by zero"
    assert "division by zero" in result.answer


async def test_tool_agent_non_streaming_shape(client: httpx.AsyncClient) -> None:
    body = (await predict(client, TOOL_FLOW_ID, {"question": "What is 2+2?"})).json()
    assert list(body)[:3] == ["text", "usedTools", "question"]
    assert body["usedTools"][0]["toolOutput"] == "4"
