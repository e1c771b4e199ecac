"""A source document in full: its whole content and all its metadata."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from flowise_tui.app import render
from flowise_tui.app.actions import bindings
from flowise_tui.app.screens.dialog import Dialog
from flowise_tui.flowise.models import SourceDocument


class DocumentScreen(Dialog[None]):
    BINDINGS = bindings("document")

    def __init__(self, document: SourceDocument) -> None:
        super().__init__()
        self.document = document

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="document") as scroll:
            scroll.border_title = "Source document"
            scroll.border_subtitle = "Esc closes"
            yield Static(render.document_content(self.document), markup=False)
