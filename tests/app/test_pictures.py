"""Images in the log against the demo's Artifacts flow: drawn (half blocks, as a headless app
is told to), opened full-screen, and the fallback when the image library is missing."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

from textual.widgets import Button, Static

from flowise_tui.app import graphics
from flowise_tui.app.screens.picture_view import PictureScreen
from flowise_tui.app.widgets.attachments import AttachmentTray
from flowise_tui.app.widgets.files import ReturnedFiles
from flowise_tui.app.widgets.picture import Picture
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.demo.files import bar_chart_png
from flowise_tui.demo.flows import ARTIFACTS_FLOW_ID, ATTACH_FLOW_ID
from tests.app.conftest import ask, wait_for
from tests.app.scenes import SESSION, open_flow, settle

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

        view.turn.answer.artifacts = [{"type": "png", "data": "FILE-STORAGE::not-there.png"}]
        view.refresh_panes()
        await wait_for(pilot, lambda: files.files[0].name == "not-there.png")
        await wait_for(pilot, lambda: [p for p in files.query(Picture) if p.problem])
        missing = next(p for p in files.query(Picture) if p.problem)
        assert "image not shown" in note_of(missing) and "not found" in note_of(missing)

        inline = "data:image/png;base64," + base64.b64encode(bar_chart_png([2, 6, 4])).decode()
        view.turn.answer.artifacts = [
            {"type": "png", "data": inline},
            {"type": "png", "data": "data:image/png;base64,@@not-base64@@"},
        ]
        view.refresh_panes()
        await wait_for(pilot, lambda: files.files[0].content == inline)
        await wait_for(pilot, lambda: len([p for p in files.query(Picture) if p.decoded]) == 1)
        await wait_for(pilot, lambda: len([p for p in files.query(Picture) if p.problem]) == 1)
        drawn, damaged = files.query(Picture).results()
        assert drawn.decoded is not None and drawn.decoded.width == 24
        assert "damaged" in note_of(damaged)
        shown = "".join(str(s.render()) for s in files.query(Static).results())
        assert inline[22:60] not in shown and "@@not-base64@@" not in shown  # never the data


def note_of(picture: Picture) -> str:
    return str(picture.query_one(".picture-note", Static).render())


async def test_attached_images_show_under_the_question_and_a_broken_one_says_why(
    make_app, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(graphics.ENVIRONMENT, "halfcell")
    (tmp_path / "chart.png").write_bytes(bar_chart_png([4, 9, 2, 7, 5]))
    (tmp_path / "broken.png").write_bytes(bar_chart_png([1, 2, 3])[:60])
    async with make_app().run_test(size=SIZE) as pilot:
        app = await open_flow(pilot, ATTACH_FLOW_ID)
        tray = app.chat.query_one(AttachmentTray)
        tray.attach([tmp_path / "chart.png", tmp_path / "broken.png"])
        await wait_for(pilot, lambda: len(tray.choices) == 2)
        await ask(pilot, "What did I attach?")
        view = app.chat.query_one(TurnView)
        chart, broken = view.query(Picture).results()
        await wait_for(pilot, lambda: chart.decoded is not None and broken.problem)
        assert "not a readable image" in note_of(broken)
        await pilot.pause()
        drawn = chart.query_one(".picture-image")
        assert drawn.region.height <= 8 and drawn.region.y < view.query_one(".answer").region.y


async def test_without_the_library_the_fallback_stays_and_says_why(make_app, monkeypatch) -> None:
    monkeypatch.setenv(graphics.ENVIRONMENT, "halfcell")
    monkeypatch.setattr(graphics, "_library", None)
    monkeypatch.setitem(sys.modules, "textual_image", None)  # as if the extra were missing
    async with make_app().run_test(size=SIZE) as pilot:
        app = await open_flow(pilot, ARTIFACTS_FLOW_ID)
        await ask(pilot, "Chart this week's sales")
        view = app.chat.query_one(TurnView)
        picture = view.query_one(Picture)
        await wait_for(pilot, lambda: picture.problem)
        assert "`images` extra" in note_of(picture)
        block = picture.parent
        assert block is not None and block.query(".file-link") and block.query(Button)
        picture.focus()
        await pilot.press("enter")  # no full view: it says why instead
        assert not isinstance(app.screen, PictureScreen)


async def image_in_the_log(pilot) -> None:
    """The Artifacts flow's chart in the log, in the chat the snapshot scenes show."""
    app = await open_flow(pilot, ARTIFACTS_FLOW_ID)
    assert app.chat.conversation is not None
    app.chat.conversation.chat_id = SESSION  # the file is kept under it: the link stays good
    await ask(pilot, "Chart this week's sales")
    await settle(pilot)
    picture = app.chat.query_one(Picture)
    await wait_for(pilot, lambda: picture.decoded is not None or picture.problem)
    await pilot.pause()
    picture.scroll_visible(animate=False, immediate=True)
    await pilot.pause()


def test_an_image_in_the_log_looks_like_this(snap_compare, make_app, monkeypatch) -> None:
    monkeypatch.setenv(graphics.ENVIRONMENT, "halfcell")
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=image_in_the_log)
