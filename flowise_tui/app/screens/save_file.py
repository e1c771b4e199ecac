"""Ask where to save a file the answer returned: a path that defaults to the downloads folder.

An existing file is never replaced on the first Enter: the dialog says so, and a second Enter
on the same path replaces it. A folder as the path saves the file in it under its own
(sanitised) name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from textual import on
from textual.containers import Vertical
from textual.widgets import Input, Static

from flowise_tui.app import plain, render
from flowise_tui.app.actions import bindings
from flowise_tui.app.screens.dialog import Dialog
from flowise_tui.flowise.artifacts import safe_file_name

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from flowise_tui.returned_files import ReturnedFile


@dataclass(frozen=True)
class SaveChoice:
    path: Path
    overwrite: bool


def downloads_folder() -> Path:
    return Path(platformdirs.user_downloads_dir())


class SaveFileScreen(Dialog[SaveChoice | None]):
    """Dismisses with where to save (and whether to replace what is there), or None."""

    BINDINGS = bindings("feedback")
    DEFAULT_CSS = """
    #save-file-dialog {
        width: 80;
        max-width: 100%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 1 2;
    }
    #save-note { color: $warning; }
    """

    def __init__(self, item: ReturnedFile, folder: Path | None = None) -> None:
        super().__init__()
        self.item = item
        self.folder = folder or downloads_folder()
        self._confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="save-file-dialog") as box:
            box.border_title = "Save file"
            yield Static(plain.content(plain.line(self.item.describe(), 200)), markup=False)
            yield Static("Where to save it. Enter saves, Esc cancels.")
            yield Input(value=str(self.folder / self.item.name), id="save-path")
            yield Static(id="save-note", markup=False)

    def target(self, typed: str) -> Path | None:
        """The file the typed path means: in a folder, under the file's own name."""
        path = Path(typed.strip()).expanduser()
        if not typed.strip():
            return None
        if path.is_dir():
            return path / self.item.name
        name = safe_file_name(path.name)
        return path.with_name(name) if name else None

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        note = self.query_one("#save-note", Static)
        path = self.target(event.value)
        if path is None:
            note.update(render.styled("That is not a usable file name.", "bold"))
            return
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            shown = plain.line(str(path), 200)
            note.update(plain.content(f"{shown} exists: Enter again replaces it."))
            return
        self.dismiss(SaveChoice(path, overwrite=path.exists()))

    @on(Input.Changed)
    def _forget_confirmation(self) -> None:
        self._confirmed = None
        self.query_one("#save-note", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)
