"""Connect: server URL and API key, a connection test, saved as a profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Static

from flowise_tui.app import hints, render
from flowise_tui.app.actions import bindings
from flowise_tui.app.layout import SHORT
from flowise_tui.app.screens.dialog import Dialog
from flowise_tui.config import (
    Config,
    ConfigError,
    Connection,
    KeySource,
    normalize_url,
    remember_connection,
    update_config,
)
from flowise_tui.flowise.client import FlowiseClient
from flowise_tui.flowise.errors import FlowiseAuthError, FlowiseError
from flowise_tui.flowise.limits import Limits

if TYPE_CHECKING:
    from textual.app import ComposeResult


class ConnectScreen(Dialog[Connection | None]):
    """Dismisses with the new connection, or None when cancelled."""

    BINDINGS = bindings("connect")

    def __init__(self, config: Config, connection: Connection, problem: str | None = None) -> None:
        super().__init__()
        self.config = config
        self.connection = connection
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(id="connect") as box:
            box.border_title = "Connect to Flowise"
            if self.problem:
                yield Static(render.styled(self.problem, "$error"), id="connect-problem")
            yield Label("Server URL")
            yield Input(self.connection.url, placeholder="http://localhost:3000", id="url")
            yield Label("API key (needed to list chatflows and read server history)")
            yield Input(
                self.connection.api_key or "",
                placeholder="none",
                password=True,
                id="api-key",
            )
            yield Label("Save as profile")
            yield Input(self.connection.profile, id="profile")
            yield Checkbox("Skip TLS certificate check", self.connection.insecure, id="insecure")
            yield Static("", id="connect-result")
            with Horizontal(id="connect-buttons"):
                yield Button("Test connection", id="test")
                yield Button("Save & connect", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        for url in self.query("#url").results(Input):  # none when the app closes meanwhile
            url.focus()

    def on_resize(self, event: events.Resize) -> None:
        short = event.size.height < SHORT
        self.set_class(short, "-short")
        for widget in self.query(Input).results():
            widget.compact = short
        for button in self.query(Button).results():
            button.compact = short

    def _form(self) -> Connection | None:
        result = self.query_one("#connect-result", Static)
        try:
            url = normalize_url(self.query_one("#url", Input).value)
        except ValueError as exc:
            result.update(render.styled(str(exc), "$error"))
            return None
        profile = self.query_one("#profile", Input).value.strip() or "default"
        api_key = self.query_one("#api-key", Input).value.strip() or None
        # The key the form opened with keeps its origin; only a changed key counts as typed.
        unchanged = api_key == (self.connection.api_key or None)
        return Connection(
            url=url,
            api_key=api_key,
            profile=profile,
            insecure=self.query_one("#insecure", Checkbox).value,
            default_chatflow=self.connection.default_chatflow,
            api_key_source=self.connection.api_key_source if unchanged else KeySource.TYPED,
            temporary=self.connection.temporary and url == self.connection.url,
        )

    @on(Button.Pressed, "#test")
    def _test_pressed(self) -> None:
        connection = self._form()
        if connection is not None:
            self._test(connection)

    @work(exclusive=True, group="connect-test")
    async def _test(self, connection: Connection) -> bool:
        result = self.query_one("#connect-result", Static)
        result.update(render.styled(f"Testing {connection.url}…", "dim"))
        async with FlowiseClient(
            connection.url,
            connection.api_key,
            verify=not connection.insecure,
            limits=Limits(connect_timeout=5),
        ) as client:
            try:
                await client.ping()
                version = await client.version()
            except FlowiseError as exc:
                result.update(render.styled(hints.describe(exc, on_connect=True), "$error"))
                return False
            try:
                flows = await client.list_chatflows()
            except FlowiseAuthError as exc:
                result.update(
                    Content.assemble(
                        render.styled(f"✓ Flowise {version} answers. ", "$success"),
                        render.styled(hints.describe(exc, on_connect=True), "$warning"),
                    )
                )
                return True
            except FlowiseError as exc:
                result.update(render.styled(hints.describe(exc, on_connect=True), "$error"))
                return False
        result.update(
            render.styled(f"✓ Flowise {version} answers; {len(flows)} chatflows.", "$success")
        )
        return True

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self) -> None:
        connection = self._form()
        if connection is None:
            return
        if connection.temporary:
            self.notify(
                "The demo server gets a new address each run: connecting without saving it.",
                title="Not saved",
            )
            self.dismiss(connection)
            return
        try:
            update_config(self.config, remember_connection(connection))
        except ConfigError as exc:
            self.notify(
                f"{exc} Connecting without saving.", severity="warning", timeout=10, markup=False
            )
        self.dismiss(connection)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
