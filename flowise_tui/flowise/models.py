"""Typed views of what Flowise sends. Each keeps the decoded `raw` payload too."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flowise_tui.flowise.coerce import (
    as_bool,
    as_dict,
    as_list,
    as_str,
    json_value,
    opt_str,
    string_list,
)

if TYPE_CHECKING:
    from flowise_tui.flowise.uploads import Attachment

CHATFLOW_TYPES = ("CHATFLOW", "AGENTFLOW", "MULTIAGENT", "ASSISTANT")


@dataclass(frozen=True, slots=True)
class Chatflow:
    id: str
    name: str
    type: str = "CHATFLOW"
    deployed: bool = False
    is_public: bool = False
    category: str | None = None
    has_api_key: bool = False
    chatbot_config: dict[str, Any] = field(default_factory=dict)
    updated: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> Chatflow:
        data = as_dict(data)
        return cls(
            id=as_str(data.get("id")),
            name=as_str(data.get("name")),
            type=as_str(data.get("type"), "CHATFLOW").upper() or "CHATFLOW",
            deployed=as_bool(data.get("deployed")),
            is_public=as_bool(data.get("isPublic")),
            category=opt_str(data.get("category")),
            has_api_key=bool(data.get("apikeyid")),
            chatbot_config=as_dict(data.get("chatbotConfig")),
            updated=opt_str(data.get("updatedDate")),
        )


@dataclass(frozen=True, slots=True)
class ChatbotConfig:
    """`GET /public-chatbotConfig/{id}`: what a chat window for this flow should offer."""

    welcome_message: str | None = None
    starter_prompts: list[str] = field(default_factory=list)
    feedback_enabled: bool = False
    follow_up_prompts_enabled: bool = False
    uploads: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> ChatbotConfig:
        data = as_dict(data)
        starters = json_value(data.get("starterPrompts"))
        if isinstance(starters, dict):
            ordered = sorted(starters.items(), key=lambda kv: _index_key(kv[0]))
            items = [value for _, value in ordered]
        else:
            items = as_list(starters)
        prompts = [
            as_str(item.get("prompt")) if isinstance(item, dict) else as_str(item) for item in items
        ]
        return cls(
            welcome_message=opt_str(data.get("welcomeMessage")),
            starter_prompts=[p for p in prompts if p.strip()],
            feedback_enabled=as_bool(as_dict(data.get("chatFeedback")).get("status")),
            follow_up_prompts_enabled=as_bool(as_dict(data.get("followUpPrompts")).get("status")),
            uploads=as_dict(data.get("uploads")),
            raw=data,
        )


def _index_key(key: Any) -> tuple[int, str]:
    text = as_str(key)
    if text.isdecimal() and len(text) <= 9:
        return (int(text), "")
    return (1 << 30, text)


@dataclass(frozen=True, slots=True)
class SourceDocument:
    page_content: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> SourceDocument:
        data = as_dict(data)
        return cls(as_str(data.get("pageContent")), as_dict(data.get("metadata")))

    @property
    def title(self) -> str:
        for key in ("title", "source", "url", "file", "filename"):
            value = self.metadata.get(key)
            if value:
                return as_str(value)
        return "document"

    @property
    def location(self) -> str | None:
        lines = as_dict(as_dict(self.metadata.get("loc")).get("lines"))
        if "from" in lines:
            return f"lines {as_str(lines.get('from'))}-{as_str(lines.get('to'))}"
        page = self.metadata.get("page") or as_dict(self.metadata.get("loc")).get("pageNumber")
        return f"page {as_str(page)}" if page is not None else None


@dataclass(frozen=True, slots=True)
class ToolCall:
    tool: str
    tool_input: Any = None
    tool_output: Any = None
    error: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> ToolCall:
        data = as_dict(data)
        return cls(
            tool=as_str(data.get("tool") or data.get("name"), "tool"),
            tool_input=data.get("toolInput", data.get("input")),
            tool_output=data.get("toolOutput", data.get("output")),
            error=opt_str(data.get("error")),
        )


@dataclass(frozen=True, slots=True)
class AgentFlowNode:
    """`nextAgentFlow`: one node of an agentflow changed state."""

    node_id: str
    node_label: str
    status: str
    error: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> AgentFlowNode:
        data = as_dict(data)
        return cls(
            node_id=as_str(data.get("nodeId")),
            node_label=as_str(data.get("nodeLabel") or data.get("nodeId")),
            status=as_str(data.get("status")),
            error=opt_str(data.get("error")),
        )


@dataclass(frozen=True, slots=True)
class ExecutedNode:
    """One entry of `agentFlowExecutedData`."""

    node_id: str
    node_label: str
    status: str
    data: dict[str, Any] = field(default_factory=dict)
    previous_node_ids: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> ExecutedNode:
        data = as_dict(data)
        return cls(
            node_id=as_str(data.get("nodeId")),
            node_label=as_str(data.get("nodeLabel") or data.get("nodeId")),
            status=as_str(data.get("status")),
            data=as_dict(data.get("data")),
            previous_node_ids=string_list(data.get("previousNodeIds")),
        )


@dataclass(frozen=True, slots=True)
class AgentReasoning:
    """One step of a multi-agent flow (`agentReasoning`)."""

    agent_name: str
    messages: list[str] = field(default_factory=list)
    next: str | None = None
    instructions: str | None = None
    used_tools: list[ToolCall] = field(default_factory=list)
    source_documents: list[SourceDocument] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> AgentReasoning:
        data = as_dict(data)
        return cls(
            agent_name=as_str(data.get("agentName"), "agent"),
            messages=string_list(data.get("messages")),
            next=opt_str(data.get("next")),
            instructions=opt_str(data.get("instructions")),
            used_tools=[ToolCall.from_json(t) for t in as_list(data.get("usedTools")) if t],
            source_documents=[
                SourceDocument.from_json(d) for d in as_list(data.get("sourceDocuments")) if d
            ],
        )


@dataclass(frozen=True, slots=True)
class HumanAction:
    """An `action` event: the agentflow waits for a person to proceed or reject."""

    id: str
    mapping: dict[str, str] = field(default_factory=dict)
    elements: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> HumanAction:
        data = as_dict(data)
        return cls(
            id=as_str(data.get("id")),
            mapping={as_str(k): as_str(v) for k, v in as_dict(data.get("mapping")).items()},
            elements=[e for e in as_list(data.get("elements")) if isinstance(e, dict)],
            data=as_dict(data.get("data")),
        )

    @property
    def node_id(self) -> str | None:
        return opt_str(self.data.get("nodeId"))


@dataclass(frozen=True, slots=True)
class ChatMetadata:
    chat_id: str | None = None
    chat_message_id: str | None = None
    session_id: str | None = None
    question: str | None = None
    memory_type: str | None = None
    follow_up_prompts: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> ChatMetadata:
        data = as_dict(data)
        follow_ups = string_list(data.get("followUpPrompts"))
        raw = dict(data)
        if "followUpPrompts" in raw:
            raw["followUpPrompts"] = follow_ups
        return cls(
            chat_id=opt_str(data.get("chatId")),
            chat_message_id=opt_str(data.get("chatMessageId")),
            session_id=opt_str(data.get("sessionId")),
            question=opt_str(data.get("question")),
            memory_type=opt_str(data.get("memoryType")),
            follow_up_prompts=follow_ups,
            raw=raw,
        )


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A stored message from `GET /chatmessage/{chatflowId}`."""

    id: str
    role: str
    content: str
    chat_id: str | None = None
    session_id: str | None = None
    created: str | None = None
    source_documents: list[SourceDocument] = field(default_factory=list)
    used_tools: list[ToolCall] = field(default_factory=list)
    follow_up_prompts: list[str] = field(default_factory=list)
    artifacts: list[Any] = field(default_factory=list)
    file_annotations: list[Any] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    """The files sent with a user message (its `fileUploads`), never their content."""

    @property
    def is_user(self) -> bool:
        return self.role == "userMessage"

    @classmethod
    def from_json(cls, data: Any) -> ChatMessage:
        from flowise_tui.flowise.stored_uploads import stored_attachments  # server history only

        data = as_dict(data)
        return cls(
            id=as_str(data.get("id")),
            role=as_str(data.get("role")),
            content=as_str(data.get("content")),
            chat_id=opt_str(data.get("chatId")),
            session_id=opt_str(data.get("sessionId")),
            created=opt_str(data.get("createdDate")),
            source_documents=[
                SourceDocument.from_json(d) for d in as_list(data.get("sourceDocuments")) if d
            ],
            used_tools=[ToolCall.from_json(t) for t in as_list(data.get("usedTools")) if t],
            follow_up_prompts=string_list(data.get("followUpPrompts")),
            artifacts=as_list(data.get("artifacts")),
            file_annotations=as_list(data.get("fileAnnotations")),
            attachments=stored_attachments(data.get("fileUploads")),
        )


