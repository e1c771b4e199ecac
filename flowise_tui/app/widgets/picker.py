"""The chatflow picker: a fuzzy filter over the server's chatflows, or a pasted id.

However many chatflows there are, a key costs about the same: the ranking is worked out
only as far as the rows shown (`PAGE` at a time, then a row that shows the rest), and a
longer query only looks among the matches of the shorter one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from flowise_tui.app import hints, plain, render
from flowise_tui.app.actions import KEY_NAMES, bindings
from flowise_tui.app.fuzzy import Candidate, Query
from flowise_tui.app.ranking import Ranking
from flowise_tui.flowise import Chatflow, FlowiseAuthError, FlowiseClient, FlowiseError
from flowise_tui.flowise.client import looks_like_id

BADGES = {
    "CHATFLOW": ("chat", "$text-primary on $primary-muted"),
    "AGENTFLOW": ("agent", "$text-accent on $accent-muted"),
    "MULTIAGENT": ("multi", "$text-warning on $warning-muted"),
    "ASSISTANT": ("assist", "$text-success on $success-muted"),
}
"""Each type as a chip with its own background, readable on the highlighted row too."""
PAGE = 20
"""Rows added to the list at a time, at least; as many as it has lines, if more."""
MORE = "more-chatflows"
"""The id of the last row when more chatflows match than are listed (the only row with an
id: a chatflow's row is known by its place, whatever id the server gave it)."""


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


def more_label(count: int) -> Content:
    return render.styled(f"{count:,} more — keep typing", "dim italic")


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
        self._shown: list[Chatflow] = []
        self._client: FlowiseClient | None = None
        self._counted = False
        """Whether the note counts the list (not: loading, or why there is no list)."""
        self._skipped: list[str] = []
        """Why the client left entries of the listing out, one reason per entry."""

    def compose(self) -> ComposeResult:
        yield Static("Chatflows", classes="sidebar-title")
        yield Input(placeholder="Filter, or paste an id", id="flow-filter")
        yield Static("", id="picker-note", markup=False)
        yield OptionList(id="flow-list")

    def on_mount(self) -> None:
        # Filter as the key is handled, so the echo and the new list make a single frame.
        self.watch(self.query_one("#flow-filter", Input), "value", self._show, init=False)

    @property
    def listed(self) -> list[Chatflow]:
        """The chatflows of the list's rows, in order (the row of "more" aside)."""
        return list(self._shown)

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
        self._show(self.query_one("#flow-filter", Input).value)

    def _set_flows(self, flows: list[Chatflow]) -> None:
        self.flows = flows
        self._names = [Candidate(plain.name(flow.name or flow.id)) for flow in flows]
        self._ranking = None

    def _show(self, query: str) -> None:
        query = query.strip()
        if looks_like_id(query):
            query = ""
        self._rank(query)
        self._shown = []
        flow_list = self.query_one(OptionList)
        flow_list.clear_options()
        flow_list.add_options(self._more_rows(self._page))
        if self._shown:
            flow_list.highlighted = 0
        self._show_count()

    def _show_count(self) -> None:
        if not self._counted:
            return  # the note says why there is no list
        matching = None if self._ranking is None else len(self._ranking)
        note = count_note(len(self.flows), self._skipped, matching)
        self.query_one("#picker-note", Static).update(note)

    def _rank(self, query: str) -> None:
        if not query:
            self._ranking = None
            return
        wanted = Query(query)
        pool: list[int] | range = range(len(self._names))
        if self._ranking is not None and wanted.text.startswith(self._ranking.query.text):
            pool = self._ranking.matches
        self._ranking = Ranking(wanted, self._names, pool)

    @property
    def _match_count(self) -> int:
        return len(self.flows) if self._ranking is None else len(self._ranking)

    def _more_rows(self, count: int) -> list[Option]:
        """The next `count` rows after those shown, and a last row if more match still."""
        start = len(self._shown)
        ranking = self._ranking
        if ranking is None:
            indices: Iterable[int] = range(start, min(start + count, len(self.flows)))
        else:
            indices = [index for index, _ in ranking.take(start + count)[start:]]
        rows = []
        for index in indices:
            flow, candidate = self.flows[index], self._names[index]
            name = render.plain(candidate.text)
            if ranking is not None:
                name = render.highlighted(name, ranking.offsets(index))
            rows.append(Option(flow_label(flow, name)))  # ids from a server may repeat
            self._shown.append(flow)
        remaining = self._match_count - len(self._shown)
        if remaining > 0:
            rows.append(Option(more_label(remaining), id=MORE))
        return rows

    @property
    def _page(self) -> int:
        return max(PAGE, self.query_one(OptionList).size.height)

    def _show_more(self, count: int | None = None) -> None:
        flow_list = self.query_one(OptionList)
        if len(self._shown) >= self._match_count:
            return
        highlighted = flow_list.highlighted
        flow_list.remove_option(MORE)
        flow_list.add_options(self._more_rows(count or self._page))
        flow_list.highlighted = highlighted

    def select_by_id(self, flow_id: str) -> None:
        """Highlight that chatflow, listing more rows first if it matches further down."""
        while True:
            for index, flow in enumerate(self._shown):
                if flow.id == flow_id:
                    self.query_one(OptionList).highlighted = index
                    return
            if len(self._shown) >= self._match_count:
                return
            self._show_more(len(self._shown))

    @on(Input.Submitted, "#flow-filter")
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if looks_like_id(text):
            known = next((f for f in self.flows if f.id == text), None)
            self.post_message(self.Selected(known or Chatflow(id=text, name=text)))
            return
        flow_list = self.query_one(OptionList)
        highlighted = flow_list.highlighted
        if highlighted is not None and highlighted < len(self._shown):
            self.post_message(self.Selected(self._shown[highlighted]))
        elif highlighted is not None:
            self._show_more()
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
        if event.option_id == MORE:
            self._more_if_on_last_row()
        else:
            self.post_message(self.Selected(self._shown[event.option_index]))

    @on(OptionList.OptionHighlighted, "#flow-list")
    def _more_if_on_last_row(self) -> None:
        """Moving onto (or clicking) the last row lists the next chatflows in its place."""
        highlighted = self.query_one(OptionList).highlighted_option
        if highlighted is not None and highlighted.id == MORE:
            self._show_more()
