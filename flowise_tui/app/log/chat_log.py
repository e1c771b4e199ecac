"""The conversation log: the turns in a scrolling container that follows the bottom while the
user is there, kept light however long the conversation grows (see `sight`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import on
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from flowise_tui.app import render
from flowise_tui.app.actions import bindings
from flowise_tui.app.log.pacing import IDLE_SECONDS, Pacing, give_back_free_memory
from flowise_tui.app.log.scrolling import KeepInPlace, follows_bottom
from flowise_tui.app.log.sight import Sight
from flowise_tui.app.log.textual_adapter import forget_drawn_lines

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from flowise_tui.app.widgets.turn import TurnView
    from flowise_tui.conversation import Turn

TURN_VIEWS = "TurnView"
"""The turns are found by their widget's name: the log does not import `TurnView`, which
brings the Markdown stack, so the first screen is drawn before that loads."""


class EarlierTurns(Static, can_focus=True):
    """Stands in for the turns folded out of the log to keep it light."""

    BINDINGS = bindings("earlier")

    @dataclass
    class Unfold(Message):
        pass

    def show_count(self, count: int) -> None:
        self.display = count > 0
        noun = "turn" if count == 1 else "turns"
        self.update(
            render.styled(
                f"▲ {count} earlier {noun} · scroll up, click or press Enter to show them "
                "(all are in the export and in history)",
                "dim",
            )
        )

    def on_click(self) -> None:
        self.post_message(self.Unfold())

    def action_unfold(self) -> None:
        self.post_message(self.Unfold())


class ChatLog(VerticalScroll):
    """The turns of the conversation (after an `EarlierTurns` bar among its children).

    The chat screen shows a conversation (`show_conversation`), adds a turn (`add_turn`),
    streams its answer into the turn's view (`answering`), and moves focus between answers
    (`focus_answer`); the log decides what of it is mounted, laid out, and when garbage is
    collected.
    """

    def __init__(self, pacing: Pacing | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pacing = pacing or Pacing()
        self.sight = Sight(self)
        self._turns: list[Turn] = []
        self._make_view: Callable[[Turn], TurnView] | None = None
        self.folded = 0
        """How many of the conversation's first turns have no view in the log."""
        self._fitting = False

    def _views(self) -> list[TurnView]:
        return cast("list[TurnView]", list(self.query_children(TURN_VIEWS)))

    def show_conversation(self, turns: list[Turn], make_view: Callable[[Turn], TurnView]) -> None:
        """Show the last turns of `turns` (a list the caller appends to), folding the rest;
        `make_view` makes the view of a turn."""
        self.query(TURN_VIEWS).remove()
        self._turns = turns
        self._make_view = make_view
        self.folded = max(0, len(turns) - self.sight.keep_turns)
        views = [make_view(turn) for turn in turns[self.folded :]]
        if views:
            self.mount_all(views)
        self.query_one(EarlierTurns).show_count(self.folded)
        self.anchor()

    def add_turn(self, view: TurnView) -> AwaitMount:
        """Mount the view of a new turn at the bottom, and follow the bottom."""
        mounted = self.mount(view)
        self.anchor()
        return mounted

    @contextlib.contextmanager
    def answering(self, view: TurnView, focus_home: Callable[[], object]) -> Iterator[None]:
        """While the answer of `view` streams (`view.write()`, then `view.finish()`): no
        garbage collection. Afterwards the log is tidied (turns folded and parked, focus
        moved by `focus_home()` if it was on a folded turn) and, once the user is idle, its
        garbage collected (at the latest, here, before the next question is sent: during
        the wait for its first byte, the collection would count against the timeout)."""
        if self.pacing.garbage_owed:
            self._collect_garbage(now=True)
        view.start_stream(self.sight, self.pacing)
        try:
            with self.pacing.streaming():
                yield
        finally:
            self.set_timer(IDLE_SECONDS, self._collect_garbage)
            self.call_after_refresh(self._tidy, focus_home)

    def focus_answer(self, step: int) -> bool:
        """Move focus `step` answers on; earlier turns unfold when needed. False when that
        goes past the last answer."""
        views = self._views()
        if not views:
            return True
        focused = self.screen.focused
        current = views.index(focused) if focused in views else len(views)
        target = current + step
        if target < 0 and self.folded:
            earlier = self.unfold_earlier_turns()[-1]
            self.call_after_refresh(earlier.focus)
            self.call_after_refresh(earlier.scroll_visible, animate=False)
            return True
        if target >= len(views):
            return False
        views[max(target, 0)].focus()
        views[max(target, 0)].scroll_visible(animate=False)
        return True

    def unfold_earlier_turns(self) -> list[TurnView]:
        """Bring back a batch of the turns before the first in the log, keeping what is on
        screen where it is."""
        if not self.folded or self._make_view is None:
            return []
        start = self.sight.first_to_unfold(self.folded)
        views = [self._make_view(turn) for turn in self._turns[start : self.folded]]
        self.folded = start
        earlier = self.query_one(EarlierTurns)
        shown = self.query_children(TURN_VIEWS)
        if shown and not follows_bottom(self):
            KeepInPlace(self, shown.first(), then=self._fit_to_view_soon).start()
        self.mount_all(views, after=earlier)
        earlier.show_count(self.folded)
        return views

    @on(EarlierTurns.Unfold)
    def _unfold(self, event: EarlierTurns.Unfold) -> None:
        event.stop()
        self.unfold_earlier_turns()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._fit_to_view_soon()
        if new <= 0 < old and not follows_bottom(self):
            self.call_later(self.unfold_earlier_turns)

    def _fit_to_view_soon(self) -> None:
        """`_fit_to_view` once the new scroll offset is laid out."""
        if not self._fitting:
            self._fitting = True
            self.call_after_refresh(self._fit_to_view)

    def _fit_to_view(self) -> None:
        """Turns far from the view give back their widgets, text that came into it is
        mounted."""
        self._fitting = False
        self._park_out_of_sight()
        views = self._views()
        for view in views:
            if view.feed is not None:
                view.feed.reveal_in_view()
        if any(view.unparking for view in views):
            self._fit_to_view_soon()  # the view may have moved on meanwhile

    def _park_out_of_sight(self) -> None:
        """Turns far from the view give back what they can (see TurnView.park)."""
        for view in self._views():
            if self.sight.is_far(view):
                view.park(self.sight)
            else:
                view.unpark()

    def _tidy(self, focus_home: Callable[[], object]) -> None:
        """After an answer: fold the turns beyond those kept, park those far away."""
        if not self.is_attached:
            return  # the app is closing
        self._fold_earlier_turns(focus_home)
        self._park_out_of_sight()
        self.call_after_refresh(give_back_free_memory)

    def _fold_earlier_turns(self, focus_home: Callable[[], object]) -> None:
        """Once an answer is complete (so that removing widgets does not slow the next one
        down)."""
        views = self._views()
        extra = self.sight.turns_to_fold(len(views))
        if not extra:
            return
        folded = views[:extra]
        focused = self.screen.focused
        if focused is not None and any(focused in (v, *v.ancestors) for v in folded):
            focus_home()
        self.remove_children(folded)
        self.folded += extra
        self.query_one(EarlierTurns).show_count(self.folded)

    def _collect_garbage(self, now: bool = False) -> None:
        """The answer's garbage, collected while the user reads rather than when the next
        question is sent: a full collection takes a frame or more in a long conversation.
        `now`: the next question is about to be sent."""
        again = self.pacing.collect_garbage(self._forget_lines_out_of_view, now=now)
        if again is not None and self.is_attached:
            self.set_timer(again, self._collect_garbage)

    def _forget_lines_out_of_view(self) -> None:
        """Every widget keeps the lines it drew for the next frame; those out of view give
        them back (see `Sight.in_view`)."""
        for widget in self.query("*"):
            if not self.sight.in_view(widget):
                forget_drawn_lines(widget)
