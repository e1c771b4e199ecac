"""Server data turned into inert `Content`: never parsed as markup, controls stripped."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from textual.content import Content, Span

from flowise_tui.app import plain as shown
from flowise_tui.app.fuzzy import Candidate, Query

if TYPE_CHECKING:
    from flowise_tui.conversation import Answer
    from flowise_tui.flowise.models import ToolCall

STATUS_ICONS = {"FINISHED": "✓", "INPROGRESS": "⟳", "ERROR": "✗", "STOPPED": "■"}


def plain(text: Any) -> Content:
    return shown.content(text)


def styled(text: Any, style: str) -> Content:
    return shown.content(text, style)


def lines(items: Iterable[Content]) -> Content:
    return Content("\n").join(list(items))


def pretty(value: Any) -> str:
    """JSON shown indented; a string holding JSON is decoded first."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                value = json.loads(text)
            except ValueError:
                return shown.text(value)
        else:
            return shown.text(value)
    try:
        return shown.text(json.dumps(value, indent=2, ensure_ascii=False))
    except (TypeError, ValueError):
        return shown.text(str(value))


def one_line(text: str, limit: int = 100) -> str:
    return shown.line(text, limit)


def labelled(label: str, value: Any) -> Content:
    """`label value` on one line, or the label over an indented block."""
    text = pretty(value)
    if "\n" in text:
        block = "\n".join("  " + line for line in text.splitlines())
        return Content.assemble(styled(label, "dim"), plain("\n" + block))
    return Content.assemble(styled(f"{label:<7}", "dim"), plain(text))


def tool_block(tool: ToolCall, *, pending: bool = False) -> Content:
    head = styled(f"⚙ {tool.tool}", "bold")
    if pending:
        head = Content.assemble(head, styled("  running…", "italic $warning"))
    parts = [head]
    if tool.tool_input not in (None, ""):
        parts.append(labelled("input", tool.tool_input))
    if not pending and tool.tool_output not in (None, ""):
        parts.append(labelled("output", tool.tool_output))
    if tool.error:
        parts.append(styled(f"error  {tool.error}", "$error"))
    return lines(parts)


def tools_content(answer: Answer) -> Content:
    blocks = [tool_block(t) for t in answer.tools]
    blocks += [tool_block(t, pending=True) for t in answer.pending_tools]
    return Content("\n\n").join(blocks)


def steps_count(answer: Answer) -> int:
    return len(answer.steps) + len(answer.reasoning) + len(answer.thoughts)


def metadata_content(answer: Answer) -> Content:
    rows: list[Content] = []
    metadata = answer.metadata
    if metadata is not None:
        for label, value in (
            ("chatId", metadata.chat_id),
            ("chatMessageId", metadata.chat_message_id),
            ("sessionId", metadata.session_id),
            ("memoryType", metadata.memory_type),
        ):
            if value:
                rows.append(Content.assemble(styled(f"{label:<14}", "dim"), plain(value)))
        for key, value in metadata.raw.items():
            if key in ("chatId", "chatMessageId", "sessionId", "memoryType", "question"):
                continue
            if key == "followUpPrompts":
                continue
            rows.append(Content.assemble(styled(f"{key:<14}", "dim"), plain(pretty(value))))
    if answer.usage:
        usage = ", ".join(
            f"{k.replace('_tokens', '')} {v}"
            for k, v in answer.usage.items()
            if isinstance(v, (int, float))
        )
        rows.append(Content.assemble(styled(f"{'tokens':<14}", "dim"), plain(usage)))
    return lines(rows) if rows else styled("no metadata yet", "dim")


MATCHED = "bold underline $accent"


@lru_cache(maxsize=16)
def _query(text: str) -> Query:
    return Query(text)


def highlighted(content: Content, offsets: Iterable[int]) -> Content:
    """`content` with the letters at `offsets` marked as matched, a run of them as one span."""
    spans = list(content.spans)
    length = len(content.plain)
    start = end = -1
    for offset in offsets:
        if offset >= length:
            break
        if offset != end:
            if end > start:
                spans.append(Span(start, end, MATCHED))
            start = offset
        end = offset + 1
    if end > start:
        spans.append(Span(start, end, MATCHED))
    return Content(content.plain, spans, strip_control_codes=False)


def fuzzy(query: str, candidate: str) -> tuple[float, Content]:
    """Score a candidate and highlight the matched letters, without parsing any markup."""
    content = plain(candidate)
    if not query:
        return 1.0, content
    score, offsets = _query(query).match(Candidate(content.plain))
    return score, highlighted(content, offsets)
