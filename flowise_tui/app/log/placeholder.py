"""Blank space standing for settled blocks that have no widgets while out of sight."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

if TYPE_CHECKING:
    from flowise_tui.app.log.groups import Group


class PendingBlocks(Widget):
    """Settled blocks without widgets: blank space about as tall as they would be, until it
    comes near the view."""

    DEFAULT_CSS = "PendingBlocks { height: auto; }"

    def __init__(self, groups: list[Group]) -> None:
        super().__init__()
        self.groups = groups
        self.resize()

    def resize(self) -> None:
        self.styles.height = max(1, sum(group.lines for group in self.groups))
