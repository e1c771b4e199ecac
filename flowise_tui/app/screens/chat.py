"""The main screen: chatflow picker, conversation log, prompt."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from flowise_tui.app import render
from flowise_tui.app.widgets.picker import ChatflowPicker, badge
from flowise_tui.app.widgets.prompt import PromptArea
from flowise_tui.app.widgets.scrolling import KeepInPlace, follows_bottom, near_view
from flowise_tui.app.widgets.stream import gc_paused
from flowise_tui.app.widgets.turn import Choices, TurnView
from flowise_tui.conversation import Conversation, Turn, TurnStatus
from flowise_tui.flowise import (
    ChatbotConfig,
    Chatflow,
    FlowiseError,
    PredictionRequest,
)
from flowise_tui.flowise.events import TokenEvent

if TYPE_CHECKING:
    from flowise_tui.app.app import FlowiseApp


GC_AFTER_ANSWER = 1.0


class ChatLog(VerticalScroll):
    """The turns of the conversation; follows the bottom while the user is there."""

    @dataclass
    class ReachedTop(Message):
        """The user scrolled up to the very top."""

    _looking = False

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if not self._looking:  # once the new scroll offset is laid out
            self._looking = True
            self.call_after_refresh(self._look_around)
        if new <= 0 < old and not follows_bottom(self):
            self.post_message(self.ReachedTop())

    def _look_around(self) -> None:
        self._looking = False
        self.park_out_of_sight()
        for view in self.query_children(TurnView):
            if view.feed is not None:
                view.feed.reveal_in_view()

    def park_out_of_sight(self) -> None:
        """Turns more than a screen away from the view leave the layout (see TurnView.park)."""
        near = near_view(self)
        for turn_view in self.query_children(TurnView):
            if turn_view.region.overlaps(near):
                turn_view.unpark()
            else:
                turn_view.park()


class EarlierTurns(Static, can_focus=True):
    """Stands in for the turns folded out of the log to keep it light."""

    BINDINGS = [Binding("enter", "unfold", "Show earlier", show=False)]

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


class Welcome(Vertical):
    def compose(self) -> ComposeResult:
        yield Static("", id="welcome-text", markup=False)
        yield Choices([], id="starters")


class ChatScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "stop", "Stop", show=False),
        Binding("ctrl+n", "new_chat", "New chat"),
        Binding("ctrl+b", "toggle_sidebar", "Chatflows"),
        Binding("ctrl+o", "history", "History"),
        Binding("ctrl+s", "export", "Export"),
        Binding("f2", "connect", "Connect"),
        Binding("ctrl+l", "focus_prompt", "Prompt", show=False),
        Binding("ctrl+up", "focus_answer(-1)", "Earlier answer", show=False),
        Binding("ctrl+down", "focus_answer(1)", "Later answer", show=False),
    ]

    app: FlowiseApp

    keep_turns = 10
    """Turns kept in the log after an answer; earlier ones are folded away (every turn costs
    its widgets, some 7 MB for a 500-token answer) and come back on scrolling up."""
    unfold_batch = 5

    def __init__(self) -> None:
        super().__init__()
        self.chatflow: Chatflow | None = None
        self.chatbot_config = ChatbotConfig()
        self.conversation: Conversation | None = None
        self._answer: Worker[None] | None = None
        self._folded = 0
        """How many of the conversation's first turns have no view in the log."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield ChatflowPicker(id="sidebar")
            with Vertical(id="main"):
                yield Static(id="flow-bar", markup=False)
                with ChatLog(id="log"):
                    yield Welcome(id="welcome")
                    yield EarlierTurns(id="earlier")
                yield PromptArea(id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ChatLog).anchor()
        self.refresh_flow_bar()
        self.show_welcome()

    @property
    def prompt(self) -> PromptArea:
        return self.query_one(PromptArea)

    @property
    def streaming(self) -> bool:
        return self._answer is not None and self._answer.state in (
            WorkerState.PENDING,
            WorkerState.RUNNING,
        )

    def load_chatflows(self) -> None:
        self.query_one(ChatflowPicker).load(self.app.client)

    def refresh_flow_bar(self) -> None:
        server = render.styled(self.app.connection.url, "dim")
        if self.chatflow is None:
            text = Content.assemble(
                render.styled("No chatflow yet: pick one on the left", "italic"), "  ", server
            )
        else:
            session = self.conversation.chat_id[:8] if self.conversation else ""
            text = Content.assemble(
                badge(self.chatflow.type),
                " ",
                render.styled(self.chatflow.name or self.chatflow.id, "bold"),
                "  ",
                server,
                render.styled(f"  session {session}", "dim"),
            )
        self.query_one("#flow-bar", Static).update(text)

    def show_welcome(self) -> None:
        welcome = self.query_one(Welcome)
        empty = self.conversation is None or not self.conversation.turns
        welcome.display = empty
        if not empty:
            return
        if self.chatflow is None:
            message = "Pick a chatflow in the sidebar (ctrl+b), or paste a chatflow id there."
        else:
            message = self.chatbot_config.welcome_message or (
                f"Ask {self.chatflow.name or 'this chatflow'} anything."
            )
        welcome.query_one("#welcome-text", Static).update(render.plain(message))
        starters = welcome.query_one("#starters", Choices)
        prompts = self.chatbot_config.starter_prompts if self.chatflow else []
        starters.prompts = prompts
        starters.clear_options()
        starters.add_options([render.plain("› " + p) for p in prompts])
        starters.display = bool(prompts)

    @on(ChatflowPicker.Selected)
    def _picked(self, event: ChatflowPicker.Selected) -> None:
        self.open_chatflow(event.chatflow)
        self.prompt.focus()

    def open_chatflow(self, chatflow: Chatflow, conversation: Conversation | None = None) -> None:
        if self.streaming:
            self.action_stop()
        self.chatflow = chatflow
        self.chatbot_config = ChatbotConfig()
        self.start_conversation(conversation)
        self._load_chatbot_config(chatflow)

    @work(exclusive=True, group="chatbot-config")
    async def _load_chatbot_config(self, chatflow: Chatflow) -> None:
        try:
            config = await self.app.client.chatbot_config(chatflow.id)
        except FlowiseError as exc:
            if "not found" in str(exc).lower():
                self.notify(
                    f"Chatflow {chatflow.id} was not found on this server.", severity="error"
                )
            return
        if self.chatflow is chatflow:
            self.chatbot_config = config
            self.show_welcome()

    def start_conversation(self, conversation: Conversation | None = None) -> None:
        assert self.chatflow is not None
        log = self.query_one(ChatLog)
        log.query(TurnView).remove()
        self.conversation = conversation or Conversation(
            chatflow_id=self.chatflow.id, chatflow_name=self.chatflow.name
        )
        turns = self.conversation.turns
        self._folded = max(0, len(turns) - self.keep_turns)
        views = [self._view(turn) for turn in turns[self._folded :]]
        if views:
            log.mount_all(views)
        self.query_one(EarlierTurns).show_count(self._folded)
        self.prompt.remember([turn.question for turn in self.conversation.turns])
        self.refresh_flow_bar()
        self.show_welcome()
        log.anchor()

    @on(PromptArea.Submitted)
    def _submitted(self, event: PromptArea.Submitted) -> None:
        if self.send(event.text):
            self.prompt.clear()

    @on(Choices.Chosen)
    def _chosen(self, event: Choices.Chosen) -> None:
        event.stop()
        self.send(event.text)

    def send(self, question: str, human_input: dict | None = None) -> bool:
        if self.chatflow is None or self.conversation is None:
            self.notify("Pick a chatflow first (ctrl+b shows the list).", severity="warning")
            return False
        if self.streaming:
            self.notify("An answer is still streaming: Esc stops it.", severity="warning")
            return False
        turn = Turn(question, started=time.time())
        self.conversation.turns.append(turn)
        view = self._view(turn)
        log = self.query_one(ChatLog)
        self.query_one(Welcome).display = False
        mounted = log.mount(view)
        log.anchor()
        request = PredictionRequest(
            question,
            chat_id=self.conversation.chat_id,
            session_id=self.conversation.chat_id,
            human_input=human_input,
        )
        self._answer = self.stream_answer(view, mounted, self.chatflow.id, request)
        return True

    def _view(self, turn: Turn) -> TurnView:
        return TurnView(
            turn, self.chatflow.name if self.chatflow and self.chatflow.name else "Flowise"
        )

    def _fold_earlier_turns(self) -> None:
        """Keep the last `keep_turns` views (once an answer is complete, so that removing
        widgets does not slow the next one down)."""
        log = self.query_one(ChatLog)
        if not log.is_vertical_scroll_end:
            return  # the user is reading back
        views = list(log.query_children(TurnView))
        extra = len(views) - self.keep_turns
        if extra <= 0:
            return
        folded = views[:extra]
        if self.focused is not None and any(self.focused in (v, *v.ancestors) for v in folded):
            self.prompt.focus()
        log.remove_children(folded)
        self._folded += extra
        self.query_one(EarlierTurns).show_count(self._folded)

    @on(ChatLog.ReachedTop)
    @on(EarlierTurns.Unfold)
    def _unfold(self) -> None:
        self.unfold_earlier_turns()

    def unfold_earlier_turns(self) -> list[TurnView]:
        """Bring back the `unfold_batch` turns before the first in the log, keeping what is on
        screen where it is."""
        if not self._folded or self.conversation is None:
            return []
        start = max(0, self._folded - self.unfold_batch)
        views = [self._view(turn) for turn in self.conversation.turns[start : self._folded]]
        self._folded = start
        log = self.query_one(ChatLog)
        earlier = self.query_one(EarlierTurns)
        shown = log.query_children(TurnView)
        if shown and not follows_bottom(log):
            KeepInPlace(log, shown.first()).start()
        log.mount_all(views, after=earlier)
        earlier.show_count(self._folded)
        return views

    @work(exclusive=True, group="answer")
    async def stream_answer(
        self, view: TurnView, mounted: AwaitMount, flow_id: str, request: PredictionRequest
    ) -> None:
        """Consume the event stream of one answer and feed the turn's view."""
        turn = view.turn
        await mounted
        view.start_stream()
        try:
            with gc_paused():  # until the last text is on screen
                await self._consume(view, flow_id, request)
        finally:
            self.app.save_turn(self.conversation, turn)
            self.set_timer(GC_AFTER_ANSWER, self._collect_garbage)
            self.call_after_refresh(self._tidy_log)

    def _tidy_log(self) -> None:
        """After an answer: fold the turns beyond `keep_turns`, park those far away."""
        if self.is_attached and self.query(ChatLog):  # not while the app closes
            self._fold_earlier_turns()
            self.query_one(ChatLog).park_out_of_sight()

    def _collect_garbage(self) -> None:
        """The answer's garbage, collected while the user reads rather than when the next
        question is sent: a full collection takes a frame or more (hundreds of ms in a long
        conversation), so it waits for a second without keys or clicks."""
        if self.streaming:
            return  # the end of that answer schedules another
        last_input = self.app.last_input or 0.0
        idle = asyncio.get_running_loop().time() - last_input
        if idle < GC_AFTER_ANSWER:
            self.set_timer(GC_AFTER_ANSWER, self._collect_garbage)
            return
        gc.collect()

    async def _consume(self, view: TurnView, flow_id: str, request: PredictionRequest) -> None:
        turn = view.turn
        try:
            async for event in self.app.client.stream_prediction(flow_id, request):
                if isinstance(event, TokenEvent):
                    if event.text:
                        turn.answer.append_text(event.text)
                        if turn.first_token_after is None:
                            turn.first_token_after = time.time() - turn.started
                        await view.write(event.text)
                else:
                    turn.apply(event)
                    view.refresh_panes()
            turn.status = TurnStatus.FAILED if turn.answer.error else TurnStatus.DONE
            if turn.status is TurnStatus.FAILED:
                self._give_back(turn)
        except asyncio.CancelledError:
            turn.status = TurnStatus.STOPPED
            raise
        except FlowiseError as exc:
            turn.status = TurnStatus.FAILED
            turn.answer.error = str(exc)
            self._give_back(turn)
        finally:
            turn.elapsed = time.time() - turn.started
            await view.finish()

    def _give_back(self, turn: Turn) -> None:
        """A question that got no answer at all goes back into an empty prompt."""
        if not turn.answer.text and not self.prompt.text.strip():
            self.prompt.load_text(turn.question)
            self.prompt.move_cursor(self.prompt.document.end)

    def action_stop(self) -> None:
        if not self.streaming or self._answer is None:
            return
        self._answer.cancel()
        if self.chatflow is not None and self.conversation is not None:
            self._abort_on_server(self.chatflow.id, self.conversation.chat_id)

    @work(group="abort")
    async def _abort_on_server(self, flow_id: str, chat_id: str) -> None:
        with contextlib.suppress(FlowiseError, TimeoutError):
            async with asyncio.timeout(5):
                await self.app.client.abort(flow_id, chat_id)

    def action_new_chat(self) -> None:
        if self.chatflow is None:
            self.notify("Pick a chatflow first.", severity="warning")
            return
        if self.streaming:
            self.action_stop()
        self.start_conversation()
        self.prompt.focus()

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(ChatflowPicker)
        sidebar.display = not sidebar.display
        if sidebar.display:
            sidebar.query_one("#flow-filter").focus()
        else:
            self.prompt.focus()

    def action_focus_prompt(self) -> None:
        self.prompt.focus()

    def action_focus_answer(self, step: int) -> None:
        """Move focus between answers, where + - c y p act; past the last, to the prompt."""
        views = list(self.query(TurnView))
        if not views:
            return
        focused = self.focused
        current = views.index(focused) if isinstance(focused, TurnView) else len(views)
        target = current + step
        if target < 0 and self._folded:
            earlier = self.unfold_earlier_turns()[-1]
            self.call_after_refresh(earlier.focus)
            self.call_after_refresh(earlier.scroll_visible, animate=False)
            return
        if target >= len(views):
            self.prompt.focus()
        else:
            views[max(target, 0)].focus()
            views[max(target, 0)].scroll_visible(animate=False)

    def action_history(self) -> None:
        self.app.action_history()

    def action_export(self) -> None:
        self.app.action_export()

    def action_connect(self) -> None:
        self.app.action_connect()

    @on(TurnView.HumanInputChosen)
    def _human_input(self, event: TurnView.HumanInputChosen) -> None:
        choice = "proceed" if event.proceed else "reject"
        human_input = {"type": choice, "startNodeId": event.action.node_id, "feedback": ""}
        label = "Proceed" if event.proceed else "Reject"
        self.send(label, human_input=human_input)

    @on(TurnView.FeedbackRequested)
    def _feedback(self, event: TurnView.FeedbackRequested) -> None:
        from flowise_tui.app.screens.feedback import FeedbackScreen

        turn = event.turn_view.turn
        metadata = turn.answer.metadata
        if self.chatflow is None or self.conversation is None:
            return
        if not self.chatbot_config.feedback_enabled:
            self.notify("Feedback is not enabled for this chatflow.", severity="warning")
            return
        if metadata is None or not metadata.chat_message_id:
            self.notify("This answer has no message id yet, so it cannot be rated.")
            return

        def submit(comment: str | None) -> None:
            if comment is not None:
                self._send_feedback(event.turn_view, event.rating, comment)

        self.app.push_screen(FeedbackScreen(event.rating), submit)

    @work(group="feedback")
    async def _send_feedback(self, view: TurnView, rating: str, comment: str) -> None:
        turn = view.turn
        assert self.chatflow is not None and self.conversation is not None
        metadata = turn.answer.metadata
        assert metadata is not None and metadata.chat_message_id
        try:
            if turn.feedback_id:
                feedback = await self.app.client.update_feedback(
                    turn.feedback_id, rating=rating, content=comment
                )
            else:
                feedback = await self.app.client.send_feedback(
                    self.chatflow.id,
                    chat_id=metadata.chat_id or self.conversation.chat_id,
                    message_id=metadata.chat_message_id,
                    rating=rating,
                    content=comment or None,
                )
        except FlowiseError as exc:
            self.notify(f"Feedback not saved: {exc}", severity="error")
            return
        turn.feedback_id = feedback.id or turn.feedback_id
        turn.rating = rating
        view.refresh_status()
        self.app.save_turn(self.conversation, turn)
        self.notify("Thanks, feedback saved.")
