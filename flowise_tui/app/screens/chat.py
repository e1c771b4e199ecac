"""The main screen: chatflow picker, conversation log, prompt.

What opening a chatflow, asking and answering need (the conversation model, the protocol's
models and events, forms, files) is imported in the methods that use it: the first screen
is drawn without it, and the app loads it in a thread right after (`CHAT_MODULES`)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import events, on, work
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from flowise_tui.app import hints, plain, render
from flowise_tui.app.actions import KEY_NAMES, bindings
from flowise_tui.app.copying import copy_text
from flowise_tui.app.layout import NARROW
from flowise_tui.app.log.chat_log import TURN_VIEWS, ChatLog, EarlierTurns
from flowise_tui.app.widgets.attachments import AttachmentTray
from flowise_tui.app.widgets.footer import AppFooter
from flowise_tui.app.widgets.picker import ChatflowPicker, badge
from flowise_tui.app.widgets.prompt import PromptArea
from flowise_tui.flowise.errors import FlowiseError, FlowiseNotFoundError
from flowise_tui.flowise.ids import looks_like_id
from flowise_tui.flowise.urls import display_url

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widget import AwaitMount

    from flowise_tui.app.host import ChatHost
    from flowise_tui.app.progress import ProgressSaver
    from flowise_tui.app.widgets.choices import Choices
    from flowise_tui.app.widgets.files import ReturnedFiles
    from flowise_tui.app.widgets.picture import Picture
    from flowise_tui.app.widgets.speech import SpeechLine
    from flowise_tui.app.widgets.turn import TurnView
    from flowise_tui.conversation import Conversation, Decision, Turn, TurnStatus
    from flowise_tui.flowise.client import FlowiseClient
    from flowise_tui.flowise.form import StartForm
    from flowise_tui.flowise.models import ChatbotConfig, Chatflow, PredictionRequest
    from flowise_tui.flowise.uploads import UploadChoice
    from flowise_tui.returned_files import ReturnedFile

USABLE_ID = re.compile(r"[A-Za-z0-9._~-]+")
"""What a chatflow id may hold: it goes into URL paths as it is."""


def usable_id(flow_id: str) -> bool:
    return bool(USABLE_ID.fullmatch(flow_id))


class Welcome(Vertical):
    """What an empty conversation shows: what to do, and the chatflow's starter prompts.
    The list of prompts is built when there first are some: the first screen has none."""

    def compose(self) -> ComposeResult:
        yield Static("", id="welcome-text", markup=False)

    def show(self, message: str, prompts: list[str]) -> None:
        self.query_one("#welcome-text", Static).update(render.plain(message))
        found = self.query_children("#starters")
        if not found and not prompts:
            return
        from flowise_tui.app.widgets.choices import Choices, choice_rows

        if found:
            starters = found.first(Choices)
        else:
            starters = Choices([], id="starters")
            self.mount(starters)
        starters.prompts = prompts
        starters.clear_options()
        starters.add_options(choice_rows(prompts))
        starters.display = bool(prompts)


class ChatScreen(Screen[None]):
    BINDINGS = bindings("chat")

    class Built(Message):
        """The screen and its widgets are mounted: the app may start on it."""

    def __init__(self, host: ChatHost) -> None:
        super().__init__()
        self.host = host
        self.chatflow: Chatflow | None = None
        self.chatbot_config: ChatbotConfig | None = None
        """The open chatflow's (its defaults until the server's come)."""
        self.start_form: StartForm | None = None
        self.conversation: Conversation | None = None
        self._answer: Worker[None] | None = None
        self._answering: tuple[Conversation, Turn] | None = None
        """The turn whose answer streams, with its conversation (kept if another opens)."""
        self._stopped = False
        """The answer was cancelled by Esc (stopped), not by the app ending (interrupted)."""
        self._deciding = False
        """The comment box of a decision is open: another click waits for it."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield ChatflowPicker(id="sidebar")
            with Vertical(id="main"):
                yield Static(id="flow-bar", markup=False)
                with ChatLog(self.host.pacing, id="log"):
                    yield Welcome(id="welcome")
                    yield EarlierTurns(id="earlier")
                yield AttachmentTray(id="attachments")
                yield PromptArea(id="prompt")
        footer = AppFooter()
        footer.holding_keys = True  # until the app's first frame is on screen
        yield footer

    def first_frame_drawn(self) -> None:
        """Mount what the first frame went without: the picker's parts, the footer's keys."""
        self.query_one(ChatflowPicker).build()
        self.query_one(AppFooter).show_keys()

    def on_mount(self) -> None:
        self.query_one(ChatLog).anchor()
        self.refresh_flow_bar()
        self.show_welcome()
        self.post_message(self.Built())

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        self.set_class(narrow, "-narrow")
        self.query_one(AppFooter).compact = narrow

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While an answer streams, Esc (stop) takes the footer place of export, which waits.
        if action == "stop":
            return self.streaming
        if action == "export":
            return not self.streaming
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "answer":
            self.refresh_bindings()

    @property
    def prompt(self) -> PromptArea:
        return self.query_one(PromptArea)

    @property
    def streaming(self) -> bool:
        return self._answer is not None and self._answer.state in (
            WorkerState.PENDING,
            WorkerState.RUNNING,
        )

    @property
    def chatflows(self) -> list[Chatflow]:
        """The chatflows the picker lists."""
        return self.query_one(ChatflowPicker).flows

    def load_chatflows(self) -> None:
        self.query_one(ChatflowPicker).load(self.host.client)

    def close_chatflow(self) -> None:
        """Back to no chatflow (the connection changed)."""
        if self.streaming:
            self.action_stop()
        self.chatflow = None
        self.conversation = None
        self.refresh_flow_bar()
        self.show_welcome()

    @work(exclusive=True, group="open-initial")
    async def open_initial(self, wanted: str) -> None:
        """Open the chatflow named at start (an id, or an exact name)."""
        client = self.host.client
        failure: FlowiseError | None = None
        try:
            if looks_like_id(wanted):
                chatflow = await _flow_by_id(client, wanted)
            else:
                chatflow = await client.find_chatflow(wanted)
        except FlowiseError as exc:
            failure = exc
        if not self.app.is_running:
            return  # the app is closing: its widgets may be gone
        if failure is not None:
            self.notify(
                hints.describe(failure),
                title="Cannot open that chatflow",
                severity="error",
                timeout=10,
                markup=False,
            )
            if isinstance(failure, FlowiseNotFoundError):
                # Not a connection problem: the server answered. The list is the way on.
                self._offer_the_list(wanted)
            else:
                self.host.connect(hints.describe(failure, on_connect=True))
            return
        self.open_chatflow(chatflow)
        self.query_one(ChatflowPicker).select_by_id(chatflow.id)
        self.prompt.focus()

    def _offer_the_list(self, wanted: str) -> None:
        """Show the list filtered by what was asked for, with any typed question kept."""
        self.focus_filter()
        self.query_one(ChatflowPicker).filter_input.value = plain.line(wanted, 200)

    def refresh_flow_bar(self) -> None:
        server = render.styled(self.host.server_url, "dim")
        if self.chatflow is None:
            text = Content.assemble(
                render.styled("No chatflow yet: pick one on the left", "italic"), "  ", server
            )
        else:
            from flowise_tui.app import runtime

            session = self.conversation.chat_id[:8] if self.conversation else ""
            text = Content.assemble(
                badge(self.chatflow.type),
                " ",
                render.styled(plain.name(self.chatflow.name or self.chatflow.id), "bold"),
                "  ",
                server,
                render.styled(f"  session {session}", "dim"),
                render.styled(runtime.header(self.host, self.chatflow), "bold"),
            )
        self.query_one("#flow-bar", Static).update(text)

    def show_welcome(self) -> None:
        found = self.query(Welcome)
        if not found:
            return  # the app is closing: a late chatbot config has nothing to show on
        welcome = found.first()
        empty = self.conversation is None or not self.conversation.turns
        welcome.display = empty
        if not empty:
            return
        config = self.chatbot_config if self.chatflow else None
        welcome_message = config.welcome_message if config else None
        prompts = config.starter_prompts if config else []
        if self.chatflow is None:
            message = (
                "Pick a chatflow in the list (the filter takes a name or a pasted id);"
                f" {KEY_NAMES['chat.toggle_sidebar']} shows or hides the list."
            )
        else:
            message = welcome_message or (
                f"Ask {plain.name(self.chatflow.name or 'this chatflow')} anything."
            )
        form = self.start_form if self.chatflow else None
        if form is not None:
            from flowise_tui.app.form_start import FILL_IN
            from flowise_tui.app.form_start import welcome as form_welcome

            message = form_welcome(form, welcome_message)
            prompts = [FILL_IN]
        welcome.show(message, prompts)

    @on(ChatflowPicker.Selected)
    def _picked(self, event: ChatflowPicker.Selected) -> None:
        self.open_chatflow(event.chatflow)

    def open_chatflow(self, chatflow: Chatflow, conversation: Conversation | None = None) -> None:
        from flowise_tui.flowise.models import ChatbotConfig

        if not usable_id(chatflow.id):
            self.notify(
                f"This chatflow cannot be opened: the server gave it the id {chatflow.id!r}.",
                severity="error",
            )
            return
        if self.streaming:
            self.action_stop()
        self.chatflow = chatflow
        self.chatbot_config = ChatbotConfig()
        self.start_form = None
        self.start_conversation(conversation)
        self._load_chatbot_config(chatflow)
        self.query_one(AttachmentTray).use_chatflow(self.host.client, chatflow.id)
        if self.narrow:
            self.query_one(ChatflowPicker).display = False
        self.prompt.focus()

    @work(exclusive=True, group="chatbot-config")
    async def _load_chatbot_config(self, chatflow: Chatflow) -> None:
        from flowise_tui.app import runtime
        from flowise_tui.app.form_start import read_form

        try:
            config = await self.host.client.chatbot_config(chatflow.id)
        except FlowiseError as exc:
            if isinstance(exc, FlowiseNotFoundError):
                self.notify(
                    f"Chatflow {chatflow.id} was not found on this server.",
                    severity="error",
                    markup=False,
                )
            return
        if self.chatflow is chatflow:
            self.chatbot_config = config
            self.start_form, problem = read_form(config)
            if problem:
                self.notify(problem, severity="error", markup=False)
            self.show_welcome()
            if (
                form := runtime.lead_form_wanted(self.host, chatflow, config)
            ) and self.conversation:
                runtime.offer_lead(self, chatflow, self.conversation.chat_id, form)

    def start_conversation(self, conversation: Conversation | None = None) -> None:
        from flowise_tui.conversation import Conversation

        assert self.chatflow is not None
        self.conversation = conversation or Conversation(
            chatflow_id=self.chatflow.id, chatflow_name=self.chatflow.name
        )
        self.query_one(ChatLog).show_conversation(self.conversation.turns, self._view)
        self.prompt.remember([turn.question for turn in self.conversation.turns])
        self.refresh_flow_bar()
        self.show_welcome()

    @on(PromptArea.Submitted)
    def _submitted(self, event: PromptArea.Submitted) -> None:
        if self._finishing:
            self._send_when_finished(event.text)
        elif not self.send(event.text):
            self.prompt.give_back(event.text)

    @property
    def _finishing(self) -> bool:
        """The last answer has ended (it says so), and only its last text is still going
        on screen: a question sent now waits for that, rather than being refused."""
        from flowise_tui.conversation import TurnStatus

        answering = self._answering
        return self.streaming and (
            answering is None or answering[1].status is not TurnStatus.STREAMING
        )

    @work(group="queued-question")
    async def _send_when_finished(self, question: str) -> None:
        answer = self._answer
        if answer is not None:
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await answer.wait()
        if not self.send(question):
            self.prompt.give_back(question)

    @on(PromptArea.PathsPasted)
    def _paths_pasted(self, event: PromptArea.PathsPasted) -> None:
        self.query_one(AttachmentTray).attach(list(event.paths))

    def action_attach(self) -> None:
        from flowise_tui.app.screens.attach import AttachScreen

        tray = self.query_one(AttachmentTray)
        if self.chatflow is None:
            self.notify("Pick a chatflow first: what it accepts decides.", severity="warning")
            return
        self.app.push_screen(
            AttachScreen(tray.accepted()), lambda path: path and tray.attach([path])
        )

    def on_choices_chosen(self, event: Choices.Chosen) -> None:
        """A starter or follow-up prompt was chosen."""
        event.stop()
        self.send(event.text)

    def send(
        self, question: str, human_input: dict | None = None, form: dict | None = None
    ) -> bool:
        """Ask `question` (or carry a decision, with its `human_input`); False if it was not
        sent. While the flow waits for a decision, only the decision goes."""
        from flowise_tui.app import runtime
        from flowise_tui.conversation import Turn
        from flowise_tui.flowise.models import PredictionRequest

        if self.chatflow is None or self.conversation is None:
            toggle = KEY_NAMES["chat.toggle_sidebar"]
            self.notify(
                f"Pick a chatflow first ({toggle} shows or hides the list).", severity="warning"
            )
            return False
        if self.streaming:
            self.notify("An answer is still streaming: Esc stops it.", severity="warning")
            return False
        conversation = self.conversation
        if human_input is None and self._waits_for_decision(conversation):
            return False
        if form is None and self.start_form is not None and not conversation.turns:
            self._fill_in_form(self.start_form)
            return False
        conversation.server_url = conversation.server_url or display_url(self.host.server_url)
        turn = Turn(question, started=time.time())
        files = self.query_one(AttachmentTray).take() if human_input is None else []
        turn.attachments = [choice.attachment for choice in files]
        conversation.turns.append(turn)
        self.host.save_turn(conversation, turn)  # kept from now on, whatever happens next
        view = self._view(turn)
        self.query_one(Welcome).display = False
        mounted = self.query_one(ChatLog).add_turn(view)
        request = PredictionRequest(
            "" if form else question,
            chat_id=conversation.chat_id,
            session_id=conversation.chat_id,
            human_input=human_input,
            form=form,
            override_config=runtime.settings_of(self.host, self.chatflow.id).override_config(),
            lead_email=runtime.lead_email(self.host, self.chatflow.id),
        )
        self._answering = (conversation, turn)
        self._stopped = False
        self._answer = self.stream_answer(
            view, mounted, conversation, self.chatflow.id, request, files
        )
        self.prompt.focus()  # after a starter, a follow-up or a decision too: type on
        return True

    def _fill_in_form(self, form: StartForm) -> None:
        """Ask for the flow's start form; its values go as the first turn."""
        from flowise_tui.app.screens.form import FormScreen
        from flowise_tui.flowise.form import as_text as form_text

        def submitted(values: dict | None) -> None:
            if values is not None:
                self.send(form_text(values), form=values)

        name = self.chatflow.name if self.chatflow else ""
        self.app.push_screen(FormScreen(form, plain.name(name or "Form")), submitted)

    def _waits_for_decision(self, conversation: Conversation) -> bool:
        """Whether the flow waits for a decision on its last answer; if so, say which."""
        from flowise_tui.conversation import decision_labels

        waiting = conversation.awaiting_decision
        action = waiting.answer.decision_asked if waiting is not None else None
        if action is None:
            return False
        proceed, reject = (plain.line(label, 40) for label in decision_labels(action))
        self.notify(
            f"Decide first: the flow waits for “{proceed}” or “{reject}” under its last"
            " answer (shift+tab reaches them). What you typed stays in the prompt.",
            title="Waiting for your decision",
            severity="warning",
            markup=False,
        )
        return True

    def _view(self, turn: Turn) -> TurnView:
        from flowise_tui.app.widgets.turn import TurnView  # with the first turn (Markdown)

        return TurnView(
            turn,
            self.chatflow.name if self.chatflow and self.chatflow.name else "Flowise",
            awaits_decision=self._awaits_decision,
            file_link=lambda item: self._file_link(turn, item),
        )

    def _file_link(self, turn: Turn, item: ReturnedFile) -> str | None:
        if self.chatflow is None:
            return None
        chat_id = self._chat_id_of(turn)
        from flowise_tui.app.screens import file_saving

        return file_saving.file_link(self.host.server_url, self.chatflow.id, chat_id, item)

    def _chat_id_of(self, turn: Turn) -> str:
        metadata = turn.answer.metadata
        chat_id = metadata.chat_id if metadata else None
        return chat_id or (self.conversation.chat_id if self.conversation else "")

    def on_returned_files_save_requested(self, event: ReturnedFiles.SaveRequested) -> None:
        from flowise_tui.app.widgets.turn import TurnView

        view = next((a for a in event.files.ancestors if isinstance(a, TurnView)), None)
        if view is not None and self.chatflow is not None:
            from flowise_tui.app.screens import file_saving

            chat_id = self._chat_id_of(view.turn)
            file_saving.ask_and_save(self, self.host.client, self.chatflow.id, chat_id, event.item)

    def on_picture_bytes_wanted(self, event: Picture.BytesWanted) -> None:
        """An image the server keeps, for the log: fetched like a file to save."""
        from flowise_tui.app.widgets.turn import TurnView
        from flowise_tui.returned_files import file_bytes

        event.stop()
        view = next((a for a in event.picture.ancestors if isinstance(a, TurnView)), None)
        if view is not None and self.chatflow is not None:
            flow_id, chat_id, item = self.chatflow.id, self._chat_id_of(view.turn), event.item
            client = self.host.client
            event.picture.load_with(lambda: file_bytes(client, flow_id, chat_id, item))

    def _awaits_decision(self, turn: Turn) -> bool:
        """Whether the flow waits on this turn's action: the open conversation's latest."""
        return self.conversation is not None and self.conversation.awaiting_decision is turn

    @work(exclusive=True, group="answer")
    async def stream_answer(
        self,
        view: TurnView,
        mounted: AwaitMount,
        conversation: Conversation,
        flow_id: str,
        request: PredictionRequest,
        files: list[UploadChoice],
    ) -> None:
        """Consume the event stream of one answer and feed the turn's view; the turn is saved
        as the answer grows, and once more as it ends."""
        from flowise_tui.app.progress import SAVE_EVERY, ProgressSaver
        from flowise_tui.conversation import TurnStatus

        turn = view.turn
        log = self.query_one(ChatLog)

        def save_progress() -> None:
            turn.elapsed = time.time() - turn.started
            self.host.save_turn(conversation, turn)

        progress = ProgressSaver(turn, save_progress)
        timer = self.set_interval(SAVE_EVERY, progress.save_if_due)
        try:
            await mounted
            with log.answering(view, self.action_focus_prompt):
                await self._consume(view, progress, conversation.chat_id, flow_id, request, files)
        finally:
            timer.stop()
            if turn.status is TurnStatus.STREAMING:  # cancelled before the stream began
                turn.status = self._cancelled_as
                turn.elapsed = time.time() - turn.started
            if self._answering is not None and self._answering[1] is turn:
                self._answering = None
            self.host.save_turn(conversation, turn)

    async def _consume(
        self,
        view: TurnView,
        progress: ProgressSaver,
        chat_id: str,
        flow_id: str,
        request: PredictionRequest,
        files: list[UploadChoice],
    ) -> None:
        from flowise_tui.app import runtime
        from flowise_tui.conversation import TurnStatus
        from flowise_tui.flowise.attach import build_uploads
        from flowise_tui.flowise.events import TokenEvent, TTSEvent

        turn = view.turn
        limit = self.host.config.answer_limit
        try:
            if files:
                request.uploads = await build_uploads(self.host.client, flow_id, chat_id, files)
            stream = self.host.client.stream_prediction(flow_id, request)
            async with contextlib.aclosing(stream):
                async for event in stream:
                    if isinstance(event, TokenEvent):
                        text = event.text
                        if text:
                            room = limit - turn.answer.length
                            if len(text) > room:
                                text = text[: max(room, 0)]
                                turn.status = TurnStatus.CUT
                            turn.answer.append_text(text)
                            if turn.first_token_after is None:
                                turn.first_token_after = time.time() - turn.started
                            await view.write(text)
                            if turn.status is TurnStatus.CUT:
                                break
                    else:
                        turn.apply(event)
                        if isinstance(event, TTSEvent):
                            await runtime.hear(self, view, event)
                        view.refresh_panes()
                    progress.save_if_due()
            if turn.status is TurnStatus.CUT:
                self._abort_on_server(flow_id, chat_id)
                return
            turn.status = TurnStatus.FAILED if turn.answer.error else TurnStatus.DONE
            if turn.status is TurnStatus.FAILED and request.human_input is None:
                self._restore_unanswered_question(turn, files)
        except asyncio.CancelledError:
            if turn.status is TurnStatus.STREAMING:
                turn.status = self._cancelled_as
            raise
        except FlowiseError as exc:
            turn.status = TurnStatus.FAILED
            turn.answer.error = hints.describe(exc)
            if request.human_input is None:  # a decision's button name is no question
                self._restore_unanswered_question(turn, files)
        finally:
            turn.elapsed = time.time() - turn.started
            await view.finish()

    def _restore_unanswered_question(self, turn: Turn, files: list[UploadChoice]) -> None:
        """A question that got no answer at all goes back into an empty prompt, its files
        back above it."""
        prompts = self.query(PromptArea)
        if not prompts:
            return  # the app is closing: the turn is saved with its question
        prompt = prompts.first()
        if not turn.answer.text and not prompt.text.strip():
            prompt.load_text(turn.question)
            prompt.move_cursor(prompt.document.end)
            self.query_one(AttachmentTray).give_back(files)

    @property
    def _cancelled_as(self) -> TurnStatus:
        """What an answer cancelled now becomes: stopped (Esc) or interrupted (the app ends)."""
        from flowise_tui.conversation import TurnStatus

        return TurnStatus.STOPPED if self._stopped else TurnStatus.INTERRUPTED

    def action_stop(self) -> None:
        if not self.streaming or self._answer is None:
            return
        self._stopped = True
        self._answer.cancel()
        if self.chatflow is not None and self._answering is not None:
            self._abort_on_server(self.chatflow.id, self._answering[0].chat_id)

    def interrupt_answer(self) -> None:
        """The app is ending: the answer in progress is saved as it stands, marked
        interrupted, and its stream closed."""
        from flowise_tui.conversation import TurnStatus

        if self._answering is None:
            return
        conversation, turn = self._answering
        if turn.status is TurnStatus.STREAMING:
            turn.status = TurnStatus.INTERRUPTED
            turn.elapsed = time.time() - turn.started
        self.host.save_turn(conversation, turn)
        self._stopped = False
        if self._answer is not None:
            self._answer.cancel()

    @work(group="abort")
    async def _abort_on_server(self, flow_id: str, chat_id: str) -> None:
        with contextlib.suppress(FlowiseError, TimeoutError):
            async with asyncio.timeout(5):
                await self.host.client.abort(flow_id, chat_id)

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
        if sidebar.display:
            sidebar.display = False
            self.prompt.focus()
        else:
            self.focus_filter()

    def focus_filter(self) -> None:
        sidebar = self.query_one(ChatflowPicker)
        sidebar.display = True
        sidebar.filter_input.focus()

    def focus_start(self, chatflow_coming: bool) -> None:
        """The prompt when a chatflow is open or on its way; else the list's filter."""
        if self.chatflow is not None or chatflow_coming:
            self.prompt.focus()
        else:
            self.focus_filter()

    def action_focus_prompt(self) -> None:
        self.prompt.focus()

    def action_focus_answer(self, step: int) -> None:
        """Move focus between answers, where + - c y p act; past the last, to the prompt."""
        if not self.query_one(ChatLog).focus_answer(step):
            self.prompt.focus()

    def action_refresh_chatflows(self) -> None:
        self.load_chatflows()

    def _last_answer(self) -> TurnView | None:
        views = self.query(TURN_VIEWS)
        if not views:
            self.notify("No answer yet.", severity="warning")
            return None
        return cast("TurnView", views.last())

    def action_copy_last_answer(self) -> None:
        if view := self._last_answer():
            view.action_copy_answer()

    def action_copy_last_code(self) -> None:
        if view := self._last_answer():
            view.action_copy_code()

    def action_edit_overrides(self) -> None:
        from flowise_tui.app import runtime

        runtime.edit_overrides(self)

    def action_save_speech(self) -> None:
        from flowise_tui.app import runtime

        runtime.save_speech(self, self._last_answer())

    def on_speech_line_requested(self, event: SpeechLine.Requested) -> None:
        event.stop()
        from flowise_tui.app import runtime

        runtime.speech_requested(self, event)

    def action_toggle_last_panes(self) -> None:
        if view := self._last_answer():
            view.action_toggle_panes()

    def action_history(self) -> None:
        from flowise_tui.app.screens.history import HistoryScreen
        from flowise_tui.flowise.models import Chatflow

        def reopen(conversation: Conversation | None) -> None:
            if conversation is not None:
                chatflow = Chatflow(id=conversation.chatflow_id, name=conversation.chatflow_name)
                chatflow = next((f for f in self.chatflows if f.id == chatflow.id), chatflow)
                self.open_chatflow(chatflow, conversation)

        chatflow = self.chatflow
        screen = HistoryScreen(
            self.host.history,
            chatflow.id if chatflow else None,
            client=self.host.client,
            chatflow_name=chatflow.name if chatflow else "",
        )
        self.app.push_screen(screen, reopen)

    def action_export(self, fmt: str = "markdown") -> None:
        from flowise_tui.export import ExportError, export_conversation

        conversation = self.conversation
        if conversation is None or not conversation.turns:
            self.notify("Nothing to export yet.", severity="warning")
            return
        directory = Path(str(self.host.config.ui_get("export_dir") or Path.cwd())).expanduser()
        try:
            path = export_conversation(conversation, directory, fmt)
        except ExportError as exc:
            self.notify(str(exc), title="Export failed", severity="error", timeout=10, markup=False)
            return
        self.notify(f"Saved {path}", title="Exported", markup=False)

    def on_turn_view_human_input_chosen(self, event: TurnView.HumanInputChosen) -> None:
        """A decision on the action the flow waits on: asked for its comment if the node
        wants one (Esc there cancels it), then recorded on its turn and sent."""
        from flowise_tui.app.screens.decision import DecisionCommentScreen
        from flowise_tui.conversation import Decision, asks_for_comment, decision_labels

        event.stop()
        view, action = event.turn_view, event.action
        if self._deciding or not self._awaits_decision(view.turn):
            return
        if self.streaming:
            self.notify("An answer is still streaming: Esc stops it.", severity="warning")
            return
        proceed, reject = decision_labels(action)
        label = proceed if event.proceed else reject
        if not asks_for_comment(action):
            self._decide(view, Decision(event.proceed, label))
            return

        def commented(comment: str | None) -> None:
            self._deciding = False
            if comment is not None:
                self._decide(view, Decision(event.proceed, label, comment))

        self._deciding = True
        self.app.push_screen(DecisionCommentScreen(proceed=event.proceed, label=label), commented)

    def _decide(self, view: TurnView, decision: Decision) -> None:
        """Record the decision on the waiting turn and send it as the next question."""
        turn, conversation = view.turn, self.conversation
        action = turn.answer.decision_asked
        if conversation is None or action is None or not self._awaits_decision(turn):
            return
        turn.decision = decision
        if not self.send(decision.label, human_input=decision.human_input(action)):
            turn.decision = None
            return
        self.host.save_turn(conversation, turn)
        view.refresh_action()

    def on_turn_view_copy_requested(self, event: TurnView.CopyRequested) -> None:
        copy_text(self, event.text, event.what)

    def on_turn_view_feedback_requested(self, event: TurnView.FeedbackRequested) -> None:
        from flowise_tui.app.screens.feedback import FeedbackScreen

        turn = event.turn_view.turn
        metadata = turn.answer.metadata
        if self.chatflow is None or self.conversation is None:
            return
        if self.chatbot_config is None or not self.chatbot_config.feedback_enabled:
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
                feedback = await self.host.client.update_feedback(
                    turn.feedback_id, rating=rating, content=comment
                )
            else:
                feedback = await self.host.client.send_feedback(
                    self.chatflow.id,
                    chat_id=metadata.chat_id or self.conversation.chat_id,
                    message_id=metadata.chat_message_id,
                    rating=rating,
                    content=comment or None,
                )
        except FlowiseError as exc:
            message = f"Feedback not saved: {hints.describe(exc)}"
            self.notify(message, severity="error", markup=False)
            return
        turn.feedback_id = feedback.id or turn.feedback_id
        turn.rating = rating
        view.refresh_status()
        self.host.save_turn(self.conversation, turn)
        self.notify("Thanks, feedback saved.")


async def _flow_by_id(client: FlowiseClient, flow_id: str) -> Chatflow:
    """At once: does it exist (an error if not), and its details if the key may read them."""
    from flowise_tui.flowise.models import Chatflow

    exists, chatflow = await asyncio.gather(
        client.is_streaming(flow_id), client.get_chatflow(flow_id), return_exceptions=True
    )
    if isinstance(exists, BaseException):
        raise exists
    if isinstance(chatflow, FlowiseError):
        return Chatflow(id=flow_id, name=flow_id)
    if isinstance(chatflow, BaseException):
        raise chatflow
    return chatflow
