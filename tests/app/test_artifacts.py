"""The Files pane against the demo's Artifacts flow: shown as text, saved, names made safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Collapsible, Input, Static

from flowise_tui.app.screens import save_file
from flowise_tui.app.screens.save_file import SaveFileScreen
from flowise_tui.app.widgets.files import FileMarkdown, ReturnedFiles
from flowise_tui.app.widgets.turn import TurnView
from flowise_tui.demo.flows import ARTIFACTS_FLOW_ID
from tests.app.conftest import ask, wait_for
from tests.app.scenes import open_flow

SIZE = (140, 44)


async def test_files_show_as_text_and_an_image_saves(make_app, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "downloads"
    monkeypatch.setattr(save_file, "downloads_folder", lambda: folder)
    async with make_app().run_test(size=SIZE) as pilot:
        app = await open_flow(pilot, ARTIFACTS_FLOW_ID)
        await ask(pilot, "Chart this week's sales")
        view = app.chat.query_one(TurnView)
        pane = view.query_one("#files-pane", Collapsible)
        assert pane.display and pane.title == "Files (5)" and not pane.collapsed
        sources = [md.source for md in view.query(FileMarkdown)]
        assert "| Sat | 41 |" in sources[0]
        assert sources[1].startswith("```javascript\n")
        page = sources[2]
        assert "Best day: Saturday (41 loaves)." in page
        assert "<" not in page and "alert" not in page  # never the page's markup or script
        titles = [str(s.render()) for s in view.query(".file-title").results(Static)]
        assert any("weekly-sales.png · png image" in title for title in titles)

        files = view.query_one(ReturnedFiles)
        index = next(i for i, item in enumerate(files.files) if item.is_image)
        next(b for b in files.query(Button) if b.id and b.id.endswith(f"-{index}")).press()
        await wait_for(
            pilot, lambda: isinstance(app.screen, SaveFileScreen) and app.screen.query("#save-path")
        )
        field = app.screen.query_one("#save-path", Input)
        assert field.value == str(folder / "weekly-sales.png")
        await pilot.press("enter")
        target = folder / "weekly-sales.png"
        await wait_for(pilot, lambda: target.exists())
        assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

        target.write_bytes(b"mine")  # asked again: the first Enter only warns
        files.post_message(ReturnedFiles.SaveRequested(files, files.files[index]))
        await wait_for(
            pilot, lambda: isinstance(app.screen, SaveFileScreen) and app.screen.query("#save-path")
        )
        await pilot.press("enter")
        await pilot.pause()
        note = str(app.screen.query_one("#save-note", Static).render())
        assert "exists" in note and target.read_bytes() == b"mine"
        await pilot.press("enter")
        await wait_for(pilot, lambda: target.read_bytes() != b"mine")
        assert target.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("hostile", ["../../.bashrc", "\x1b]52;c;aGk=\x07evil.md"])
async def test_hostile_names_are_made_safe_before_any_path(
    make_app, tmp_path: Path, monkeypatch, hostile: str
) -> None:
    folder = tmp_path / "downloads"
    monkeypatch.setattr(save_file, "downloads_folder", lambda: folder)
    async with make_app().run_test(size=SIZE) as pilot:
        app = await open_flow(pilot, ARTIFACTS_FLOW_ID)
        turn = await ask(pilot, "chart")
        turn.answer.artifacts = [{"type": "markdown", "data": "[x](file:///etc/passwd)"}]
        turn.answer.file_annotations = [{"fileName": hostile, "filePath": "FILE-STORAGE::x"}]
        view = app.chat.query_one(TurnView)
        view.refresh_panes()
        files = view.query_one(ReturnedFiles)
        await wait_for(pilot, lambda: len(files.files) == 2)
        name = files.files[1].name
        assert "/" not in name and "\x1b" not in name and not name.startswith(".")
        files.post_message(ReturnedFiles.SaveRequested(files, files.files[1]))
        await wait_for(
            pilot, lambda: isinstance(app.screen, SaveFileScreen) and app.screen.query("#save-path")
        )
        path = Path(app.screen.query_one("#save-path", Input).value)
        assert path.parent == folder and path.name == name
