"""An image artifact of a real Flowise drawn in the log (`TUI Lab Artifacts`, made by
tests/live/lab_artifacts.py): its file fetched from the server's storage and decoded.

The flow names `tui-lab-chart.png` in the chat's storage; the chart is put there first by a
prediction that uploads it in the same chat (the flow does not offer uploads in the app).
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from flowise_tui.app import graphics
from flowise_tui.app.widgets.picture import Picture
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.flowise import Chatflow, FlowiseClient, PredictionRequest
from tests.app.conftest import SIZE, build_app, opened, wait_for
from tests.faults.helpers import ask
from tests.live import settings
from tests.live.record_artifacts import CHART_NAME, tiny_png

pytestmark = pytest.mark.parametrize("flow", ["artifacts"], indirect=True)


async def test_the_artifact_chart_is_drawn_from_the_server(
    flow: Chatflow, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(graphics.ENVIRONMENT, "halfcell")
    chart = tiny_png(48, 32)
    upload = {"data": "data:image/png;base64," + base64.b64encode(chart).decode(),
              "type": "file", "name": CHART_NAME, "mime": "image/png"}  # fmt: skip
    request = PredictionRequest("Draw the chart", uploads=[upload])
    async with FlowiseClient(settings.URL, settings.API_KEY) as client:
        await client.predict(flow.id, request)
    app = build_app(tmp_path, url=settings.URL, api_key=settings.API_KEY, chatflow=flow.id)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, flow.id)
        assert app.chat.conversation is not None
        app.chat.conversation.chat_id = request.chat_id  # the chat that holds the chart
        await ask(pilot, "Draw the chart")
        view = app.chat.query(TurnView).last()
        picture = view.query_one(Picture)
        await wait_for(pilot, lambda: picture.decoded is not None or picture.problem)
        assert picture.problem is None
        assert picture.decoded is not None
        assert (picture.decoded.width, picture.decoded.height) == (48, 32)
