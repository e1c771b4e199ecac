"""The Textual application: owns the connection, the client, the config and local history.

It is given a connection (the command line resolves it, and starts the demo server when one
is wanted); the screens reach it only through `ChatHost`.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import signal
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App

from flowise_tui.app import hints, plain
from flowise_tui.app.actions import KEY_NAMES, bindings, check_keymap
from flowise_tui.app.log.pacing import Pacing
from flowise_tui.app.log.textual_adapter import cache_colours_only
from flowise_tui.app.screens.chat import ChatScreen
from flowise_tui.config import (
    Change,
    Config,
    ConfigError,
    Connection,
    activate_profile,
    config_warnings,
    resolve_connection,
    set_ui,
    update_config,
)
from flowise_tui.flowise.errors import FlowiseError

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.notifications import SeverityLevel

    from flowise_tui.conversation import Conversation, Turn
    from flowise_tui.flowise.client import FlowiseClient
    from flowise_tui.flowise.limits import Limits
    from flowise_tui.history import HistoryError, HistoryStore, HistoryWriter

OPENING_MODULES = (
    "flowise_tui.flowise.client",
    "flowise_tui.conversation",
    "flowise_tui.app.runtime",
    "flowise_tui.app.form_start",
)
"""What opening a chatflow needs and the first screen does without: the client (with httpx),
the conversation model (with the protocol's events and models, some 60 dataclasses)."""
ANSWER_MODULES = (
    "flowise_tui.app.widgets.turn",
    "flowise_tui.history",
    "flowise_tui.app.progress",
    "flowise_tui.app.screens.form",
    "flowise_tui.app.screens.file_saving",
    "flowise_tui.flowise.attach",
)
"""What asking, answering and saving need, loaded once the chatflow is asked for: an
answer's view (with the Markdown stack), local history, forms and files."""
CHAT_MODULES = OPENING_MODULES + ANSWER_MODULES


def commands() -> type[Provider]:
    """The palette's commands, loaded when the palette first opens."""
    from flowise_tui.app.commands import FlowiseCommands

    return FlowiseCommands


def load_modules(modules: tuple[str, ...]) -> None:
    for module in modules:
        importlib.import_module(module)


ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Asked to end (SIGHUP: the terminal closed): the app saves, restores the terminal, exits."""
HISTORY_WRITE_SECONDS = 10.0
"""How long the app, closing, waits for local history to take the last turns."""

NOTICE_LIMIT = 2000
"""Characters of a notice shown at most."""


class FlowiseApp(App[None]):
    CSS_PATH = "flowise_tui.tcss"
    TITLE = "flowise-tui"
    COMMANDS = App.COMMANDS | {commands}
    BINDINGS = bindings("app")

    def __init__(
        self,
        config: Config,
        connection: Connection,
        *,
        chatflow: str | None = None,
        history: HistoryStore | None = None,
        connect_first: bool = False,
        startup_error: str | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.connection = connection
        self.initial_chatflow = chatflow or connection.default_chatflow
        self._history = history
        self._history_writer: HistoryWriter | None = None
        self._chat: ChatScreen | None = None
        self._loop_for_reports: asyncio.AbstractEventLoop | None = None
        self._signals: list[signal.Signals] = []
        self.connect_first = connect_first
        self.startup_error = startup_error
        self._client: FlowiseClient | None = None
        self._history_warned = False
        self.set_keymap(config.keys)
        KEY_NAMES.use(config.keys)
        self.pacing = Pacing()
        """Keys first, garbage collection last (the log reads it)."""
        cache_colours_only()
        theme = config.ui_get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme

    @property
    def client(self) -> FlowiseClient:
        """The connection's client, made when first needed (after the first screen)."""
        if self._client is None:
            self._client = self._make_client(self.connection, self.config.limits)
        return self._client

    @client.setter
    def client(self, client: FlowiseClient) -> None:
        self._client = client

    @property
    def history(self) -> HistoryStore:
        """Local history, loaded when first needed (after the first screen)."""
        if self._history is None:
            from flowise_tui.history import HistoryStore

            self._history = HistoryStore()
        return self._history

    @property
    def history_writer(self) -> HistoryWriter:
        if self._history_writer is None:
            from flowise_tui.history import HistoryWriter

            self._history_writer = HistoryWriter(self.history, self._history_failed)
        return self._history_writer

    @staticmethod
    def _make_client(connection: Connection, limits: Limits) -> FlowiseClient:
        from flowise_tui.flowise.client import FlowiseClient  # after the first screen

        return FlowiseClient(
            connection.url, connection.api_key, verify=not connection.insecure, limits=limits
        )

    # ChatHost: what the screens may ask of the app.

    @property
    def server_url(self) -> str:
        return self.connection.url

    def save_turn(self, conversation: Conversation, turn: Turn) -> None:
        self.history_writer.save(conversation, turn)

    def connect(self, problem: str | None = None) -> None:
        from flowise_tui.app.screens.connect import ConnectScreen

        def done(connection: Connection | None) -> None:
            if connection is not None:
                self.use_connection(connection)

        self.push_screen(ConnectScreen(self.config, self.connection, problem), done)

    def switch_profile(self, name: str) -> None:
        try:
            connection = resolve_connection(self.config, profile=name)
        except ConfigError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.save_config_quietly(activate_profile(name))
        self.use_connection(replace(connection))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice is plain text, whatever the caller asks (`markup` is ignored): notices
        carry server and file text, where markup could crash the app or make a click run an
        action. A very long message is cut."""
        text = plain.text(message)
        if len(text) > NOTICE_LIMIT:
            text = text[: NOTICE_LIMIT - 1] + "…"
        super().notify(
            text, title=plain.line(title), severity=severity, timeout=timeout, markup=False
        )

    def action_help_quit(self) -> None:
        """Textual's answer to ctrl+c, in plain words (it writes the key as markup)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    # The app's own life.

    @property
    def chat(self) -> ChatScreen:
        if self._chat is None:
            self._chat = ChatScreen(self)
        return self._chat

    def get_default_screen(self) -> ChatScreen:
        """The chat is the app's first screen: no blank screen is drawn before it. It
        mounts after the app and says so (`ChatScreen.Built`)."""
        return self.chat

    async def on_event(self, event: events.Event) -> None:
        self.pacing.note(event)
        await super().on_event(event)

    def on_mount(self) -> None:
        # Textual holds the app's first frames until this returns: nothing here waits.
        self._loop_for_reports = asyncio.get_running_loop()
        self._catch_ending_signals()
        self.pacing.started()

    def on_chat_screen_built(self, message: ChatScreen.Built) -> None:
        if self.startup_error:
            self.notify(self.startup_error, severity="error", timeout=10, markup=False)
        for problem in check_keymap(self.config.keys):
            self.notify(problem, title="Keys", severity="warning", timeout=10, markup=False)
        for warning in config_warnings(self.config):
            self.notify(warning, title="Config", severity="warning", timeout=10, markup=False)
        if self.connect_first:
            self.connect()
        else:
            self.chat.focus_start(chatflow_coming=bool(self.initial_chatflow))
            # What opening a chatflow needs loads in a thread while the frames after the
            # first are drawn (waiting for a refresh here cost the welcome ~7 ms).
            self._start_unless_closing()

    def on_ready(self) -> None:
        """The first frame is on screen: what it went without comes now."""
        self.chat.first_frame_drawn()

    def _start_unless_closing(self) -> None:
        if self.is_running:
            self.run_worker(self._load_then_start, group="start", exclusive=True)

    async def _load_then_start(self) -> None:
        """Load what opening a chatflow needs in a thread, so that the prompt on screen
        takes keys meanwhile, ask the server, and load what answering needs while it
        answers."""
        await asyncio.to_thread(load_modules, OPENING_MODULES)
        if self.is_running:
            self._start()
            await asyncio.to_thread(load_modules, ANSWER_MODULES)
            self.pacing.loaded()

    def _start(self) -> None:
        self.chat.load_chatflows()
        if self.initial_chatflow:
            self.chat.open_initial(self.initial_chatflow)
        else:
            self._check_server()
        self.chat.focus_start(chatflow_coming=bool(self.initial_chatflow))

    @work(exclusive=True, group="check")
    async def _check_server(self) -> None:
        try:
            await self.client.ping()
        except FlowiseError as exc:
            self.notify(
                hints.describe(exc),
                title="Cannot reach the server",
                severity="error",
                timeout=10,
                markup=False,
            )
            self.connect(hints.describe(exc, on_connect=True))

    def use_connection(self, connection: Connection) -> None:
        """Switch to another server or key; the open chatflow is dropped."""
        old = self._client
        self.connection = connection
        self._client = None
        if old is not None:
            asyncio.get_running_loop().create_task(old.aclose())
        self.chat.close_chatflow()
        self._start()

    def action_connect(self) -> None:
        self.connect()

    def watch_theme(self, theme: str) -> None:
        if self.config.ui_get("theme") == theme:
            return
        self.save_config_quietly(set_ui("theme", theme))

    def save_config_quietly(self, *changes: Change) -> bool:
        """Apply `changes` to the settings and save them; what another instance of the app
        saved meanwhile is kept. A failure is shown, never raised."""
        try:
            update_config(self.config, *changes)
        except ConfigError as exc:
            self.notify(
                str(exc), title="Settings not saved", severity="warning", timeout=10, markup=False
            )
            return False
        return True

    def _history_failed(self, error: HistoryError) -> None:
        """From the history writer's thread: say so once, without waiting for the screen."""
        loop = self._loop_for_reports
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody to tell
                loop.call_soon_threadsafe(self._warn_history, error)

    def _warn_history(self, error: HistoryError) -> None:
        if not self._history_warned and self.is_running:
            self._history_warned = True
            self.notify(str(error), title="History", severity="warning", timeout=10, markup=False)

    def _catch_ending_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for ending in ENDING_SIGNALS:
            # Not on every platform, and only in the main thread.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(ending, self._end_on_signal)
                self._signals.append(ending)

    def _end_on_signal(self) -> None:
        """SIGTERM or SIGHUP: the answer in progress is saved at once, then the app ends as
        a quit ends it (the terminal restored)."""
        if self._chat is not None:
            self._chat.interrupt_answer()
        self.exit()

    async def on_unmount(self) -> None:
        if self._chat is not None:
            self._chat.interrupt_answer()
        if self._history_writer is not None:
            await asyncio.to_thread(self._history_writer.close, HISTORY_WRITE_SECONDS)
        if self._client is not None:
            await self._client.aclose()
        if self._history is not None:
            self._history.close()
        loop = asyncio.get_running_loop()
        for ending in self._signals:
            loop.remove_signal_handler(ending)
        self._signals.clear()
