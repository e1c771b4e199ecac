"""One question and its answer: streamed Markdown, a status line, collapsible panes."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Collapsible, Markdown, Static

from flowise_tui.app import plain, render
from flowise_tui.app.actions import bindings
from flowise_tui.app.log.feed import MarkdownFeed
from flowise_tui.app.log.textual_adapter import forget_children, is_going
from flowise_tui.app.log.textual_adapter.markdown import LaidOutOnce
from flowise_tui.app.widgets.choices import Choices, choice_rows
from flowise_tui.app.widgets.files import LinkOf, ReturnedFiles
from flowise_tui.app.widgets.sources import SourceList
from flowise_tui.app.widgets.steps import StepsView, ThinkingLine
from flowise_tui.conversation import (
    Decision,
    Turn,
    TurnStatus,
    asks_for_comment,
    decision_labels,
)
from flowise_tui.returned_files import returned_files
from flowise_tui.text import strip_controls

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.timer import Timer
    from textual.widget import Widget

    from flowise_tui.app.log.pacing import Pacing
    from flowise_tui.app.log.sight import Sight
    from flowise_tui.flowise.models import HumanAction
    from flowise_tui.flowise.uploads import Attachment

BUTTON_LIMIT = 60
"""An approval button's label, from the server, is cut to this many characters."""
COMMENT_LIMIT = 1000
"""The comment sent with a decision is shown up to this many characters."""
FENCED_CODE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n(.*?)^\1\s*$", re.MULTILINE | re.DOTALL)


class UserMessage(Static):
    def __init__(self, question: str, attachments: list[Attachment] | None = None) -> None:
        shown = [render.plain(question)]
        shown += [render.styled(f"+ {a.label}", "dim") for a in attachments or []]
        super().__init__(render.lines(shown), markup=False)


def attached_pictures(attachments: list[Attachment], headless: bool) -> list[Widget]:
    """The images sent from this machine, drawn where the terminal can (see `picture.py`)."""
    local = [a for a in attachments if a.path is not None and a.mime.startswith("image/")]
    if not local:
        return []
    from flowise_tui.app.widgets.picture import attached_picture, shows_images

    return [attached_picture(a) for a in local] if shows_images(headless) else []


class AnswerMarkdown(LaidOutOnce):
    """The answer. Server text goes in as Markdown source, never as Textual markup.

    A link in it is the server's too: clicked, only an http(s) URL goes to the browser.
    """

    def __init__(self, markdown: str = "") -> None:
        super().__init__(markdown, open_links=False)

    @on(Markdown.LinkClicked)
    def _open_web_link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        plain.open_web_link(self, event.href)


class AnswerStatus(Static):
    pass


def decision_content(decision: Decision | None, proceed: str, reject: str) -> Content:
    """What became of an action: the decision, its button and comment, or that none is
    recorded (an action that is no longer the latest, from history kept before decisions
    were)."""
    if decision is None:
        buttons = f"{plain.line(proceed, BUTTON_LIMIT)} / {plain.line(reject, BUTTON_LIMIT)}"
        return render.styled(f"○ No decision recorded ({buttons})", "dim")
    mark = (
        render.styled("✓ Proceeded", "bold $success")
        if decision.proceed
        else render.styled("✗ Rejected", "bold $error")
    )
    parts = [mark, render.styled(" · ", "dim"), render.plain(plain.line(decision.label, 200))]
    if decision.comment:
        comment = plain.line(decision.comment, COMMENT_LIMIT)
        parts += [render.styled("\ncomment: ", "dim"), render.plain(comment)]
    return Content.assemble(*parts)


