"""Chat message rows: stored like Flowise's ChatMessage table, served like its API."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from .wire import compact_json

PARSED_ON_READ = (
    "sourceDocuments",
    "usedTools",
    "fileAnnotations",
    "agentReasoning",
    "fileUploads",
    "action",
    "artifacts",
    "reasonContent",
)


@dataclass(frozen=True)
class MessageExtras:
    source_documents: list[dict[str, object]] | None = None
    used_tools: list[dict[str, object]] | None = None
    agent_reasoning: list[dict[str, object]] | None = None
    reason_content: dict[str, object] | None = None
    file_uploads: list[dict[str, object]] | None = None
    action: dict[str, object] | None = None
    follow_up_prompts: list[str] | None = None
    artifacts: list[dict[str, object]] | None = None
    file_annotations: list[dict[str, object]] | None = None


def _stored(value: object | None) -> str | None:
    return None if value is None else compact_json(value)


def message_row(
    *,
    role: str,
    flow_id: str,
    content: str,
    chat_id: str,
    session_id: str,
    memory_type: str | None,
    created: str,
    execution_id: str | None = None,
    extras: MessageExtras | None = None,
    message_id: str | None = None,
    lead_email: str | None = None,
) -> dict[str, object]:
    extra = extras or MessageExtras()
    return {
        "id": message_id or str(uuid.uuid4()),
        "role": role,
        "chatflowid": flow_id,
        "executionId": execution_id,
        "content": content,
        "sourceDocuments": _stored(extra.source_documents),
        "usedTools": _stored(extra.used_tools),
        "fileAnnotations": _stored(extra.file_annotations),
        "agentReasoning": _stored(extra.agent_reasoning),
        "reasonContent": _stored(extra.reason_content),
        "fileUploads": _stored(extra.file_uploads),
        "artifacts": _stored(extra.artifacts),
        "action": _stored(extra.action),
        "chatType": "EXTERNAL",
        "chatId": chat_id,
        "memoryType": memory_type,
        "sessionId": session_id,
        "createdDate": created,
        "leadEmail": lead_email,
        "followUpPrompts": _stored(extra.follow_up_prompts),
        "execution": None,
    }


def public_message(row: dict[str, object]) -> dict[str, object]:
    view = dict(row)
    for field in PARSED_ON_READ:
        value = view[field]
        if isinstance(value, str):
            view[field] = json.loads(value)
    return view
