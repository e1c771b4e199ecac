"""The one policy for what of the log is out of sight, driven by the view.

Every widget in the log costs layout time on every later frame and memory for as long as it
lives, so what the user cannot see should cost little. Three mechanisms, coarsest first; each
asks this module when to act:

- fold: after an answer, with the user at the bottom, the turns before the last
  `keep_turns` leave the log (a bar stands for them); `unfold_batch` of them come back at a
  time when the user reaches the top or asks for an earlier answer.
- park: a complete turn more than a screen away from the view gives back the widgets of its
  contents, keeping its height, and has them again when it comes within a screen (all at
  once: one whose answer still has blank space is parked only if short, `rebuild_chars`).
- placeholder: the settled blocks of a streaming answer have no widgets while out of sight:
  those out of sight when they arrive are never mounted, and those that a screenful of text
  below pushes out of a view following the bottom give their widgets back. Blank space about
  their height stands for them until it comes within a screen of the view, and is then
  mounted `mount_batch` blocks at a time, nearest first.

Whatever has widgets, the lines they drew are kept for the next frame, with the
compositor's copies of them (a dozen objects a line): once an answer's garbage is
collected, the widgets out of view give theirs back, drawn again when scrolled to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowise_tui.app.log.scrolling import follows_bottom

if TYPE_CHECKING:
    from textual.containers import ScrollableContainer
    from textual.geometry import Region
    from textual.widget import Widget

    from flowise_tui.app.log.groups import Group


class Sight:
    """What is in sight in the log `scroller`, and what to do about the rest."""

    keep_turns = 10
    """Turns kept in the log after an answer (one near the view costs its widgets; a parked
    one little, but every one is laid out)."""
    unfold_batch = 5
    """Earlier turns brought back at a time."""
    mount_batch = 12
    """Blocks mounted at a time where blank space comes into view (one frame's work)."""
    rebuild_chars = 6_000
    """An answer that still has blank space is parked only up to this length: made again,
    an answer mounts every block at once (an 11,000-character one held the screen for a
    quarter of a second, a 100,000-character one for seconds), where its blank space would
    have been mounted a batch at a time."""

    def __init__(self, scroller: ScrollableContainer) -> None:
        self.scroller = scroller

    @property
    def following(self) -> bool:
        """The view follows the bottom: the newest text is in sight, the oldest leaves it."""
        return follows_bottom(self.scroller)

    @property
    def screen_lines(self) -> int:
        return self.scroller.scrollable_content_region.height

    def near(self) -> Region:
        """The screen region within one screen above or below the view."""
        view = self.scroller.content_region
        return view.grow((view.height, 0, view.height, 0))

    def is_near(self, widget: Widget) -> bool:
        """Whether `widget` is within a screen of the view."""
        return widget.region.overlaps(self.near())

    def in_view(self, widget: Widget) -> bool:
        """Whether some of `widget` is on screen in the log."""
        return widget.region.overlaps(self.scroller.content_region)

    def is_far(self, widget: Widget) -> bool:
        """Whether `widget` is laid out, and more than a screen away from the view."""
        region = widget.region
        return bool(region) and not region.overlaps(self.near())

    def turns_to_fold(self, shown: int) -> int:
        """After an answer: how many of the `shown` turn views go, first first."""
        if not self.scroller.is_vertical_scroll_end:
            return 0  # the user is reading back
        return max(0, shown - self.keep_turns)

    def first_to_unfold(self, folded: int) -> int:
        """Of the `folded` first turns, the first to come back now."""
        return max(0, folded - self.unfold_batch)

    def first_in_sight(self, groups: list[Group], kept: int, settled: int) -> int:
        """While streaming: the first of `groups` (the blocks from the first live one on)
        to mount now. Those before it, from `kept` on, are settled (before `settled`) and a
        screenful of text below them pushes them out of a view that follows the bottom."""
        screen = self.screen_lines
        if screen <= 0 or not self.following:
            return kept
        lines_after = 0
        index = len(groups)
        while index > kept and lines_after < screen:
            index -= 1
            lines_after += groups[index].min_lines
            if index < len(groups) - 1:
                lines_after += groups[index].gap
        return max(kept, min(index, settled)) if lines_after >= screen else kept

    def may_park(self, answer_length: int, *, blank_space: bool) -> bool:
        """Whether a finished turn far away may give back its widgets: made again, its answer
        mounts every block at once, so one that still has blank space only if short."""
        return not blank_space or answer_length <= self.rebuild_chars

    def pushed_out(self, lines_below: int) -> bool:
        """While streaming: whether a block with `lines_below` lines of text under it
        (itself excluded) is out of sight for good."""
        screen = self.screen_lines
        return screen > 0 and self.following and lines_below >= screen
