"""What an answer's steps pane lists, and what each entry's full view holds.

An entry is an agentflow node, a thought, or a multi-agent message: a head line, a short
preview for the pane, and, for the full view, every section whole (text is never cut
there) with the entry's own tools and sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.content import Content

from flowise_tui.app import render
from flowise_tui.flowise.coerce import as_list
from flowise_tui.flowise.models import AgentReasoning, SourceDocument, ToolCall

if TYPE_CHECKING:
    from flowise_tui.conversation import AgentStep, Answer, Thought

PREVIEW_LIMIT = 300
"""The pane shows this much of an entry's text on one line; its full view shows all."""


@dataclass(frozen=True)
class Section:
    label: str
    text: str
    style: str = ""


@dataclass(frozen=True)
class Entry:
    key: str
    """Stable while the answer grows: an open full view finds its entry again by it."""
    title: str
    head: Content
    preview: str = ""
    preview_style: str = ""
    sections: tuple[Section, ...] = ()
    tools: tuple[ToolCall, ...] = ()
    sources: tuple[SourceDocument, ...] = ()
    live: bool = False
    """Still growing (a thought while it streams)."""

    @property
    def cut(self) -> bool:
        return self.preview.endswith("…")


def preview(text: str) -> str:
    return render.one_line(text, PREVIEW_LIMIT)


def _output(step: AgentStep) -> dict[str, Any]:
    output = step.data.get("output") if isinstance(step.data, dict) else None
    return output if isinstance(output, dict) else {}


def step_entry(step: AgentStep) -> Entry:
    status = step.status.upper()
    icon = render.STATUS_ICONS.get(status, "•")
    style = "$error" if status == "ERROR" else ""
    parts = [render.styled(f"{icon} {step.label}", f"bold {style}".strip())]
    parts.append(render.styled(f"  {step.status.lower() or 'pending'}", "dim"))
    output = _output(step)
    delta = (output.get("timeMetadata") or {}).get("delta")
    if isinstance(delta, (int, float)):
        parts.append(render.styled(f"  {delta / 1000:.2f} s", "dim"))
    tools = tuple(ToolCall.from_json(t) for t in as_list(output.get("usedTools")) if t)
    sources = tuple(
        SourceDocument.from_json(d) for d in as_list(output.get("sourceDocuments")) if d
    )
    sections: list[Section] = []
    reason = output.get("reasonContent")
    thinking = reason.get("thinking") if isinstance(reason, dict) else None
    if isinstance(thinking, str) and thinking.strip():
        sections.append(Section("thinking", render.plain(thinking).plain, "italic"))
    content = output.get("content")
    text = content if isinstance(content, str) else ""
    if text.strip():
        sections.append(Section("output", render.plain(text).plain))
    if step.error:
        sections.append(Section("error", render.plain(step.error).plain, "$error"))
    shown = step.error or text
    return Entry(
        key=f"step:{step.node_id}",
        title=f"Step · {render.one_line(step.label, 80)}",
        head=_with_counts(Content.assemble(*parts), tools, sources),
        preview=preview(shown) if shown.strip() else "",
        preview_style="$error" if step.error else "",
        sections=tuple(sections),
        tools=tools,
        sources=sources,
    )


def thought_entry(index: int, thought: Thought, *, streaming: bool) -> Entry:
    live = streaming and thought.duration is None
    if live:
        head = render.styled("✻ thinking…", "italic $accent")
    else:
        took = f" for {thought.duration:.1f} s" if thought.duration is not None else ""
        head = render.styled(f"✻ thought{took}", "italic dim")
    return Entry(
        key=f"thought:{index}",
        title="Thinking" if live else "Thought",
        head=head,
        preview=preview(thought.text),
        sections=(Section("thinking", render.plain(thought.text).plain, "italic"),),
        live=live,
    )


def agent_entry(index: int, reasoning: AgentReasoning) -> Entry:
    name = render.one_line(reasoning.agent_name, 80)
    sections: list[Section] = []
    if reasoning.instructions:
        sections.append(Section("instructions", render.plain(reasoning.instructions).plain))
    for number, message in enumerate(reasoning.messages, 1):
        label = "message" if len(reasoning.messages) == 1 else f"message {number}"
        sections.append(Section(label, render.plain(message).plain))
    if reasoning.next:
        sections.append(Section("next", render.plain(reasoning.next).plain, "dim"))
    shown = " ".join(reasoning.messages) or reasoning.instructions or ""
    head = render.styled(f"◆ {name}", "bold")
    if reasoning.next:
        head = Content.assemble(head, render.styled(f"  → {reasoning.next}", "dim"))
    tools = tuple(reasoning.used_tools)
    sources = tuple(reasoning.source_documents)
    return Entry(
        key=f"agent:{index}",
        title=f"Agent · {name}",
        head=_with_counts(head, tools, sources),
        preview=preview(shown) if shown.strip() else "",
        sections=tuple(sections),
        tools=tools,
        sources=sources,
    )


def _with_counts(
    head: Content, tools: tuple[ToolCall, ...], sources: tuple[SourceDocument, ...]
) -> Content:
    notes = []
    if tools:
        notes.append("tools: " + ", ".join(render.one_line(t.tool, 100) for t in tools))
    if sources:
        notes.append(f"sources: {len(sources)}")
    if not notes:
        return head
    return Content.assemble(head, render.styled("  " + " · ".join(notes), "dim"))


def entries(answer: Answer, *, streaming: bool = False) -> list[Entry]:
    rows = [step_entry(step) for step in answer.steps.values()]
    rows += [
        thought_entry(i, thought, streaming=streaming) for i, thought in enumerate(answer.thoughts)
    ]
    rows += [agent_entry(i, reasoning) for i, reasoning in enumerate(answer.reasoning)]
    return rows


def trailer(answer: Answer) -> Content | None:
    """The lines after the entries: the agents called next, the flow's state."""
    rows = []
    if answer.next_agents:
        rows.append(render.styled("next agent: " + " → ".join(answer.next_agents), "dim"))
    if answer.flow_status:
        rows.append(render.styled(f"flow: {answer.flow_status.lower()}", "dim"))
    return render.lines(rows) if rows else None


def find(answer: Answer, key: str, *, streaming: bool = False) -> Entry | None:
    for entry in entries(answer, streaming=streaming):
        if entry.key == key:
            return entry
    return None
