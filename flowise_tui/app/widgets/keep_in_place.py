"""Keep a widget where it is on screen while content above it grows."""

from __future__ import annotations

from textual.containers import ScrollableContainer
from textual.timer import Timer
from textual.widget import Widget


class KeepInPlace:
    """Keeps `widget` at the same height in `scroller`'s view for a few frames while what is
    above it is mounted (new widgets lay out over several frames); `extend()` restarts the
    count while more is on its way."""

    FRAMES = 30

    def __init__(self, scroller: ScrollableContainer, widget: Widget) -> None:
        self.scroller = scroller
        self.widget = widget
        self.offset = _y_in(scroller, widget) - scroller.scroll_y
        self.frames = 0
        self._timer: Timer | None = None

    def start(self) -> KeepInPlace:
        self._timer = self.scroller.set_interval(1 / 60, self._step)
        return self

    def extend(self) -> None:
        self.frames = 0

    def _step(self) -> None:
        self.frames += 1
        following = self.scroller.is_anchored and not self.scroller._anchor_released
        if self.frames > self.FRAMES or following or not self.widget.is_attached:
            if self._timer is not None:
                self._timer.stop()
            return
        target = _y_in(self.scroller, self.widget) - self.offset
        if target != self.scroller.scroll_y:
            self.scroller.scroll_to(y=target, animate=False, immediate=True)


def _y_in(scroller: Widget, widget: Widget) -> int:
    """Where `widget` starts in `scroller`'s scrollable space, whatever the scroll offset."""
    y = 0
    node = widget
    while node is not scroller:
        y += node.virtual_region.y
        parent = node.parent
        if parent is scroller or not isinstance(parent, Widget):
            break
        y += parent.styles.gutter.top
        node = parent
    return y
