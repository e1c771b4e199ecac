"""Images in the log against the demo's Artifacts flow: drawn (half blocks, as a headless app
is told to), opened full-screen, and the fallback when the image library is missing."""

from __future__ import annotations

import sys

import pytest

from flowise_tui.app import graphics
from flowise_tui.app.screens.picture_view import PictureScreen
from flowise_tui.app.widgets.files import ReturnedFiles
from flowise_tui.app.widgets.picture import Picture
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.demo.flows import ARTIFACTS_FLOW_ID
from tests.app.conftest import ask, wait_for
from tests.app.scenes import open_flow

SIZE = (140, 44)


async def test_an_image_artifact_is_drawn_and_opens_full_screen(make_app, monkeypatch) -> None:
    monkeypatch.setenv(graphics.ENVIRONMENT, "halfcell")
    async with make_app().run_test(size=SIZE) as pilot:
        app = await open_flow(pilot, ARTIFACTS_FLOW_ID)
        await ask(pilot, "Chart this week's sales")
        view = app.chat.query_one(TurnView)
        picture = view.query_one(Picture)
        await wait_for(pilot, lambda: picture.decoded is not None or picture.problem)
        assert picture.problem is None
        await pilot.pause()
        drawn = picture.query_one(".picture-image")
        assert type(drawn).__name__ == "HalfcellImage"
        files = view.query_one(ReturnedFiles)
        assert drawn.region.right <= files.region.right
        assert 1 <= drawn.region.height <= 16
        # the chart is 56 x 48 pixels, a half block shows two, one above the other: 56 x 24
        # cells, shrunk to the 16 rows the log allows
        assert (drawn.region.width, drawn.region.height) == (37, 16)
        picture.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PictureScreen))
        await wait_for(pilot, lambda: app.screen.query(".picture-image"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PictureScreen))
