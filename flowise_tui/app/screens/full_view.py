"""A step, thought or agent message in full: every section whole, its own tools and sources.

While the answer streams, the view follows the entry (a thought grows as it is thought).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.widgets import Static

from flowise_tui.app import render, step_views
from flowise_tui.app.actions import bindings
from flowise_tui.app.copying import copy_text
from flowise_tui.app.screens.dialog import Dialog
from flowise_tui.app.widgets.sources import SourceList

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.timer import Timer

    from flowise_tui.conversation import Answer

FOLLOW_EVERY = 0.25
"""Seconds between looks at a growing entry."""


class EntryBody(VerticalScroll):
    """The entry's sections, each under its label, its text indented as a block."""

    def __init__(self, entry: step_views.Entry) -> None:
        super().__init__(id="full-view")
        self.entry = entry

    def compose(self) -> ComposeResult:
        entry = self.entry
        self.border_title = entry.title
        self.border_subtitle = "Esc closes"
        yield Static(entry.head, classes="full-head", markup=False)
        for section in entry.sections:
            yield Static(render.styled(section.label, "bold dim"), classes="full-label")
            text = render.styled(section.text, section.style) if section.style else None
            yield Static(text or render.plain(section.text), classes="full-text", markup=False)
        if entry.tools:
            yield Static(render.styled("tools", "bold dim"), classes="full-label")
            for tool in entry.tools:
                yield Static(render.tool_block(tool), classes="full-text", markup=False)
        if entry.sources:
            yield Static(render.styled("sources", "bold dim"), classes="full-label")
            yield SourceList()

    def on_mount(self) -> None:
        self.show_sources()

    def show_sources(self) -> None:
        for source_list in self.query(SourceList):
            source_list.show(list(self.entry.sources))


class FullViewScreen(Dialog[None]):
    BINDINGS = bindings("fullview")

    def __init__(self, answer: Answer, key: str, streaming: Callable[[], bool]) -> None:
        super().__init__()
        self.answer = answer
        self.key = key
        self._streaming = streaming
        self.entry = self._find() or step_views.Entry(key, "Gone", render.plain(""))
        self._follower: Timer | None = None

    def _find(self) -> step_views.Entry | None:
        return step_views.find(self.answer, self.key, streaming=self._streaming())

    def compose(self) -> ComposeResult:
        yield EntryBody(self.entry)

    def on_mount(self) -> None:
        super().on_mount()
        if self.entry.live:
            self._follower = self.set_interval(FOLLOW_EVERY, self._follow)

    async def _follow(self) -> None:
        entry = self._find()
        if entry is None:
            return
        if not entry.live and self._follower is not None:
            self._follower.stop()
            self._follower = None
        if entry != self.entry:
            await self._show(entry)
            self.query_one(EntryBody).scroll_end(animate=False)

    async def _show(self, entry: step_views.Entry) -> None:
        self.entry = entry
        body = self.query_one(EntryBody)
        body.entry = entry
        await body.recompose()
        body.show_sources()

    async def action_move(self, step: int) -> None:
        entries = step_views.entries(self.answer, streaming=self._streaming())
        keys = [entry.key for entry in entries]
        index = keys.index(self.key) + step if self.key in keys else -1
        if not 0 <= index < len(entries):
            self.notify("No more steps that way.", markup=False)
            return
        self.key = entries[index].key
        await self._show(entries[index])
        self.query_one(EntryBody).scroll_home(animate=False)
        if entries[index].live and self._follower is None:
            self._follower = self.set_interval(FOLLOW_EVERY, self._follow)

    def action_copy_text(self) -> None:
        text = "\n\n".join(section.text for section in self.entry.sections)
        copy_text(self, text or self.entry.head.plain, self.entry.title.split(" · ")[0])
