"""A modal screen with its own footer: it lists the dialog's keys, not the chat's beneath."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen

from flowise_tui.app.layout import NARROW
from flowise_tui.app.widgets.footer import AppFooter

if TYPE_CHECKING:
    from textual import events

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    def on_mount(self) -> None:
        self.mount(AppFooter(compact=self.app.size.width < NARROW))

    def on_resize(self, event: events.Resize) -> None:
        for footer in self.query(AppFooter).results():
            footer.compact = event.size.width < NARROW
