"""What the log needs to know about scrolling: whether it follows the bottom, and keeping
a widget where it is on screen while content above it grows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widget import Widget

from flowise_tui.app.log.textual_adapter import anchor_released

if TYPE_CHECKING:
    from textual.containers import ScrollableContainer
    from textual.timer import Timer


def follows_bottom(scroller: Widget) -> bool:
    """Whether `scroller` is anchored to its bottom and the user has not scrolled away."""
    return scroller.is_anchored and not anchor_released(scroller)


class KeepInPlace:
    """Keeps `widget` at the same height in `scroller`'s view for a few frames while what is
    above it is mounted (new widgets lay out over several frames); `extend()` restarts the
    count while more is on its way."""

    FRAMES = 30

    def __init__(
        self,
        scroller: ScrollableContainer,
        widget: Widget,
        then: Callable[[], object] | None = None,
    ) -> None:
        self.scroller = scroller
        self.widget = widget
        self.then = then
        """Called once the view holds still (what is in sight may have changed)."""
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
        done = self.frames > self.FRAMES or not self.widget.is_attached
        if done or follows_bottom(self.scroller):
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
                if self.then is not None:
                    self.then()
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
