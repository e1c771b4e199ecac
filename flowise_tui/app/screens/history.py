"""Earlier conversations, kept locally, to reopen and continue."""

from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from flowise_tui.app import render
from flowise_tui.history import ConversationSummary, HistoryError, HistoryStore


def _when(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


class HistoryScreen(ModalScreen):
    """Dismisses with the chosen Conversation, or None."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close"),
        Binding("ctrl+t", "toggle_scope", "All chatflows / this one"),
        Binding("f8", "delete", "Delete"),
    ]

    def __init__(self, store: HistoryStore, chatflow_id: str | None) -> None:
        super().__init__()
        self.store = store
        self.chatflow_id = chatflow_id
        self.all_flows = chatflow_id is None
        self.summaries: list[ConversationSummary] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="history") as box:
            box.border_title = "History"
            box.border_subtitle = "Enter reopens · ctrl+t this flow / all · F8 deletes · Esc"
            yield Input(placeholder="Search questions", id="history-filter")
            yield Static("", id="history-note", markup=False)
            yield OptionList(id="history-list")

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#history-filter", Input).focus()

    def reload(self) -> None:
        query = self.query_one("#history-filter", Input).value.strip() or None
        flow = None if self.all_flows else self.chatflow_id
        note = self.query_one("#history-note", Static)
        try:
            self.summaries = self.store.list_conversations(flow, query=query)
        except HistoryError as exc:
            self.summaries = []
            note.update(render.styled(str(exc), "$error"))
        else:
            scope = "all chatflows" if self.all_flows else "this chatflow"
            count = len(self.summaries)
            note.update(render.styled(f"{count} conversation{'s' * (count != 1)} · {scope}", "dim"))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(
                    Content.assemble(
                        render.styled(_when(s.updated), "dim"),
                        "  ",
                        render.plain(s.title),
                        render.styled(
                            f"  {s.chatflow_name or s.chatflow_id} · {s.turns} turn"
                            + ("s" if s.turns != 1 else ""),
                            "dim",
                        ),
                    ),
                    id=s.id,
                )
                for s in self.summaries
            ]
        )
        if self.summaries:
            options.highlighted = 0

    @on(Input.Changed, "#history-filter")
    def _filter(self) -> None:
        self.reload()

    @on(Input.Submitted, "#history-filter")
    def _open_highlighted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._open(self.summaries[options.highlighted].id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(self.summaries[event.option_index].id)

    def on_key(self, event) -> None:
        if event.key in ("down", "up") and self.query_one("#history-filter", Input).has_focus:
            options = self.query_one(OptionList)
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()

    @work(exclusive=True, thread=True)
    def _open(self, conversation_id: str) -> None:
        try:
            conversation = self.store.load(conversation_id)
        except HistoryError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.dismiss, conversation)

    def action_toggle_scope(self) -> None:
        if self.chatflow_id is not None:
            self.all_flows = not self.all_flows
            self.reload()

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.summaries:
            return
        summary = self.summaries[options.highlighted]
        try:
            self.store.delete(summary.id)
        except HistoryError as exc:
            self.notify(str(exc), severity="error")
        self.reload()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
