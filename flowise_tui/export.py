"""Conversation exports: a Markdown transcript to read, a JSON document that keeps each
answer's text and every other event."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowise_tui.conversation import (
    AgentStep,
    Answer,
    Conversation,
    Turn,
    TurnStatus,
    decision_labels,
)
from flowise_tui.files import make_directory, os_error_reason, staged_file
from flowise_tui.panes import PANES
from flowise_tui.returned_files import as_markdown, returned_files
from flowise_tui.sources import Chunk, group_sources, score_text
from flowise_tui.text import strip_controls

if TYPE_CHECKING:
    from flowise_tui.flowise.models import SourceDocument, ToolCall

FORMAT_NAME = "flowise-tui-conversation"
FORMAT_VERSION = 3
"""2: `events` no longer holds the tokens, whose text is `answer` (`token_events` counts them).
3: the conversation's `server_url` ("" if unknown), each turn's `decision` on its action
(`{"type": "proceed"|"reject", "label", "comment"}`, or null)."""
EXTENSIONS = {"markdown": "md", "json": "json"}

_PREVIEW_CHARS = 160
_VALUE_CHARS = 200
_SLUG_CHARS = 60
_MAX_NAME_TRIES = 1000


class ExportError(Exception):
    """The export could not be written; the message says why, for a person."""


def to_markdown(conversation: Conversation) -> str:
    responder = _one_line(conversation.chatflow_name) or "Flowise"
    chatflow = f"{responder} (`{_one_line(conversation.chatflow_id)}`)"
    lines = [
        f"# {_one_line(conversation.title)}",
        "",
        f"- Chatflow: {chatflow}",
        f"- Date: {datetime.fromtimestamp(conversation.created).astimezone():%Y-%m-%d %H:%M %Z}",
        f"- Chat ID: `{_one_line(conversation.chat_id)}`",
    ]
    if conversation.server_url:
        lines.append(f"- Server: {_one_line(conversation.server_url)}")
    lines.append("")
    waiting = conversation.awaiting_decision
    for turn in conversation.turns:
        lines += ["---", "", *_turn_markdown(turn, responder, waiting=turn is waiting)]
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(conversation: Conversation) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "id": conversation.id,
        "chatflow_id": conversation.chatflow_id,
        "chatflow_name": conversation.chatflow_name,
        "chat_id": conversation.chat_id,
        "server_url": conversation.server_url,
        "title": conversation.title,
        "created": conversation.created,
        "turns": [_turn_json(turn) for turn in conversation.turns],
    }


def export_conversation(conversation: Conversation, directory: Path, fmt: str) -> Path:
    """Write a new file in `directory` and return its path; existing files are never replaced."""
    extension = EXTENSIONS.get(fmt)
    if extension is None:
        choices = " or ".join(repr(name) for name in EXTENSIONS)
        raise ExportError(f"Unknown export format {fmt!r}: choose {choices}.")
    if fmt == "json":
        text = json.dumps(to_json(conversation), indent=2, ensure_ascii=False, default=str) + "\n"
    else:
        text = to_markdown(conversation)
    day = datetime.fromtimestamp(conversation.created).strftime("%Y-%m-%d")
    stem = f"{day}-{_slug(conversation.title)}"
    try:
        return _write_new(directory, stem, extension, text.encode("utf-8"))
    except OSError as exc:
        raise ExportError(
            f"Could not export the conversation to {directory}: {os_error_reason(exc)}."
        ) from exc


def _turn_markdown(turn: Turn, responder: str, *, waiting: bool = False) -> list[str]:
    answer = turn.answer
    lines = ["### You", "", _block(turn.question) or "*(empty question)*", ""]
    lines += [f"- Attached: {_one_line(a.label)}" for a in turn.attachments]
    lines += [""] if turn.attachments else []
    lines += [f"### {responder}", ""]
    text = _block(answer.text)
    if text:
        lines += [text, ""]
    elif not answer.error and turn.status is TurnStatus.DONE:
        lines += ["*(empty answer)*", ""]
    if turn.speech is not None:
        lines += [f"- Speech: {_one_line(turn.speech.label)}", ""]
    for pane in ("sources", "tools", "steps"):
        lines += pane_markdown(turn, pane)
    lines += _section("Follow-up prompts", [f"- {_one_line(p)}" for p in answer.follow_ups])
    lines += _decision(turn, waiting)
    lines += _outcome(turn)
    lines += _section("Files", [f"- {_code(f.describe())}" for f in returned_files(answer)])
    lines += pane_markdown(turn, "metadata")
    return lines


def pane_markdown(turn: Turn, pane: str) -> list[str]:
    """One pane of the answer (one of `PANES`) as Markdown lines; none when it is empty."""
    answer = turn.answer
    if pane == "sources":
        return _section("Sources", _sources(answer.sources))
    if pane == "tools":
        return _section("Tools used", [_tool(tool) for tool in answer.tools])
    if pane == "steps":
        return _section("Agent steps", [_step(step) for step in answer.steps.values()])
    if pane == "metadata":
        return _metadata(answer, turn.rating)
    if pane == "artifacts":
        files = returned_files(answer)
        return _section(
            "Files", [f"#### {_one_line(f.describe())}\n\n{as_markdown(f)}\n" for f in files]
        )
    raise ValueError(f"no pane {pane!r}: one of {', '.join(PANES)}")


def _decision(turn: Turn, waiting: bool) -> list[str]:
    """What became of the answer's action: the decision, or that the flow still waits on
    it, or that none is recorded."""
    action = turn.answer.decision_asked
    if action is None:
        return []
    decision = turn.decision
    buttons = " / ".join(_one_line(label) for label in decision_labels(action))
    if decision is None:
        if waiting:
            return [f"**Waiting for a decision:** {buttons}", ""]
        return [f"**Decision:** none recorded ({buttons})", ""]
    mark = "✓ Proceeded" if decision.proceed else "✗ Rejected"
    line = f"**Decision:** {mark} · {_one_line(decision.label)}"
    if decision.comment:
        line += f" · comment: {_one_line(decision.comment)}"
    return [line, ""]


def _section(title: str, items: list[str]) -> list[str]:
    return [f"**{title}**", "", *items, ""] if items else []


def _sources(documents: list[SourceDocument]) -> list[str]:
    """Chunks grouped by document, in rank order: a numbered group, a bullet per chunk."""
    lines: list[str] = []
    for number, group in enumerate(group_sources(documents), 1):
        line = f"{number}. **{_one_line(group.name)}**"
        if group.url is not None and group.url != group.name:
            line += f" — {group.url}"
        lines.append(line)
        lines += [f"   - {_chunk(chunk)}" for chunk in group.chunks]
    return lines


def _chunk(chunk: Chunk) -> str:
    notes = [f"#{chunk.rank}"]
    if chunk.document.location:
        notes.append(_one_line(chunk.document.location))
    if chunk.score is not None:
        notes.append(f"score {score_text(chunk.score)}")
    if chunk.count > 1:
        notes.append(f"sent {chunk.count} times")
    preview = _shorten(_one_line(chunk.document.page_content), _PREVIEW_CHARS)
    head = " · ".join(notes)
    return f"{head}: {preview}" if preview else head


def _tool(tool: ToolCall) -> str:
    line = f"- {_code(tool.tool)}: input {_code(tool.tool_input)}, output {_code(tool.tool_output)}"
    return f"{line}, error: {_one_line(tool.error)}" if tool.error else line


def _step(step: AgentStep) -> str:
    line = f"- {_one_line(step.label)}: {_one_line(step.status) or 'unknown'}"
    return f"{line} ({_one_line(step.error)})" if step.error else line


def _outcome(turn: Turn) -> list[str]:
    if turn.answer.error:
        return [_quote(f"**Error:** {_block(turn.answer.error)}"), ""]
    if turn.status is TurnStatus.FAILED:
        return ["> **Error:** the answer did not complete.", ""]
    if turn.status is TurnStatus.STOPPED:
        return ["*Stopped before the answer was complete.*", ""]
    if turn.status is TurnStatus.INTERRUPTED:
        return ["*Interrupted: the app ended before the answer was complete.*", ""]
    if turn.status is TurnStatus.CUT:
        return [f"*Cut at {turn.answer.length:,} characters: the answer limit.*", ""]
    if turn.status is TurnStatus.STREAMING:
        return ["*Still streaming when exported.*", ""]
    return []


def _metadata(answer: Answer, rating: str | None) -> list[str]:
    metadata = answer.metadata
    fields = {
        "chatId": metadata.chat_id if metadata else None,
        "chatMessageId": metadata.chat_message_id if metadata else None,
        "sessionId": metadata.session_id if metadata else None,
        "rating": rating,
    }
    parts = [f"{name} {_code(value)}" for name, value in fields.items() if value]
    return [f"Metadata: {' · '.join(parts)}", ""] if parts else []


def _turn_json(turn: Turn) -> dict[str, Any]:
    return {
        "question": turn.question,
        "answer": turn.answer.text,
        "token_events": turn.answer.token_events,
        "error": turn.answer.error,
        "status": turn.status.value,
        "started": turn.started,
        "first_token_after": turn.first_token_after,
        "elapsed": turn.elapsed,
        "feedback_id": turn.feedback_id,
        "rating": turn.rating,
        "decision": turn.decision.as_json() if turn.decision else None,
        "attachments": [attachment.to_json() for attachment in turn.attachments],
        "events": list(turn.events),
    }


def _block(text: str) -> str:
    return strip_controls(text).strip("\n")


def _one_line(text: str | None) -> str:
    return " ".join(strip_controls(text or "").split())


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _code(value: Any) -> str:
    """`value` as an inline code span, whatever backticks it holds."""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, default=str)
    text = _shorten(_one_line(value), _VALUE_CHARS)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _slug(title: str) -> str:
    words = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", title).casefold())
    return words[:_SLUG_CHARS].strip("-") or "chat"


def _write_new(directory: Path, stem: str, extension: str, data: bytes) -> Path:
    make_directory(directory)
    with staged_file(directory, stem, data) as staged:
        for attempt in range(1, _MAX_NAME_TRIES + 1):
            suffix = "" if attempt == 1 else f"-{attempt}"
            target = directory / f"{stem}{suffix}.{extension}"
            if _take_name_if_free(staged, target):
                return target
    raise FileExistsError(f"too many files named {stem}*.{extension} already")


def _take_name_if_free(staged: Path, target: Path) -> bool:
    """Give the finished file `target` as its name, unless that name is taken."""
    try:
        # Unlike os.replace, a hard link fails rather than replace an existing file.
        os.link(staged, target)
    except FileExistsError:
        return False
    except OSError:
        # Some file systems (FAT, some network shares) have no hard links.
        if os.path.lexists(target):
            return False
        os.replace(staged, target)
    return True
