"""The Textual application: owns the connection, the client, the config and local history."""

from __future__ import annotations

import asyncio
import gc
from dataclasses import replace
from pathlib import Path

from textual import events, work
from textual.app import App
from textual.binding import Binding

from flowise_tui.app.commands import FlowiseCommands
from flowise_tui.app.screens.chat import ChatScreen
from flowise_tui.app.widgets.picker import ChatflowPicker
from flowise_tui.config import Config, ConfigError, Connection, save_config
from flowise_tui.conversation import Conversation, Turn
from flowise_tui.flowise import Chatflow, FlowiseClient, FlowiseError
from flowise_tui.flowise.client import looks_like_id
from flowise_tui.history import HistoryError, HistoryStore

USER_INPUT = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


class FlowiseApp(App[None]):
    CSS_PATH = "flowise_tui.tcss"
    TITLE = "flowise-tui"
    COMMANDS = App.COMMANDS | {FlowiseCommands}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

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

    @property
    def chat(self) -> ChatScreen:
        return self.get_screen("chat")  # type: ignore[return-value]

    last_input: float | None = None
    """When the user last pressed a key, clicked or scrolled (event loop time)."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, USER_INPUT):
            self.last_input = asyncio.get_running_loop().time()
        await super().on_event(event)

    async def on_mount(self) -> None:
        self.install_screen(ChatScreen(), "chat")
        await self.push_screen("chat")
        # What exists now lives as long as the app: full collections need not walk it.
        gc.freeze()
        gc.enable()  # the command line pauses collection until here
        if self.startup_error:
            self.notify(self.startup_error, severity="error", timeout=10)
        if self.connect_first:
            self.action_connect()
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
            self._open_initial(self.initial_chatflow)
        else:
            self._check_server()
        self.chat.prompt.focus()

    @work(exclusive=True, group="check")
    async def _check_server(self) -> None:
        try:
            await self.client.ping()
        except FlowiseError as exc:
            self.notify(f"{exc}", title="Cannot reach the server", severity="error", timeout=10)
            self.action_connect(str(exc))

    @work(exclusive=True, group="check")
    async def _open_initial(self, wanted: str) -> None:
        try:
            if looks_like_id(wanted):
                chatflow = await self._flow_by_id(wanted)
            else:
                chatflow = await self.client.find_chatflow(wanted)
        except FlowiseError as exc:
            self.notify(str(exc), title="Cannot open that chatflow", severity="error", timeout=10)
            self.action_connect(str(exc))
            return
        self.chat.open_chatflow(chatflow)
        self.chat.query_one(ChatflowPicker).select_by_id(chatflow.id)
        self.chat.prompt.focus()

    async def _flow_by_id(self, flow_id: str) -> Chatflow:
        # At once: does it exist (an error if not), and its details if the key may read them.
        exists, chatflow = await asyncio.gather(
            self.client.is_streaming(flow_id),
            self.client.get_chatflow(flow_id),
            return_exceptions=True,
        )
        if isinstance(exists, BaseException):
            raise exists
        if isinstance(chatflow, FlowiseError):
            return Chatflow(id=flow_id, name=flow_id)
        if isinstance(chatflow, BaseException):
            raise chatflow
        return chatflow

    def use_connection(self, connection: Connection) -> None:
        """Switch to another server or key; the open chatflow is dropped."""
        old = self._client
        self.connection = connection
        self._client = None
        if old is not None:
            asyncio.get_running_loop().create_task(old.aclose())
        self.chat.chatflow = None
        self.chat.conversation = None
        self.chat.refresh_flow_bar()
        self.chat.show_welcome()
        self._start()

    def watch_theme(self, theme: str) -> None:
        if self.config.ui_get("theme") == theme:
            return
        self.config.ui_set("theme", theme)
        self.save_config_quietly()

    def save_config_quietly(self) -> bool:
        try:
            save_config(self.config)
        except ConfigError as exc:
            self.notify(str(exc), title="Settings not saved", severity="warning", timeout=10)
            return False
        return True

    def save_turn(self, conversation: Conversation | None, turn: Turn) -> None:
        if conversation is None or turn not in conversation.turns:
            return
        index = conversation.turns.index(turn)
        self._save_turn(conversation, index, turn)

    @work(group="history", thread=True)
    def _save_turn(self, conversation: Conversation, index: int, turn: Turn) -> None:
        try:
            self.history.save_conversation(conversation)
            self.history.save_turn(conversation, index, turn)
        except HistoryError as exc:
            if not self._history_warned:
                self._history_warned = True
                self.call_from_thread(
                    self.notify, str(exc), title="History", severity="warning", timeout=10
                )

    def action_connect(self, problem: str | None = None) -> None:
        from flowise_tui.app.screens.connect import ConnectScreen

        def done(connection: Connection | None) -> None:
            if connection is not None:
                self.use_connection(connection)

        self.push_screen(ConnectScreen(self.config, self.connection, problem), done)

    def action_history(self) -> None:
        from flowise_tui.app.screens.history import HistoryScreen

        def reopen(conversation: Conversation | None) -> None:
            if conversation is not None:
                chatflow = Chatflow(id=conversation.chatflow_id, name=conversation.chatflow_name)
                known = self.chat.query_one(ChatflowPicker).flows
                chatflow = next((f for f in known if f.id == chatflow.id), chatflow)
                self.chat.open_chatflow(chatflow, conversation)

        chatflow = self.chat.chatflow
        screen = HistoryScreen(
            self.history,
            chatflow.id if chatflow else None,
            client=self.client,
            chatflow_name=chatflow.name if chatflow else "",
        )
        self.push_screen(screen, reopen)

    def action_export(self, fmt: str = "markdown") -> None:
        from flowise_tui.export import ExportError, export_conversation

        conversation = self.chat.conversation
        if conversation is None or not conversation.turns:
            self.notify("Nothing to export yet.", severity="warning")
            return
        directory = Path(str(self.config.ui_get("export_dir") or Path.cwd())).expanduser()
        try:
            path = export_conversation(conversation, directory, fmt)
        except ExportError as exc:
            self.notify(str(exc), title="Export failed", severity="error", timeout=10)
            return
        self.notify(f"Saved {path}", title="Exported")

    def switch_profile(self, name: str) -> None:
        from flowise_tui.config import resolve_connection

        try:
            connection = resolve_connection(self.config, profile=name)
        except ConfigError as exc:
            self.notify(str(exc), severity="error")
            return
        self.config.active_profile = name
        self.save_config_quietly()
        self.use_connection(replace(connection))

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        self.history.close()
