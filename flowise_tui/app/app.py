"""The Textual application: owns the connection, the client, the config and local history.

It is given a connection (the command line resolves it, and starts the demo server when one
is wanted); the screens reach it only through `ChatHost`.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from textual import events, work
from textual.app import App
from textual.notifications import SeverityLevel

from flowise_tui.app import hints, plain
from flowise_tui.app.actions import bindings, check_keymap
from flowise_tui.app.commands import FlowiseCommands
from flowise_tui.app.log.pacing import Pacing
from flowise_tui.app.screens.chat import ChatScreen
from flowise_tui.config import Config, ConfigError, Connection, resolve_connection, save_config
from flowise_tui.conversation import Conversation, Turn
from flowise_tui.flowise import FlowiseClient, FlowiseError
from flowise_tui.history import HistoryError, HistoryStore

NOTICE_LIMIT = 2000
"""Characters of a notice shown at most."""


class FlowiseApp(App[None]):
    CSS_PATH = "flowise_tui.tcss"
    TITLE = "flowise-tui"
    COMMANDS = App.COMMANDS | {FlowiseCommands}
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
        self.history = history if history is not None else HistoryStore()
        self.connect_first = connect_first
        self.startup_error = startup_error
        self._client: FlowiseClient | None = None
        self._history_warned = False
        self.set_keymap(config.keys)
        self.pacing = Pacing()
        """Keys first, garbage collection last (the log reads it)."""
        theme = config.ui_get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme

    @property
    def client(self) -> FlowiseClient:
        """The connection's client, made when first needed (after the first screen)."""
        if self._client is None:
            self._client = self._make_client(self.connection)
        return self._client

    @client.setter
    def client(self, client: FlowiseClient) -> None:
        self._client = client

    @staticmethod
    def _make_client(connection: Connection) -> FlowiseClient:
        return FlowiseClient(connection.url, connection.api_key, verify=not connection.insecure)

    # ChatHost: what the screens may ask of the app.

    @property
    def server_url(self) -> str:
        return self.connection.url

    def save_turn(self, conversation: Conversation, turn: Turn) -> None:
        if turn not in conversation.turns:
            return
        self._save_turn(conversation, conversation.turns.index(turn), turn)

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
        self.config.active_profile = name
        self.save_config_quietly()
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
        return self.get_screen("chat")  # type: ignore[return-value]

    async def on_event(self, event: events.Event) -> None:
        self.pacing.note(event)
        await super().on_event(event)

    async def on_mount(self) -> None:
        self.install_screen(ChatScreen(self), "chat")
        await self.push_screen("chat")
        self.pacing.started()
        if self.startup_error:
            self.notify(self.startup_error, severity="error", timeout=10, markup=False)
        for problem in check_keymap(self.config.keys):
            self.notify(problem, title="Keys", severity="warning", timeout=10, markup=False)
        if self.connect_first:
            self.connect()
        else:
            self.chat.prompt.focus()
            # The prompt is drawn first; the server is asked once it is on screen.
            self.call_after_refresh(self._start_unless_closing)

    def _start_unless_closing(self) -> None:
        if self.is_running:
            self._start()

    def _start(self) -> None:
        self.chat.load_chatflows()
        if self.initial_chatflow:
            self.chat.open_initial(self.initial_chatflow)
        else:
            self._check_server()
        self.chat.prompt.focus()

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
        self.config.ui_set("theme", theme)
        self.save_config_quietly()

    def save_config_quietly(self) -> bool:
        try:
            save_config(self.config)
        except ConfigError as exc:
            self.notify(
                str(exc), title="Settings not saved", severity="warning", timeout=10, markup=False
            )
            return False
        return True

    @work(group="history", thread=True)
    def _save_turn(self, conversation: Conversation, index: int, turn: Turn) -> None:
        try:
            self.history.save_conversation(conversation)
            self.history.save_turn(conversation, index, turn)
        except HistoryError as exc:
            if not self._history_warned:
                self._history_warned = True
                self.call_from_thread(
                    self.notify,
                    str(exc),
                    title="History",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        self.history.close()
