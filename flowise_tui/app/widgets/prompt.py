"""The prompt: a multi-line TextArea where Enter sends and earlier prompts can be recalled."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import TextArea

from flowise_tui.app.actions import bindings
from flowise_tui.app.paths import pasted_paths

if TYPE_CHECKING:
    from textual import events

NEWLINE_KEYS = frozenset({"shift+enter", "ctrl+j", "alt+enter"})


class PromptArea(TextArea):
    """Enter sends; ctrl+j inserts a newline (shift+enter and alt+enter too, where the
    terminal tells them from Enter).

    Up on the first line and down on the last line walk through earlier prompts.
    """

    BINDINGS = bindings("prompt")

    @dataclass
    class Submitted(Message):
        prompt: PromptArea
        text: str

        @property
        def control(self) -> PromptArea:
            return self.prompt

    @dataclass
    class PathsPasted(Message):
        """A paste that is nothing but paths of existing files (a file dragged onto the
        terminal): offered as attachments instead of text."""

        prompt: PromptArea
        paths: list[Path]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            id=id,
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            compact=True,
            placeholder="Ask something…  (Enter sends, ctrl+j adds a line)",
        )
        self._recall: list[str] = []
        self._recall_index: int | None = None
        self._draft = ""

    def remember(self, prompts: list[str]) -> None:
        """Earlier prompts, oldest first, for up/down recall."""
        self._recall = [p for p in prompts if p.strip()]
        self._recall_index = None

    def action_submit(self) -> None:
        text = self.text
        if not text.strip():
            return
        if not self._recall or self._recall[-1] != text:
            self._recall.append(text)
        self._recall_index = None
        # Cleared now, in key order: keys typed right after Enter land in the empty prompt.
        self.clear()
        self.post_message(self.Submitted(self, text))

    async def _on_paste(self, event: events.Paste) -> None:
        # Any other paste goes on to TextArea's own handler, which inserts it.
        paths = pasted_paths(event.text)
        if paths is None:
            return
        event.stop()
        event.prevent_default()
        self.post_message(self.PathsPasted(self, paths))

    def give_back(self, text: str) -> None:
        """Put back a prompt that was not sent, ahead of anything typed since."""
        typed_since = self.text
        self.load_text(text + typed_since)
        self.move_cursor(self.document.end)

    async def _on_key(self, event: events.Key) -> None:
        # Enter is handled here, in key order, not as a priority binding: the app runs
        # those before the keys typed just ahead of it reach the TextArea.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_submit()
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if event.key == "up" and self.cursor_location[0] == 0 and self._recall:
            event.stop()
            event.prevent_default()
            self._step_recall(-1)
            return
        last_line = self.cursor_location[0] == self.document.line_count - 1
        if event.key == "down" and self._recall_index is not None and last_line:
            event.stop()
            event.prevent_default()
            self._step_recall(1)
            return
        await super()._on_key(event)

    def _step_recall(self, step: int) -> None:
        if self._recall_index is None:
            if step > 0:
                return
            self._draft = self.text
            index = len(self._recall) - 1
        else:
            index = self._recall_index + step
        if index < 0:
            return
        if index >= len(self._recall):
            self._recall_index = None
            self.load_text(self._draft)
        else:
            self._recall_index = index
            self.load_text(self._recall[index])
        self.move_cursor(self.document.end)
