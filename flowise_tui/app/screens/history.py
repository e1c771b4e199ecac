"""Earlier conversations, kept locally or on the server, to reopen and continue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual import events, on, work
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from flowise_tui.app import hints, plain, render
from flowise_tui.app.actions import bindings
from flowise_tui.app.screens.dialog import Dialog
from flowise_tui.app.speech_files import delete_speech_of
from flowise_tui.conversation import Conversation, conversation_from_server
from flowise_tui.flowise.errors import FlowiseError
from flowise_tui.history import ConversationSummary, HistoryError, HistoryStore

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from flowise_tui.flowise.client import FlowiseClient
    from flowise_tui.flowise.models import ChatMessage


def server_host(url: str) -> str:
    """A server as a row names it: its host and port, and its path if it has one."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return plain.line(url, 60)
    host = parts.netloc.rpartition("@")[2] + parts.path.rstrip("/")
    return plain.line(host or url, 60)


@dataclass
class Entry:
    title: str
    where: str
    when: float
    turns: int
    load: Callable[[], Conversation]
    local_id: str | None = None
    server_url: str = ""
    """The server the conversation was held on; "" if unknown (kept by an older version)."""

    def label(self, *, with_server: bool = False) -> Content:
        """The row; `with_server` names its server (when the history holds several)."""
        when = dt.datetime.fromtimestamp(self.when).strftime("%Y-%m-%d %H:%M")
        plural = "s" if self.turns != 1 else ""
        details = f"{plain.line(self.where, 60)} · {self.turns} turn{plural}"
        if with_server:
            server = server_host(self.server_url) if self.server_url else "unknown server"
            details = f"{server} · {details}"
        return Content.assemble(
            render.styled(when, "dim"),
            "  ",
            render.plain(self.title),
            render.styled(f"  {details}", "dim"),
        )


@dataclass(frozen=True)
class Found:
    """What a search of the local history gave."""

    query: str | None
    conversations: list[ConversationSummary]
    error: HistoryError | None = None
    servers: list[str] = field(default_factory=list)
    """Every server the history holds conversations of (not only the ones found)."""


