"""Per-app in-memory state: chat messages, feedback and agentflow executions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from .clock import iso_timestamp
from .files import FileStorage
from .wire import compact_json


@dataclass
class Execution:
    id: str
    flow_id: str
    session_id: str
    state: str
    executed_data: list[dict[str, object]]
    question: str = ""
    created: str = field(default_factory=iso_timestamp)
    updated: str = field(default_factory=iso_timestamp)

    def as_row(self, workspace_id: str) -> dict[str, object]:
        return {
            "id": self.id,
            "executionData": compact_json(self.executed_data),
            "state": self.state,
            "agentflowId": self.flow_id,
            "sessionId": self.session_id,
            "action": None,
            "isPublic": None,
            "createdDate": self.created,
            "updatedDate": self.updated,
            "stoppedDate": self.updated if self.state == "STOPPED" else None,
            "workspaceId": workspace_id,
        }


@dataclass(frozen=True)
class MessageQuery:
    flow_id: str
    chat_id: str | None = None
    session_id: str | None = None
    memory_type: str | None = None
    message_id: str | None = None
    chat_types: tuple[str, ...] | None = None
    descending: bool = False


class DemoStore:
    def __init__(self) -> None:
        self._messages: list[dict[str, object]] = []
        self._feedback: list[dict[str, object]] = []
        self._executions: list[Execution] = []
        self.files = FileStorage()
        self.leads: list[dict[str, object]] = []

    def add_messages(self, *rows: dict[str, object]) -> None:
        self._messages.extend(rows)

    def messages(self, query: MessageQuery) -> list[dict[str, object]]:
        rows = [row for row in self._messages if _matches(row, query)]
        ordered = sorted(enumerate(rows), key=lambda item: (str(item[1]["createdDate"]), item[0]))
        result = [row for _, row in ordered]
        return result[::-1] if query.descending else result

    def conversation(self, flow_id: str, session_id: str) -> list[dict[str, object]]:
        return self.messages(MessageQuery(flow_id=flow_id, session_id=session_id))

    def find_message(self, message_id: str) -> dict[str, object] | None:
        return next((row for row in self._messages if row["id"] == message_id), None)

    def clear_pending_action(self, chat_id: str, session_id: str) -> None:
        for row in reversed(self._messages):
            if row["action"] and (row["chatId"] == chat_id or row["sessionId"] == session_id):
                row["action"] = None
                return

    def add_feedback(self, fields: dict[str, object]) -> dict[str, object]:
        row = {"id": str(uuid.uuid4()), **fields, "createdDate": iso_timestamp()}
        self._feedback.append(row)
        return row

    def find_feedback(self, feedback_id: str) -> dict[str, object] | None:
        return next((row for row in self._feedback if row["id"] == feedback_id), None)

    def feedback(
        self, flow_id: str, chat_id: str | None, descending: bool
    ) -> list[dict[str, object]]:
        rows = [
            row
            for row in self._feedback
            if row["chatflowid"] == flow_id and (chat_id is None or row["chatId"] == chat_id)
        ]
        return rows[::-1] if descending else rows

    def save_execution(self, execution: Execution) -> None:
        execution.updated = iso_timestamp()
        if execution not in self._executions:
            self._executions.append(execution)

    def latest_execution(self, flow_id: str, session_id: str) -> Execution | None:
        matches = [
            e for e in self._executions if e.flow_id == flow_id and e.session_id == session_id
        ]
        return matches[-1] if matches else None

    def executions(self, flow_id: str | None) -> list[Execution]:
        return [e for e in self._executions if flow_id is None or e.flow_id == flow_id]


def _matches(row: dict[str, object], query: MessageQuery) -> bool:
    checks = (
        ("chatflowid", query.flow_id),
        ("chatId", query.chat_id),
        ("sessionId", query.session_id),
        ("memoryType", query.memory_type),
        ("id", query.message_id),
    )
    if any(expected is not None and row[key] != expected for key, expected in checks):
        return False
    return query.chat_types is None or row["chatType"] in query.chat_types