class TurnView(Vertical, can_focus=True):
    """A turn in the log. Focus it to rate, copy, or open its panes."""

    BINDINGS = bindings("answer")

    @dataclass
    class FeedbackRequested(Message):
        turn_view: TurnView
        rating: str

    @dataclass
    class HumanInputChosen(Message):
        turn_view: TurnView
        action: HumanAction
        proceed: bool

    @dataclass
    class CopyRequested(Message):
        text: str
        what: str
        """What is copied, as a notice names it: "Answer", "Code block"."""

    def __init__(
        self,
        turn: Turn,
        flow_name: str,
        *,
        awaits_decision: Callable[[Turn], bool] | None = None,
        file_link: LinkOf | None = None,
    ) -> None:
        """`awaits_decision(turn)` says whether the turn's action is the one the flow waits
        on (the conversation's latest); without it, any undecided action is."""
        super().__init__(classes="turn")
        self.turn = turn
        self.flow_name = flow_name
        self._awaits_decision = awaits_decision or (lambda turn: turn.decision is None)
        self._file_link: LinkOf = file_link or (lambda item: None)
        self._stream: MarkdownFeed | None = None
        self.feed: MarkdownFeed | None = None
        """The feed of the last streamed answer; `feed.complete` once every block is mounted
        (blocks out of sight are mounted as they scroll into view)."""
        self._ticker: Timer | None = None
        self.clock: Callable[[], float] = time.time
        self._expanded: set[str | None] = set()

    def compose(self) -> ComposeResult:
        yield from self._contents()

    def _contents(self) -> list[Widget]:
        finished = self.turn.status != TurnStatus.STREAMING
        answer = Vertical(
            Static(render.styled(plain.name(self.flow_name), "bold $accent"), classes="speaker"),
            ThinkingLine(id="thinking", markup=False),
            AnswerMarkdown(strip_controls(self.turn.answer.text) if finished else ""),
            AnswerStatus(),
            Collapsible(
                ReturnedFiles(), title="Files", id="files-pane", classes="pane", collapsed=False
            ),
            Collapsible(SourceList(), title="Sources", id="sources-pane", classes="pane"),
            Collapsible(
                Static(id="tools-body", markup=False),
                title="Tools",
                id="tools-pane",
                classes="pane",
            ),
            Collapsible(
                StepsView(id="steps-body"),
                title="Agent steps",
                id="steps-pane",
                classes="pane",
            ),
            Collapsible(
                Static(id="metadata-body", markup=False),
                title="Metadata",
                id="metadata-pane",
                classes="pane",
            ),
            Horizontal(
                Button("Proceed", id="proceed", variant="success"),
                Button("Reject", id="reject", variant="error"),
                Static(id="decision-hint", markup=False),
                id="action-bar",
            ),
            Static(id="decision", markup=False),
            Choices([], id="follow-ups"),
            classes="answer",
        )
        sent = self.turn.attachments
        pictures = attached_pictures(sent, self.app.is_headless)
        return [UserMessage(self.turn.question, sent), *pictures, answer]

    def on_mount(self) -> None:
        self.refresh_panes()
        self.refresh_status()

    @property
    def markdown(self) -> AnswerMarkdown:
        return self.query_one(AnswerMarkdown)

    def start_stream(self, sight: Sight | None = None, pacing: Pacing | None = None) -> None:
        """Stream the answer from here on; `sight` and `pacing` are the log's (see
        `MarkdownFeed`)."""
        self._stream = MarkdownFeed(self.markdown, sight=sight, pacing=pacing)
        self.feed = self._stream
        self._ticker = self.set_interval(0.25, self.refresh_status)
        self.refresh_status()

    async def write(self, text: str) -> None:
        if self._stream is not None:
            await self._stream.write(strip_controls(text))

    async def finish(self) -> None:
        if self._stream is not None:
            await self._stream.close()
            self._stream = None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.refresh_panes()
        self.refresh_status()

    parked = False
    """Far out of sight: the turn keeps its height but has given back the widgets of its
    contents (every widget costs memory, and layout time on every frame)."""
    unparking = False
    """Being given its contents again."""

    def park(self, sight: Sight) -> None:
        """Give back the widgets of the contents, keeping the space they take (unless the
        answer is still streaming, its blank space is being mounted, `sight` says it costs
        too much to make again, or focus is in the turn)."""
        if self.parked or self.unparking or self.has_focus_within:
            return
        if self.turn.status is TurnStatus.STREAMING or self._stream is not None:
            return
        feed = self.feed
        blank_space = feed is not None and not feed.complete.is_set()
        if feed is not None and not feed.at_rest:
            return
        if not sight.may_park(self.turn.answer.length, blank_space=blank_space):
            return
        height = self.outer_size.height
        if not height:
            return
        self.parked = True
        self._expanded = {pane.id for pane in self.query(Collapsible) if not pane.collapsed}
        self.styles.height = height
        self.feed = None
        self.call_later(self._give_back_contents)

    async def _give_back_contents(self) -> None:
        await self.remove_children()
        forget_children(self)

    def unpark(self) -> None:
        """Make the contents again (the answer from its whole text)."""
        if self.parked and not self.unparking:
            self.unparking = True
            self.call_later(self._unpark)

    async def _unpark(self) -> None:
        await self.mount_all(self._contents())
        for pane in self.query(Collapsible):
            pane.collapsed = pane.id not in self._expanded
        self.parked = self.unparking = False
        self.refresh_panes()
        self.refresh_status()
        self.call_after_refresh(self._fit_contents)

    def _fit_contents(self) -> None:
        if not self.parked:
            self.styles.height = None

    @property
    def _gone(self) -> bool:
        """Being removed, or the app is closing: nothing to redraw."""
        return not self.is_attached or is_going(self)

    def refresh_panes(self) -> None:
        if self._gone:
            return
        answer = self.turn.answer
        files = returned_files(answer)
        self._pane("files-pane", f"Files ({len(files)})", bool(files))
        if files:
            self.query_one(ReturnedFiles).show(files, self._file_link)
        self._pane("sources-pane", f"Sources ({len(answer.sources)})", bool(answer.sources))
        if answer.sources:
            self.query_one(SourceList).show(answer.sources)
        tool_count = len(answer.tools) + len(answer.pending_tools)
        self._pane("tools-pane", f"Tools ({tool_count})", tool_count > 0)
        if tool_count:
            self.query_one("#tools-body", Static).update(render.tools_content(answer))
        steps = render.steps_count(answer)
        self._pane("steps-pane", f"Agent steps ({steps})", steps > 0 or bool(answer.flow_status))
        if steps or answer.flow_status:
            self.query_one(StepsView).show(answer, self._streaming)
        self.query_one(ThinkingLine).show(answer, self._streaming())
        has_metadata = answer.metadata is not None or bool(answer.usage)
        self._pane("metadata-pane", "Metadata", has_metadata)
        if has_metadata:
            self.query_one("#metadata-body", Static).update(render.metadata_content(answer))
        if self.turn.speech is not None and not self.parked and not self.query("#speech-line"):
            self._show_speech()
        self.refresh_action()
        follow_ups = self.query_one("#follow-ups", Choices)
        done = self.turn.status == TurnStatus.DONE
        if done and answer.follow_ups and follow_ups.prompts != answer.follow_ups:
            follow_ups.prompts = list(answer.follow_ups)
            follow_ups.clear_options()
            follow_ups.add_options(choice_rows(answer.follow_ups))
        follow_ups.display = done and bool(answer.follow_ups)

    def _show_speech(self) -> None:
        from flowise_tui.app.widgets.speech import SpeechLine  # only answers spoken as they came

        status = self.query_one(AnswerStatus)
        if status.parent is not None:
            status.parent.mount(SpeechLine(self.turn), after=status)

    def _streaming(self) -> bool:
        return self.turn.status is TurnStatus.STREAMING

    @property
    def decision_live(self) -> bool:
        """Whether the action's buttons act: it is the one the flow waits on, undecided."""
        turn = self.turn
        if turn.status is TurnStatus.STREAMING or turn.answer.decision_asked is None:
            return False
        return turn.decision is None and self._awaits_decision(turn)

    def refresh_action(self) -> None:
        """The action's buttons while the flow waits on it; else what became of it."""
        if self._gone or self.parked:
            return
        action = (
            self.turn.answer.decision_asked
            if self.turn.status is not TurnStatus.STREAMING
            else None
        )
        live = self.decision_live
        self.query_one("#action-bar").display = live
        note = self.query_one("#decision", Static)
        note.display = action is not None and not live
        if action is None:
            return
        proceed, reject = decision_labels(action)
        if live:
            self.query_one("#proceed", Button).label = plain.content(
                plain.line(proceed, BUTTON_LIMIT)
            )
            self.query_one("#reject", Button).label = plain.content(
                plain.line(reject, BUTTON_LIMIT)
            )
            hint = "The flow waits for your decision"
            if asks_for_comment(action):
                hint += "; it asks for a comment with it"
            self.query_one("#decision-hint", Static).update(render.styled(hint + ".", "dim"))
        else:
            note.update(decision_content(self.turn.decision, proceed, reject))

    def _pane(self, pane_id: str, title: str, visible: bool) -> None:
        pane = self.query_one(f"#{pane_id}", Collapsible)
        pane.display = visible
        if pane.title != title:
            pane.title = title

    def refresh_status(self) -> None:
        if self._gone:
            return
        self.query_one(AnswerStatus).update(self.status_content())

    def status_content(self) -> Content:
        turn = self.turn
        parts: list[Content] = []
        match turn.status:
            case TurnStatus.STREAMING:
                first = turn.first_token_after
                parts.append(render.styled("● streaming" if first else "● waiting", "$accent"))
                elapsed = self.clock() - turn.started
            case TurnStatus.DONE if not turn.answer.text.strip() and not turn.answer.error:
                parts.append(render.styled("∅ no answer: the flow ended without text", "$warning"))
                elapsed = turn.elapsed or 0.0
            case TurnStatus.DONE:
                parts.append(render.styled("✓ done", "$success"))
                elapsed = turn.elapsed or 0.0
            case TurnStatus.FROM_SERVER:
                parts.append(render.styled("⇣ from the server's history", "dim"))
                elapsed = None
            case TurnStatus.STOPPED:
                parts.append(render.styled("■ stopped", "$warning"))
                elapsed = turn.elapsed or 0.0
            case TurnStatus.FAILED:
                parts.append(render.styled("✗ failed", "$error"))
                elapsed = turn.elapsed or 0.0
            case TurnStatus.INTERRUPTED:
                parts.append(render.styled("↯ interrupted: the app ended mid-answer", "$warning"))
                elapsed = turn.elapsed or 0.0
            case TurnStatus.CUT:
                cut = f"✂ cut at {turn.answer.length:,} characters (the answer limit)"
                parts.append(render.styled(cut, "$warning"))
                elapsed = turn.elapsed or 0.0
        if turn.first_token_after is not None:
            parts.append(render.styled(f"first token {turn.first_token_after:.2f} s", "dim"))
        if elapsed is not None:
            parts.append(render.styled(f"{elapsed:.1f} s", "dim"))
        if turn.status == TurnStatus.STREAMING and turn.first_token_after is not None:
            streaming = (elapsed or 0.0) - turn.first_token_after
            if streaming > 0 and turn.answer.token_events > 1:
                rate = turn.answer.token_events / streaming
                parts.append(render.styled(f"{rate:.0f} tok/s", "dim"))
        elif turn.tokens_per_second:
            parts.append(render.styled(f"{turn.tokens_per_second:.0f} tok/s", "dim"))
        if turn.rating:
            parts.append(render.plain("👍" if turn.rating == "THUMBS_UP" else "👎"))
        line = Content(" · ").join(parts)
        if turn.answer.error:
            line = Content.assemble(line, render.styled("\n" + turn.answer.error, "$error"))
        return line

    def action_rate(self, rating: str) -> None:
        self.post_message(self.FeedbackRequested(self, rating))

    def action_copy_answer(self) -> None:
        self.post_message(self.CopyRequested(self.turn.answer.text, "Answer"))

    def action_copy_code(self) -> None:
        blocks = FENCED_CODE.findall(self.turn.answer.text)
        if not blocks:
            self.notify("This answer has no code block.", severity="warning")
            return
        self.post_message(self.CopyRequested(blocks[-1][1], "Code block"))

    def action_toggle_panes(self) -> None:
        panes = [p for p in self.query(Collapsible) if p.display]
        expand = any(p.collapsed for p in panes)
        for pane in panes:
            pane.collapsed = not expand

    @on(Button.Pressed, "#proceed, #reject")
    def _human_input(self, event: Button.Pressed) -> None:
        """Ask for the decision; the screen records it (after the comment, if the node wants
        one) and sends it. A button of an action that no longer waits does nothing."""
        event.stop()
        action = self.turn.answer.decision_asked
        if action is None or not self.decision_live:
            self.refresh_action()
            return
        self.post_message(self.HumanInputChosen(self, action, event.button.id == "proceed"))