class HistoryScreen(Dialog[Conversation | None]):
    """Dismisses with the chosen Conversation, or None."""

    BINDINGS = bindings("history")

    def __init__(
        self,
        store: HistoryStore,
        chatflow_id: str | None,
        *,
        client: FlowiseClient | None = None,
        chatflow_name: str = "",
    ) -> None:
        super().__init__()
        self.store = store
        self.chatflow_id = chatflow_id
        self.chatflow_name = chatflow_name
        self.client = client
        self.all_flows = chatflow_id is None
        self.entries: list[Entry] = []
        self.server_entries: list[Entry] = []
        self._delete_asked: str | None = None
        """The conversation a first delete asked about; a second delete removes it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="history") as box:
            box.border_title = "History"
            box.border_subtitle = (
                "Enter reopens · ctrl+t this flow / all · ctrl+l server · F8 deletes"
            )
            yield Input(placeholder="Search questions", id="history-filter")
            yield Static("", id="history-note", markup=False)
            yield OptionList(id="history-list")

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#history-filter", Input).focus()

    def reload(self) -> None:
        """Search again for what the filter holds; the list follows when the search is done."""
        query = self.query_one("#history-filter", Input).value.strip() or None
        self._search(query, None if self.all_flows else self.chatflow_id)

    @work(exclusive=True, thread=True, group="search")
    def _search(self, query: str | None, chatflow_id: str | None) -> Found:
        try:
            found = self.store.list_conversations(chatflow_id, query=query)
            return Found(query, found, servers=self.store.servers())
        except HistoryError as exc:
            return Found(query, [], exc)

    @on(Worker.StateChanged)
    def _searched(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "search" and event.state is WorkerState.SUCCESS:
            self._show(worker.result)

    def _show(self, found: Found) -> None:
        note = self.query_one("#history-note", Static)
        local = [
            Entry(
                s.title,
                s.chatflow_name or s.chatflow_id,
                s.updated,
                s.turns,
                lambda sid=s.id: self.store.load(sid),
                local_id=s.id,
                server_url=s.server_url,
            )
            for s in found.conversations
        ]
        if found.error is not None:
            note.update(render.styled(str(found.error), "$error"))
        else:
            scope = "all chatflows" if self.all_flows else "this chatflow"
            count = len(local)
            text = f"{count} conversation{'s' * (count != 1)} · {scope}"
            if self.server_entries:
                text += f" · {len(self.server_entries)} on the server"
            note.update(render.styled(text, "dim"))
        wanted = (found.query or "").lower()
        server = [e for e in self.server_entries if wanted in e.title.lower()]
        self.entries = local + server
        options = self.query_one(OptionList)
        options.clear_options()
        with_server = len(found.servers) > 1
        options.add_options([Option(e.label(with_server=with_server)) for e in self.entries])
        if self.entries:
            options.highlighted = 0

    @on(Input.Changed, "#history-filter")
    def _filter(self) -> None:
        self.reload()

    @on(Input.Submitted, "#history-filter")
    def _open_highlighted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and self.entries:
            self._open(self.entries[options.highlighted])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(self.entries[event.option_index])

    def on_key(self, event: events.Key) -> None:
        if event.key in ("down", "up") and self.query_one("#history-filter", Input).has_focus:
            options = self.query_one(OptionList)
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()

    @work(exclusive=True, thread=True)
    def _open(self, entry: Entry) -> None:
        try:
            conversation = entry.load()
        except HistoryError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self.dismiss, conversation)

    def action_toggle_scope(self) -> None:
        if self.chatflow_id is not None:
            self.all_flows = not self.all_flows
            self.reload()

    def action_load_server(self) -> None:
        if self.client is None or self.chatflow_id is None:
            self.notify("Open a chatflow first: server history is kept per chatflow.")
            return
        self._load_server(self.client, self.chatflow_id)

    @work(exclusive=True, group="server-history")
    async def _load_server(self, client: FlowiseClient, chatflow_id: str) -> None:
        note = self.query_one("#history-note", Static)
        note.update(render.styled("Loading server history…", "dim"))
        try:
            messages = await client.chat_messages(chatflow_id)
        except FlowiseError as exc:
            note.update(render.styled(hints.describe(exc), "$error"))
            return
        self.server_entries = self._entries_by_chat(messages, chatflow_id)
        self.reload()

    def _entries_by_chat(self, messages: list[ChatMessage], chatflow_id: str) -> list[Entry]:
        chats: dict[str, list[ChatMessage]] = {}
        for message in messages:
            chats.setdefault(message.chat_id or "", []).append(message)
        entries = []
        for chat_id, chat in chats.items():
            if not chat_id:
                continue
            probe = conversation_from_server(chatflow_id, self.chatflow_name, chat_id, chat)
            entries.append(
                Entry(
                    probe.title,
                    f"server · {self.chatflow_name or chatflow_id}",
                    probe.turns[-1].started if probe.turns else probe.created,
                    len(probe.turns),
                    lambda conversation=probe: conversation,
                )
            )
        return sorted(entries, key=lambda e: -e.when)

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.entries:
            return
        entry = self.entries[options.highlighted]
        if entry.local_id is None:
            self.notify("Server history is not deleted from here.", severity="warning")
            return
        if self._delete_asked != entry.local_id:
            self._delete_asked = entry.local_id
            self.notify(
                f"Delete “{entry.title}” from local history? Delete again to confirm.",
                title="Delete?",
                severity="warning",
                markup=False,
            )
            return
        self._delete_asked = None
        try:
            conversation = self.store.load(entry.local_id)
            self.store.delete(entry.local_id)
        except HistoryError as exc:
            self.notify(str(exc), severity="error", markup=False)
        else:
            delete_speech_of(self.store, conversation)  # its kept audio goes with it
            self.notify(f"Deleted “{entry.title}” from local history.", markup=False)
        self.reload()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
