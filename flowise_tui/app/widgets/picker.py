"""The chatflow picker: a fuzzy filter over the server's chatflows, or a pasted id.

However many chatflows there are, a key costs about the same: the ranking is worked out
only as far as the rows in sight (`FlowRows` asks for a row's text when it draws it), and
a longer query only looks among the matches of the shorter one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from textual import on, work
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from flowise_tui.app import hints, plain, render
from flowise_tui.app.actions import KEY_NAMES, bindings
from flowise_tui.app.fuzzy import Candidate, Query
from flowise_tui.app.ranking import Ranking
from flowise_tui.app.widgets.flow_rows import FlowRows
from flowise_tui.flowise.errors import FlowiseAuthError, FlowiseError
from flowise_tui.flowise.ids import looks_like_id

if TYPE_CHECKING:
    from flowise_tui.flowise.client import FlowiseClient
    from flowise_tui.flowise.models import Chatflow

BADGES = {
    "CHATFLOW": ("chat", "$text-primary on $primary-muted"),
    "AGENTFLOW": ("agent", "$text-accent on $accent-muted"),
    "MULTIAGENT": ("multi", "$text-warning on $warning-muted"),
    "ASSISTANT": ("assist", "$text-success on $success-muted"),
}
"""Each type as a chip with its own background, readable on the highlighted row too."""


@lru_cache(maxsize=64)
def badge(flow_type: str) -> Content:
    """The flow's type as a short coloured word; a type the app does not know is shown as
    the server's text, cut to six letters."""
    shown = "".join(plain.text(flow_type).split())
    label, color = BADGES.get(
        shown.upper(), (shown.lower()[:6] or "flow", "$foreground on $foreground 10%")
    )
    return Content.styled(f" {label:<6}", f"bold {color}")


def flow_label(flow: Chatflow, name: Content) -> Content:
    return Content.assemble(badge(flow.type), " ", name)


def count_note(count: int, skipped: Sequence[str] = (), matching: int | None = None) -> Content:
    """How many chatflows are listed (and of them `matching` the filter, when there is one),
    and how many entries of the listing were left out and why (`skipped`: one reason per
    entry, in the client's words)."""
    listed = f"{count} chatflow{'s' if count != 1 else ''}"
    note = render.styled(listed if matching is None else f"{matching} of {listed}", "dim")
    if not skipped:
        return note
    reasons = Counter(plain.line(reason, 60) for reason in skipped)
    why = ", ".join(f"{reason} ({times})" for reason, times in reasons.most_common(3))
    more = " …" if len(reasons) > 3 else ""
    return Content.assemble(
        note, render.styled(f"\n{len(skipped)} skipped: {why}{more}", "$warning")
    )


