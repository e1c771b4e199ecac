"""The chatflow picker: a fuzzy filter over the server's chatflows, or a pasted id."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from flowise_tui.app import render
from flowise_tui.app.actions import bindings
from flowise_tui.flowise import Chatflow, FlowiseAuthError, FlowiseClient, FlowiseError
from flowise_tui.flowise.client import looks_like_id

BADGES = {
    "CHATFLOW": ("chat", "$primary"),
    "AGENTFLOW": ("agent", "$accent"),
    "MULTIAGENT": ("multi", "$warning"),
    "ASSISTANT": ("assist", "$success"),
}


def badge(flow_type: str) -> Content:
    label, color = BADGES.get(flow_type.upper(), (flow_type.lower()[:6] or "flow", "$foreground"))
    return Content.styled(f" {label:<6}", f"bold {color}")


def flow_label(flow: Chatflow, query: str = "") -> tuple[float, Content]:
    score, name = render.fuzzy(query, flow.name or flow.id)
    return score, Content.assemble(badge(flow.type), " ", name)


class ChatflowPicker(Vertical):
    """Lists chatflows; Enter on a pasted id opens that chatflow even when listing is refused."""

    BINDINGS = bindings("picker")

    @dataclass
    class Selected(Message):
        chatflow: Chatflow

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.flows: list[Chatflow] = []
        self._shown: list[Chatflow] = []
        self._client: FlowiseClient | None = None

    def compose(self) -> ComposeResult:
        yield Static("Chatflows", classes="sidebar-title")
        yield Input(placeholder="Filter, or paste an id", id="flow-filter")
        yield Static("", id="picker-note", markup=False)
        yield OptionList(id="flow-list")

    def load(self, client: FlowiseClient) -> None:
        self._client = client
        self.action_refresh()

    def action_refresh(self) -> None:
        if self._client is not None:
            self._load(self._client)

    @work(exclusive=True, group="chatflows")
    async def _load(self, client: FlowiseClient) -> None:
        note = self.query_one("#picker-note", Static)
        flow_list = self.query_one(OptionList)
        flow_list.loading = True
        note.update(render.styled("Loading…", "dim"))
        try:
            flows = await client.list_chatflows()
        except FlowiseAuthError as exc:
            self.flows = []
            note.update(
                Content.assemble(
                    render.styled(str(exc), "$warning"),
                    render.styled(
                        "\nPaste a chatflow id in the box above and press Enter, "
                        "or add a key with F2.",
                        "dim",
                    ),
                )
            )
        except FlowiseError as exc:
            self.flows = []
            note.update(render.styled(str(exc), "$error"))
        else:
            self.flows = flows
            count = f"{len(flows)} chatflow{'s' if len(flows) != 1 else ''}"
            note.update(render.styled(count, "dim"))
        finally:
            flow_list.loading = False
        self._show(self.query_one("#flow-filter", Input).value)

    def _show(self, query: str) -> None:
        query = query.strip()
        if looks_like_id(query):
            query = ""
        ranked = []
        for flow in self.flows:
            score, label = flow_label(flow, query)
            if score > 0:
                ranked.append((score, flow, label))
        if query:
            ranked.sort(key=lambda item: -item[0])
        self._shown = [flow for _, flow, _ in ranked]
        flow_list = self.query_one(OptionList)
        flow_list.clear_options()
        flow_list.add_options([Option(label, id=flow.id) for _, flow, label in ranked])
        if self._shown:
            flow_list.highlighted = 0

    def select_by_id(self, flow_id: str) -> None:
        for index, flow in enumerate(self._shown):
            if flow.id == flow_id:
                self.query_one(OptionList).highlighted = index

    @on(Input.Changed, "#flow-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#flow-filter")
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if looks_like_id(text):
            known = next((f for f in self.flows if f.id == text), None)
            self.post_message(self.Selected(known or Chatflow(id=text, name=text)))
            return
        flow_list = self.query_one(OptionList)
        if flow_list.highlighted is not None and self._shown:
            self.post_message(self.Selected(self._shown[flow_list.highlighted]))
        elif text:
            self.notify("No chatflow matches. Paste a chatflow id to open it directly.")

    def on_key(self, event) -> None:
        if event.key in ("down", "up") and self.query_one("#flow-filter", Input).has_focus:
            flow_list = self.query_one(OptionList)
            if event.key == "down":
                flow_list.action_cursor_down()
            else:
                flow_list.action_cursor_up()
            event.stop()

    @on(OptionList.OptionSelected, "#flow-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Selected(self._shown[event.option_index]))
