"""The demo's Artifacts flow speaks Flowise's format: the client reads its artifacts and file
annotation and downloads both files, over loopback."""

from __future__ import annotations

import httpx
import pytest

from flowise_tui.demo.flows import ARTIFACTS_FLOW_ID
from flowise_tui.flowise import FlowiseClient, FlowiseServerError, PredictionRequest
from flowise_tui.flowise.artifacts import parse_artifacts, parse_file_annotations
from flowise_tui.flowise.events import ArtifactsEvent, FileAnnotationsEvent
from tests.replay import load, recorded_events


async def test_artifacts_stream_like_the_recording_and_their_files_download(
    demo_url: str,
) -> None:
    request = PredictionRequest(question="Chart this week's sales")
    chat_id = request.chat_id
    async with FlowiseClient(demo_url) as client:
        events = [e async for e in client.stream_prediction(ARTIFACTS_FLOW_ID, request)]
        artifacts = parse_artifacts(
            next(e.artifacts for e in events if isinstance(e, ArtifactsEvent))
        )
        annotations = parse_file_annotations(
            next(e.annotations for e in events if isinstance(e, FileAnnotationsEvent))
        )
        assert {a.kind for a in artifacts} == {"markdown", "javascript", "html", "png"}
        chart = next(a for a in artifacts if a.is_image)
        image = await client.download_file(ARTIFACTS_FLOW_ID, chat_id, chart.name)
        table = await client.download_file(
            ARTIFACTS_FLOW_ID, chat_id, annotations[0].file_name, annotation=True
        )
        with pytest.raises(FlowiseServerError, match="not found"):
            await client.download_file(ARTIFACTS_FLOW_ID, "other-chat", chart.name)
    assert image.startswith(b"\x89PNG\r\n\x1a\n") and len(image) > 100
    assert table.decode().splitlines()[0] == "day,loaves"
    order = ("usedTools", "artifacts", "metadata", "end")
    recorded = [name for name, _ in recorded_events(load("artifacts_stream").body)]
    demo = [e.name for e in events]
    for names in (recorded, demo):
        assert [names.index(name) for name in order] == sorted(names.index(n) for n in order)


async def test_the_json_reply_and_stored_history_keep_them(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        events = await client.predict(ARTIFACTS_FLOW_ID, PredictionRequest(question="chart"))
    assert any(isinstance(e, ArtifactsEvent) for e in events)
    assert any(isinstance(e, FileAnnotationsEvent) for e in events)


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ({"chatflowId": ARTIFACTS_FLOW_ID, "chatId": "c", "fileName": "../x"}, 400, "Invalid path"),
        ({"chatflowId": "nope", "chatId": "c", "fileName": "x"}, 400, "Invalid chatflowId"),
        ({"chatflowId": ARTIFACTS_FLOW_ID, "chatId": "c"}, 500, "Invalid file path"),
    ],
)
async def test_the_file_route_refuses_like_flowise(
    demo_url: str, query: dict[str, str], status: int, text: str
) -> None:
    async with httpx.AsyncClient(base_url=demo_url) as http:
        response = await http.get("/api/v1/get-upload-file", params=query)
    assert response.status_code == status and text in response.text
