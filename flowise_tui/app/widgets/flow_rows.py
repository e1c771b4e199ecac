"""A list of rows drawn only where they are in sight (Textual's line API).

The picker may list 10,000 chatflows. An `OptionList` lays out every option it is given
(wrapping each to the width) and the screen with it; this list knows only how many rows
there are and asks for a row's text when the row comes into sight. A new filter costs
the rows on screen, whatever the number of matches.

Every row is one line, cut with an ellipsis, except the highlighted one, which wraps to
show all of its text (up to `LIT_LINES` lines): so where rows sit is simple arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from flowise_tui.app.actions import bindings

if TYPE_CHECKING:
    from textual import events

RowText = Callable[[int], Content]
LIT_LINES = 6
"""The most lines the highlighted row takes."""


class FlowRows(ScrollView, can_focus=True):
    """Rows `0 … count-1`: one line each, the highlighted one as many as its text needs."""

    BINDINGS = bindings("list")
    COMPONENT_CLASSES: ClassVar[set[str]] = {"flow-rows--row", "flow-rows--highlighted"}
    DEFAULT_CSS = """
    FlowRows {
        overflow-x: hidden;
        & > .flow-rows--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus > .flow-rows--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None, layout=False)

    @dataclass
    class Selected(Message):
        rows: FlowRows
        index: int

        @property
        def control(self) -> FlowRows:
            return self.rows

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = 0
        self._row_text: RowText = lambda index: Content("")
        self._strips: dict[tuple[int, int], Strip] = {}
        self._lit: list[Strip] = []
        self._lit_width = 0
        """The highlighted row's lines."""

    def show(self, count: int, row_text: RowText) -> None:
        """List `count` rows, row `i` reading `row_text(i)`, the first highlighted."""
        self.count = count
        self._row_text = row_text
        self._strips.clear()
        self.set_reactive(FlowRows.highlighted, 0 if count else None)
        self._light()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self.count:
            return None
        return min(max(highlighted, 0), self.count - 1)

    def watch_highlighted(self, highlighted: int | None) -> None:
        self._light()
        self.refresh()
        if highlighted is not None:
            region = Region(0, highlighted, 1, max(1, len(self._lit)))
            self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def _light(self) -> None:
        """Lay out the highlighted row, and the list's height with it."""
        width = self.scrollable_content_region.width
        row = self.highlighted
        self._lit = [] if row is None else self._render_lit(row, width)
        self._lit_width = width
        extra = max(0, len(self._lit) - 1)
        self.virtual_size = Size(width, self.count + extra)

    def _relight(self) -> None:
        self._light()
        self.refresh()

    def _row_at_line(self, y: int) -> tuple[int, int]:
        """The row at line `y` of the whole list, and which of its lines that is."""
        row, height = self.highlighted, len(self._lit)
        if row is None or y < row:
            return y, 0
        if y < row + height:
            return row, y - row
        return y - height + 1, 0

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._lit_width and self.highlighted is not None:
            # The width changed with no resize (a scrollbar came or went).
            lit = self._render_lit(self.highlighted, width)
            if len(lit) != len(self._lit):
                self.call_later(self._relight)
            self._lit, self._lit_width = lit, width
        index, line = self._row_at_line(self.scroll_offset.y + y)
        if index == self.highlighted and line < len(self._lit):
            return self._lit[line]
        key = (index, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._render_row(index, width)
        return strip

    def _render_row(self, index: int, width: int) -> Strip:
        style = self.get_visual_style("flow-rows--row")
        if index >= self.count or width <= 0:
            return Strip.blank(width, style.rich_style)
        text = self._row_text(index).truncate(width, ellipsis=True)
        # One line: no wrapping to work out, so no Visual machinery either.
        parts = text.render(style, end="")
        segments = [Segment(part, part_style.rich_style) for part, part_style in parts]
        return Strip(segments).extend_cell_length(width, style.rich_style)

    def _render_lit(self, index: int, width: int) -> list[Strip]:
        style = self.get_visual_style("flow-rows--row", "flow-rows--highlighted")
        if width <= 0:
            return []
        strips = Visual.to_strips(self, self._row_text(index), width, None, style)
        if len(strips) > LIT_LINES:
            cut = self._row_text(index).truncate(width * LIT_LINES - 1, ellipsis=True)
            strips = Visual.to_strips(self, cut, width, LIT_LINES, style)
        return [
            strip.extend_cell_length(width, style.rich_style)
            for strip in strips or [Strip.blank(width, style.rich_style)]
        ]

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()
        if self.is_mounted:
            self._light()

    def _on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._light()

    def _on_focus(self, event: events.Focus) -> None:
        self._light()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._light()
        self.refresh()

    def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row, _ = self._row_at_line(self.scroll_offset.y + offset.y)
        if row < self.count:
            self.highlighted = row
            self.action_select()

    def action_cursor_down(self) -> None:
        self.highlighted = 0 if self.highlighted is None else self.highlighted + 1

    def action_cursor_up(self) -> None:
        self.highlighted = 0 if self.highlighted is None else self.highlighted - 1

    def action_page_down(self) -> None:
        self.highlighted = (self.highlighted or 0) + max(1, self.size.height - 1)

    def action_page_up(self) -> None:
        self.highlighted = (self.highlighted or 0) - max(1, self.size.height - 1)

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = self.count - 1

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self, self.highlighted))
