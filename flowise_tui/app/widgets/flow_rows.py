"""A list of rows drawn only where they are in sight (Textual's line API).

The picker may list 10,000 chatflows. An `OptionList` lays out every option it is given
(wrapping each to the width) and the screen with it; this list knows only how many rows
there are and asks for a row's text when the row comes into sight. A new filter costs
the rows on screen, whatever the number of matches.

Every row is one line, cut with an ellipsis, except the highlighted one, which wraps to
show all of its text (up to `LIT_LINES` lines): so where rows sit is simple arithmetic.

The list draws its own scrollbar, a column of its lines: Textual's scrollbar is a widget
of its own, drawn again with every key typed in the filter, and took about a fifth of
each key's time.
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

from flowise_tui.app.actions import bindings

if TYPE_CHECKING:
    from rich.style import Style as RichStyle
    from textual import events
    from textual.style import Style as VisualStyle

RowText = Callable[[int], Content]
LIT_LINES = 6
"""The most lines the highlighted row takes."""
BAR = 1
"""Columns of the scrollbar the list draws when its rows do not all fit."""


class FlowRows(ScrollView, can_focus=True):
    """Rows `0 … count-1`: one line each, the highlighted one as many as its text needs."""

    BINDINGS = bindings("list")
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "flow-rows--row",
        "flow-rows--highlighted",
        "flow-rows--bar",
        "flow-rows--thumb",
    }
    DEFAULT_CSS = """
    FlowRows {
        overflow-x: hidden;
        scrollbar-size-vertical: 0;
        & > .flow-rows--bar {
            background: $scrollbar-background;
        }
        & > .flow-rows--thumb {
            background: $scrollbar;
        }
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
        self._rich_styles: dict[VisualStyle, RichStyle] = {}
        self._lit: list[Strip] = []
        self._lit_width = 0
        """The highlighted row's lines."""
        self._lit_strips: dict[tuple[int, ...], Strip] = {}
        """The highlighted row's lines as drawn, with the scrollbar's cell."""
        self._thumb: list[bool] = []
        self._thumb_key: tuple[int, int, int] = (0, 0, 0)
        self._dragging = False
        """The pointer holds the scrollbar (pressed on it and not yet let go)."""
        self._dragged = False

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
        """Lay out the highlighted row, and the list's height with it (with a scrollbar if
        the rows do not fit, which narrows them)."""
        full, window = self.scrollable_content_region.size
        row = self.highlighted
        bar = self.count > window
        while True:
            width = full - BAR if bar else full
            self._lit = [] if row is None else self._render_lit(row, width)
            self._lit_strips.clear()
            height = self.count + max(0, len(self._lit) - 1)
            if bar or height <= window:
                break
            bar = True  # the highlighted row's lines took the list past the window
        self._lit_width = width
        self._set_height(height)

    @property
    def _has_bar(self) -> bool:
        return self.virtual_size.height > self.scrollable_content_region.height

    @property
    def _row_width(self) -> int:
        width = self.scrollable_content_region.width
        return width - BAR if self._has_bar else width

    def _set_height(self, height: int) -> None:
        """The list's height. One that leaves the list scrollable, or not, as it was needs
        no layout of the screen."""
        size = Size(self.virtual_size.width, height)
        if size == self.virtual_size:
            return
        window = self.scrollable_content_region.height
        if self.is_mounted and (height > window) == (self.virtual_size.height > window):
            self.set_reactive(FlowRows.virtual_size, size)
            self.scroll_y = self.validate_scroll_y(self.scroll_y)
        else:
            self.virtual_size = size

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
        full, window = self.scrollable_content_region.size
        bar = self.virtual_size.height > window
        width = full - BAR if bar else full
        if width != self._lit_width and self.highlighted is not None:
            # The width changed with no resize (the scrollbar came or went).
            lit = self._render_lit(self.highlighted, width)
            if len(lit) != len(self._lit):
                self.call_later(self._relight)
            self._lit, self._lit_width = lit, width
            self._lit_strips.clear()
        index, line = self._row_at_line(self.scroll_offset.y + y)
        thumb = bar and self._thumb_lines(window)[y]
        if index == self.highlighted and line < len(self._lit):
            key: tuple[int, ...] = (-1, line, width, bar, thumb)
            strip = self._lit_strips.get(key)
            if strip is None:
                strip = self._lit_strips[key] = self._with_bar(self._lit[line], bar, thumb)
            return strip
        key = (index, width, bar, thumb)
        strip = self._strips.get(key)
        if strip is None:
            row = self._render_row(index, width)
            strip = self._strips[key] = self._with_bar(row, bar, thumb)
        return strip

    def _thumb_lines(self, window: int) -> list[bool]:
        """For each line of the window, whether the scrollbar's thumb covers it."""
        total = self.virtual_size.height
        scrolled = self.scroll_offset.y
        if self._thumb_key != (window, total, scrolled):
            size = max(1, window * window // max(total, 1))
            travel = max(total - window, 0)
            top = round((window - size) * scrolled / travel) if travel else 0
            self._thumb = [top <= y < top + size for y in range(window)]
            self._thumb_key = (window, total, scrolled)
        return self._thumb

    def _with_bar(self, strip: Strip, bar: bool, thumb: bool) -> Strip:
        if not bar:
            return strip
        style = self.get_visual_style("flow-rows--thumb" if thumb else "flow-rows--bar")
        return Strip([*strip, Segment(" " * BAR, style.rich_style)], strip.cell_length + BAR)

    def _render_row(self, index: int, width: int) -> Strip:
        style = self.get_visual_style("flow-rows--row")
        if index >= self.count or width <= 0:
            return Strip.blank(width, style.rich_style)
        text = self._row_text(index)
        if text.cell_length > width:
            text = text.truncate(width, ellipsis=True)
        return self._line_strip(text, style, width)

    def _render_lit(self, index: int, width: int) -> list[Strip]:
        style = self.get_visual_style("flow-rows--row", "flow-rows--highlighted")
        if width <= 0:
            return []
        text = self._row_text(index)
        lines = text.wrap(width)
        if len(lines) > LIT_LINES:
            lines = text.truncate(width * LIT_LINES - 1, ellipsis=True).wrap(width)[:LIT_LINES]
        return [self._line_strip(line, style, width) for line in lines or [Content("")]]

    def _line_strip(self, text: Content, style: VisualStyle, width: int) -> Strip:
        """One line of text that fits `width`, drawn in `style` and filled to `width`.

        The rows share a few styles: each is converted for the terminal once."""
        rich_styles = self._rich_styles
        segments = []
        for part, part_style in text.render(style, end=""):
            rich_style = rich_styles.get(part_style)
            if rich_style is None:
                rich_style = rich_styles[part_style] = part_style.rich_style
            segments.append(Segment(part, rich_style))
        if (blank := width - text.cell_length) > 0:
            segments.append(Segment(" " * blank, style.rich_style))
        return Strip(segments, width)

    def notify_style_update(self) -> None:
        self._strips.clear()
        self._rich_styles.clear()
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

    def _on_bar(self, event: events.MouseEvent) -> bool:
        offset = event.get_content_offset(self)
        return offset is not None and self._has_bar and offset.x >= self._row_width

    def _scroll_to_pointer(self, event: events.MouseEvent) -> None:
        """Scroll so that the thumb is where the pointer is on the scrollbar."""
        window = self.scrollable_content_region.height
        offset = event.get_content_offset_capture(self)
        share = min(max(offset.y / max(window - 1, 1), 0.0), 1.0)
        self.scroll_to(y=round(share * self.max_scroll_y), animate=False, immediate=True)

    def _on_mouse_down(self, event: events.MouseDown) -> None:
        self._dragged = False
        if self._on_bar(event):
            event.stop()
            self._dragging = self._dragged = True
            self.capture_mouse()
            self._scroll_to_pointer(event)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            event.stop()
            self._scroll_to_pointer(event)

    def _on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            event.stop()
            self._dragging = False
            self.release_mouse()

    def _on_click(self, event: events.Click) -> None:
        if self._dragged:
            self._dragged = False  # the end of a drag of the scrollbar, not a choice
            return
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