class ChatflowPicker(Vertical):
    """Lists chatflows; Enter on a pasted id opens that chatflow even when listing is refused."""

    BINDINGS = bindings("picker")

    @dataclass
    class Selected(Message):
        chatflow: Chatflow

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.flows: list[Chatflow] = []
        self._names: list[Candidate] = []
        self._ranking: Ranking | None = None
        """The flows matching the filter, or None when it is empty: every flow, in order."""
        self._client: FlowiseClient | None = None
        self._counted = False
        """Whether the note counts the list (not: loading, or why there is no list)."""
        self._skipped: list[str] = []
        """Why the client left entries of the listing out, one reason per entry."""
        self._note_lines = -1
        self._parts: tuple[Input, Static, FlowRows] | None = None
        """The filter, the note and the list, once built (`build`)."""

    def build(self) -> None:
        """Mount the picker's parts, once: when first needed, or once the app's first frame
        is on screen (the panel is drawn in it, empty: the prompt comes sooner)."""
        if self._parts is not None:
            return
        self._parts = (
            Input(placeholder="Filter, or paste an id", id="flow-filter"),
            Static("", id="picker-note", markup=False),
            FlowRows(id="flow-list"),
        )
        self.mount(Static("Chatflows", classes="sidebar-title"), *self._parts)
        # Filter as the key is handled, so the echo and the new list make a single frame.
        self.watch(self.filter_input, "value", self._show, init=False)

    def _built(self) -> tuple[Input, Static, FlowRows]:
        self.build()
        assert self._parts is not None
        return self._parts

    @property
    def filter_input(self) -> Input:
        return self._built()[0]

    @property
    def _note(self) -> Static:
        return self._built()[1]

    @property
    def rows(self) -> FlowRows:
        return self._built()[2]

    @property
    def match_count(self) -> int:
        """How many chatflows the list holds: all, or those matching the filter."""
        return len(self.flows) if self._ranking is None else len(self._ranking)

    def row(self, position: int) -> Chatflow | None:
        """The chatflow listed at `position` (0 is the first row), if the list is that long."""
        index = self._index(position)
        return None if index is None else self.flows[index]

    def _index(self, position: int) -> int | None:
        if position < 0:
            return None
        if self._ranking is None:
            return position if position < len(self.flows) else None
        return self._ranking.at(position)

    @property
    def listed(self) -> list[Chatflow]:
        """Every chatflow the list holds, in its order (ranked as far as the end)."""
        return [flow for flow in map(self.row, range(self.match_count)) if flow is not None]

    @property
    def highlighted(self) -> Chatflow | None:
        position = self.rows.highlighted
        return None if position is None else self.row(position)

    def load(self, client: FlowiseClient) -> None:
        self._client = client
        self.action_refresh()

    def action_refresh(self) -> None:
        if self._client is not None:
            self._load(self._client)

    @work(exclusive=True, group="chatflows")
    async def _load(self, client: FlowiseClient) -> None:
        note = self._note
        flow_list = self.rows
        flow_list.loading = True
        note.update(render.styled("Loading…", "dim"))
        self._note_lines = -1  # the note's next count changes its height
        failure: FlowiseError | None = None
        self._counted = False
        skipped: list[str] = []
        try:
            listing = await client.list_chatflows()
            flows, skipped = list(listing), listing.skipped
        except FlowiseError as exc:
            failure, flows = exc, []
        if not self.app.is_running:
            return  # the app is closing: its widgets may be gone
        flow_list.loading = False
        self._set_flows(flows)
        self._skipped = skipped
        if isinstance(failure, FlowiseAuthError):
            note.update(
                Content.assemble(
                    render.styled(str(failure), "$warning"),
                    render.styled(
                        "\nPaste a chatflow id in the box above and press Enter, "
                        f"or add a key with {KEY_NAMES['chat.connect']}.",
                        "dim",
                    ),
                )
            )
        elif failure is not None:
            note.update(render.styled(hints.describe(failure), "$error"))
        else:
            self._counted = True
        self._show(self.filter_input.value)

    def _set_flows(self, flows: list[Chatflow]) -> None:
        self.flows = flows
        self._names = [Candidate(plain.name(flow.name or flow.id)) for flow in flows]
        self._ranking = None

    def _show(self, query: str) -> None:
        query = query.strip()
        if looks_like_id(query):
            query = ""
        self._rank(query)
        self.rows.show(self.match_count, self._row_text)
        self._show_count()

    def _row_text(self, position: int) -> Content:
        index = self._index(position)
        if index is None:
            return Content("")
        name = render.plain(self._names[index].text)
        if self._ranking is not None:
            name = render.highlighted(name, self._ranking.offsets(index))
        return flow_label(self.flows[index], name)

    def _show_count(self) -> None:
        if not self._counted:
            return  # the note says why there is no list
        matching = None if self._ranking is None else len(self._ranking)
        note = count_note(len(self.flows), self._skipped, matching)
        lines = len(note.plain.splitlines())
        # Its height changes only with its number of lines: no layout for a new count.
        self._note.update(note, layout=lines != self._note_lines)
        self._note_lines = lines

    def _rank(self, query: str) -> None:
        if not query:
            self._ranking = None
            return
        wanted = Query(query)
        pool: list[int] | range = range(len(self._names))
        if self._ranking is not None and wanted.text.startswith(self._ranking.query.text):
            pool = self._ranking.matches
        self._ranking = Ranking(wanted, self._names, pool)

    def select_by_id(self, flow_id: str) -> None:
        """Highlight that chatflow, wherever it is in the list."""
        for position in range(self.match_count):
            flow = self.row(position)
            if flow is not None and flow.id == flow_id:
                self.rows.highlighted = position
                return

    @on(Input.Submitted, "#flow-filter")
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if looks_like_id(text):
            from flowise_tui.flowise.models import Chatflow  # models load after the first screen

            known = next((f for f in self.flows if f.id == text), None)
            self.post_message(self.Selected(known or Chatflow(id=text, name=text)))
            return
        flow = self.highlighted
        if flow is not None:
            self.post_message(self.Selected(flow))
        elif text:
            self.notify("No chatflow matches. Paste a chatflow id to open it directly.")

    def on_key(self, event) -> None:
        """Up, down and page keys in the filter move in the list."""
        move = {"down": "cursor_down", "up": "cursor_up", "pagedown": "page_down"}
        move["pageup"] = "page_up"
        if event.key in move and self.filter_input.has_focus:
            getattr(self.rows, f"action_{move[event.key]}")()
            event.stop()

    @on(FlowRows.Selected, "#flow-list")
    def _selected(self, event: FlowRows.Selected) -> None:
        event.stop()
        flow = self.row(event.index)
        if flow is not None:
            self.post_message(self.Selected(flow))
