"""Artifacts against a real Flowise (`TUI Lab Artifacts`, made by tests/live/lab_artifacts.py):
read from the stream, their stored file downloaded through both of Flowise's file routes."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flowise_tui.flowise import (
    Chatflow,
    FlowiseClient,
    FlowiseInvalidIdError,
    FlowiseServerError,
    PredictionRequest,
)
from flowise_tui.flowise.artifacts import parse_artifacts
from flowise_tui.flowise.events import ArtifactsEvent
from tests.live import settings
from tests.live.record_artifacts import CHART_NAME, tiny_png

pytestmark = pytest.mark.parametrize("flow", ["artifacts"], indirect=True)


def chart_upload() -> dict[str, str]:
    data = "data:image/png;base64," + base64.b64encode(tiny_png()).decode()
    return {"data": data, "type": "file", "name": CHART_NAME, "mime": "image/png"}


async def test_artifacts_stream_and_their_file_downloads(flow: Chatflow) -> None:
    request = PredictionRequest("Draw the chart", uploads=[chart_upload()])
    async with FlowiseClient(settings.URL, settings.API_KEY) as client:
        events = [e async for e in client.stream_prediction(flow.id, request)]
        found = [e for e in events if isinstance(e, ArtifactsEvent)]
        assert len(found) == 1
        artifacts = parse_artifacts(found[0].artifacts)
        assert [a.kind for a in artifacts] == ["markdown", "html", "javascript", "png"]
        image = artifacts[3]
        assert image.file_name == CHART_NAME
        by_get = await client.download_file(flow.id, request.chat_id, CHART_NAME)
        by_post = await client.download_file(flow.id, request.chat_id, CHART_NAME, annotation=True)
        with pytest.raises(FlowiseServerError, match="not found"):
            await client.download_file(flow.id, request.chat_id, "no-such-file.png")
        with pytest.raises(FlowiseInvalidIdError):
            await client.download_file(flow.id, request.chat_id, "../lab_api_key.json")
    assert by_get == by_post == tiny_png()


def test_cli_saves_what_it_can_and_says_what_it_could_not(
    flow: Chatflow, live_env: dict[str, str], tmp_path: Path
) -> None:
    argv = ["ask", "--save-files", str(tmp_path), "--show", "artifacts", flow.id, "chart"]
    result = subprocess.run(
        [sys.executable, "-m", "flowise_tui", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **live_env},
    )
    assert "Traceback" not in result.stderr
    # The chat holds no chart (nothing was uploaded to it): Flowise answers "not found".
    assert result.returncode == 1, result.stderr
    assert f"not saved {CHART_NAME}: " in result.stderr and "not found" in result.stderr
    assert (tmp_path / "artifact-1.md").read_text().startswith("# Lab report")
    assert "<script>" in (tmp_path / "artifact-2.html").read_text()
    assert "Hello world" in result.stdout and "alert(1)" not in result.stdout
