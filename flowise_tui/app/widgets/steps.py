"""The steps pane (a row per agentflow node, thought and agent message, each opening its full
view) and the live line that shows a thought while it streams."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.widgets import Static

from flowise_tui.app import render, step_views
from flowise_tui.app.actions import bindings

if TYPE_CHECKING:
    from textual import events
    from textual.app import ComposeResult
    from textual.content import Content

    from flowise_tui.conversation import Answer

LIVE_TAIL = 240
"""The live thinking line shows the last this many characters of the thought."""


def preview_content(entry: step_views.Entry) -> Content:
    text = entry.preview
    if entry.live and len(text) > LIVE_TAIL:
        text = "…" + text[-LIVE_TAIL:]
    return render.styled(text, entry.preview_style) if entry.preview_style else render.plain(text)


class StepRow(Vertical, can_focus=True):
    """One entry: its head line, and its preview indented under it (wrapped lines too)."""

    BINDINGS = bindings("steps")

    def __init__(self, entry: step_views.Entry) -> None:
        super().__init__(classes="step-row")
        self.entry = entry
        self._head = Static(classes="step-head", markup=False)
        self._preview = Static(classes="step-preview", markup=False)
        self.show(entry)

    def compose(self) -> ComposeResult:
        yield self._head
        yield self._preview

    def show(self, entry: step_views.Entry) -> None:
        self.entry = entry
        self._head.update(entry.head)
        self._preview.display = bool(entry.preview)
        self._preview.update(preview_content(entry))

    def action_open(self) -> None:
        steps = next((a for a in self.ancestors if isinstance(a, StepsView)), None)
        if steps is not None:
            steps.open(self.entry.key)

    def action_move(self, step: int) -> None:
        rows = list(self.parent.query_children(StepRow)) if self.parent else [self]
        index = rows.index(self) + step
        if 0 <= index < len(rows):
            rows[index].focus()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open()


class StepsView(Vertical):
    """Every entry of the answer's steps, in order; Enter or a click opens one in full."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.answer: Answer | None = None
        self._streaming: Callable[[], bool] = lambda: False

    def compose(self) -> ComposeResult:
        yield Vertical(classes="step-rows")
        yield Static(classes="step-trailer", markup=False)

    def show(self, answer: Answer, streaming: Callable[[], bool]) -> None:
        self.answer = answer
        self._streaming = streaming
        entries = step_views.entries(answer, streaming=streaming())
        rows_box = self.query_one(".step-rows", Vertical)
        rows = list(rows_box.query_children(StepRow))
        for row, entry in zip(rows, entries, strict=False):
            if row.entry != entry:
                row.show(entry)
        if len(entries) > len(rows):
            rows_box.mount_all([StepRow(entry) for entry in entries[len(rows) :]])
        for row in rows[len(entries) :]:
            row.remove()
        trailer = step_views.trailer(answer)
        shown = self.query_one(".step-trailer", Static)
        shown.display = trailer is not None
        shown.update(trailer or "")

    def open(self, key: str) -> None:
        from flowise_tui.app.screens.full_view import FullViewScreen

        if self.answer is not None:
            self.app.push_screen(FullViewScreen(self.answer, key, self._streaming))


class ThinkingLine(Static):
    """The thought being thought, as it streams, above the answer; gone once it is done."""

    def show(self, answer: Answer, streaming: bool) -> None:
        thought = answer.thoughts[-1] if answer.thoughts else None
        live = streaming and thought is not None and thought.duration is None
        self.display = live
        if live and thought is not None:
            tail = " ".join(thought.text.split())
            tail = "…" + tail[-LIVE_TAIL:] if len(tail) > LIVE_TAIL else tail
            head = render.styled("✻ thinking…", "italic $accent")
            self.update(render.lines([head, render.styled(tail, "italic dim")]))
