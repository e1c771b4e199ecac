"""Prompts offered as choices: a chatflow's starter prompts, an answer's follow-ups."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from flowise_tui.app import plain


def choice_rows(prompts: list[str]) -> list[Option]:
    """A row per prompt, on one line; a row is known by its place, not by an id."""
    return [Option(plain.content("› " + plain.line(prompt, 200))) for prompt in prompts]


class Choices(OptionList):
    """Prompts offered as choices: starter prompts, follow-up prompts."""

    @dataclass
    class Chosen(Message):
        text: str

    def __init__(self, prompts: list[str], *, id: str | None = None) -> None:
        super().__init__(*choice_rows(prompts), id=id)
        self.prompts = prompts

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.prompts[event.option_index]))
