"""Textual's `Footer`, without the keys it leaves behind.

Each key in a footer binds itself to the footer's `compact` (`data_bind`), and Textual
drops such a binding only when `compact` changes. The footer is rebuilt whenever the keys
in force change (every change of focus), so a session of a few hundred answers kept
thousands of removed keys alive. After each rebuild this footer lets its `compact` "change"
to the same value, which drops the bindings of the keys that are gone.
"""

from __future__ import annotations

from textual.widgets import Footer


class AppFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        if self.is_attached:
            self.mutate_reactive(Footer.compact)