@dataclass(frozen=True, slots=True)
class Feedback:
    id: str
    chatflow_id: str
    chat_id: str
    message_id: str
    rating: str
    content: str | None = None
    created: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> Feedback:
        data = as_dict(data)
        return cls(
            id=as_str(data.get("id")),
            chatflow_id=as_str(data.get("chatflowid")),
            chat_id=as_str(data.get("chatId")),
            message_id=as_str(data.get("messageId")),
            rating=as_str(data.get("rating")),
            content=opt_str(data.get("content")),
            created=opt_str(data.get("createdDate")),
        )


@dataclass(slots=True)
class PredictionRequest:
    """The body of `POST /prediction/{id}`.

    A chat id is always sent, so that a running answer can be aborted before the
    server's `metadata` reveals one; the session id defaults to it, so the flow's
    memory follows the conversation.
    """

    question: str
    chat_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    session_id: str | None = None
    override_config: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] | None = None
    uploads: list[dict[str, Any]] | None = None
    human_input: dict[str, Any] | None = None
    form: dict[str, Any] | None = None
    lead_email: str | None = None
    """The email of a lead given for this chat; Flowise keeps it on the user message."""

    def to_json(self, *, streaming: bool) -> dict[str, Any]:
        override = dict(self.override_config)
        override["sessionId"] = self.session_id or self.chat_id
        body: dict[str, Any] = {
            "question": self.question,
            "chatId": self.chat_id,
            "streaming": streaming,
            "overrideConfig": override,
        }
        optional = {
            "history": self.history,
            "uploads": self.uploads,
            "humanInput": self.human_input,
            "form": self.form,
            "leadEmail": self.lead_email,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return body

    def to_bytes(self, *, streaming: bool) -> bytes:
        return json.dumps(self.to_json(streaming=streaming), ensure_ascii=False).encode()
