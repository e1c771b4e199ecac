"""What a conversation is, independent of any UI: turns, and answers built from events.

An `Answer` is a reducer over the client's events, so the live UI, the history store
(which keeps the events) and the exporters all see the same thing.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from flowise_tui.flowise.events import (
    AbortEvent,
    ActionEvent,
    AgentFlowExecutedDataEvent,
    AgentFlowStatusEvent,
    AgentReasoningEvent,
    ArtifactsEvent,
    CalledToolsEvent,
    ErrorEvent,
    FileAnnotationsEvent,
    FlowiseEvent,
    MetadataEvent,
    NextAgentEvent,
    NextAgentFlowEvent,
    SourceDocumentsEvent,
    ThinkingEvent,
    TokenEvent,
    UsageMetadataEvent,
    UsedToolsEvent,
    build_event,
)
from flowise_tui.flowise.models import (
    AgentReasoning,
    ChatMessage,
    ChatMetadata,
    HumanAction,
    SourceDocument,
    ToolCall,
)


class TurnStatus(StrEnum):
    STREAMING = "streaming"
    DONE = "done"
    STOPPED = "stopped"
    FAILED = "failed"


@dataclass
class AgentStep:
    """One agentflow node as the answer saw it."""

    node_id: str
    label: str
    status: str = ""
    error: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Thought:
    text: str
    duration: float | None = None


@dataclass
class Answer:
    parts: list[str] = field(default_factory=list)
    sources: list[SourceDocument] = field(default_factory=list)
    tools: list[ToolCall] = field(default_factory=list)
    pending_tools: list[ToolCall] = field(default_factory=list)
    steps: dict[str, AgentStep] = field(default_factory=dict)
    flow_status: str | None = None
    reasoning: list[AgentReasoning] = field(default_factory=list)
    next_agents: list[str] = field(default_factory=list)
    thoughts: list[Thought] = field(default_factory=list)
    metadata: ChatMetadata | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    artifacts: list[Any] = field(default_factory=list)
    file_annotations: list[Any] = field(default_factory=list)
    action: HumanAction | None = None
    error: str | None = None
    token_events: int = 0

    @property
    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts[:] = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""

    @property
    def follow_ups(self) -> list[str]:
        return self.metadata.follow_up_prompts if self.metadata else []

    def apply(self, event: FlowiseEvent) -> None:
        """Fold one event into the answer. Unknown events change nothing."""
        match event:
            case TokenEvent(text=text):
                if text:
                    self.parts.append(text)
                    self.token_events += 1
            case ErrorEvent(message=message):
                self.error = message
            case SourceDocumentsEvent(documents=documents):
                self.sources = list(documents)
            case CalledToolsEvent(tools=tools):
                self.pending_tools = list(tools)
            case UsedToolsEvent(tools=tools):
                self.tools.extend(tools)
                used = {tool.tool for tool in tools}
                self.pending_tools = [t for t in self.pending_tools if t.tool not in used]
            case AgentFlowStatusEvent(status=status):
                self.flow_status = status
            case NextAgentFlowEvent(node=node):
                step = self.steps.setdefault(node.node_id, AgentStep(node.node_id, node.node_label))
                step.status = node.status
                step.error = node.error or step.error
            case AgentFlowExecutedDataEvent(nodes=nodes):
                for node in nodes:
                    step = self.steps.setdefault(
                        node.node_id, AgentStep(node.node_id, node.node_label)
                    )
                    step.status = node.status or step.status
                    step.data = node.data
            case AgentReasoningEvent(steps=steps):
                self.reasoning = list(steps)
            case NextAgentEvent(agent=agent):
                self.next_agents.append(agent)
            case ThinkingEvent(text=text, duration=duration):
                if self.thoughts and self.thoughts[-1].duration is None:
                    self.thoughts[-1].text += text
                    self.thoughts[-1].duration = duration
                else:
                    self.thoughts.append(Thought(text, duration))
            case MetadataEvent(metadata=metadata):
                self.metadata = metadata
            case UsageMetadataEvent(usage=usage):
                self.usage = usage
            case ArtifactsEvent(artifacts=artifacts):
                self.artifacts.extend(artifacts)
            case FileAnnotationsEvent(annotations=annotations):
                self.file_annotations.extend(annotations)
            case ActionEvent(action=action):
                self.action = action
            case AbortEvent():
                pass
            case _:
                pass


@dataclass
class Turn:
    question: str
    answer: Answer = field(default_factory=Answer)
    events: list[dict[str, Any]] = field(default_factory=list)
    status: TurnStatus = TurnStatus.STREAMING
    started: float = field(default_factory=time.time)
    first_token_after: float | None = None
    elapsed: float | None = None
    feedback_id: str | None = None
    rating: str | None = None

    def apply(self, event: FlowiseEvent) -> None:
        self.events.append(event.envelope())
        self.answer.apply(event)

    @classmethod
    def replay(cls, question: str, events: list[dict[str, Any]], **fields: Any) -> Turn:
        """A turn rebuilt from stored envelopes."""
        turn = cls(question, **fields)
        for envelope in events:
            if isinstance(envelope, dict) and isinstance(envelope.get("event"), str):
                extra = {k: v for k, v in envelope.items() if k not in ("event", "data")}
                turn.apply(build_event(envelope["event"], envelope.get("data"), extra))
        return turn

    @property
    def tokens_per_second(self) -> float | None:
        if not self.elapsed or self.first_token_after is None:
            return None
        streaming_time = self.elapsed - self.first_token_after
        if streaming_time <= 0:
            return None
        return self.answer.token_events / streaming_time


@dataclass
class Conversation:
    """One chat with one chatflow; `chat_id` is also the server-side session."""

    chatflow_id: str
    chatflow_name: str = ""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    chat_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created: float = field(default_factory=time.time)
    turns: list[Turn] = field(default_factory=list)

    @property
    def title(self) -> str:
        for turn in self.turns:
            text = " ".join(turn.question.split())
            if text:
                return text if len(text) <= 60 else text[:59] + "…"
        return "New chat"


def conversation_from_server(
    chatflow_id: str, chatflow_name: str, chat_id: str, messages: list[ChatMessage]
) -> Conversation:
    """A conversation rebuilt from the server's stored messages, to continue its session."""
    conversation = Conversation(chatflow_id=chatflow_id, chatflow_name=chatflow_name)
    conversation.chat_id = chat_id
    turn: Turn | None = None
    for message in messages:
        if message.is_user:
            turn = Turn(message.content, status=TurnStatus.DONE, started=_timestamp(message))
            conversation.turns.append(turn)
            continue
        if turn is None:
            turn = Turn("", status=TurnStatus.DONE, started=_timestamp(message))
            conversation.turns.append(turn)
        for event in _events_of(message):
            turn.apply(event)
        turn = None
    if conversation.turns:
        conversation.created = conversation.turns[0].started
    return conversation


def _events_of(message: ChatMessage) -> list[FlowiseEvent]:
    events: list[FlowiseEvent] = [build_event("token", message.content)]
    if message.source_documents:
        events.append(
            build_event(
                "sourceDocuments",
                [
                    {"pageContent": d.page_content, "metadata": d.metadata}
                    for d in message.source_documents
                ],
            )
        )
    if message.used_tools:
        tools = [
            {"tool": t.tool, "toolInput": t.tool_input, "toolOutput": t.tool_output}
            for t in message.used_tools
        ]
        events.append(build_event("usedTools", tools))
    metadata = {
        "chatId": message.chat_id,
        "chatMessageId": message.id,
        "sessionId": message.session_id,
    }
    if message.follow_up_prompts:
        metadata["followUpPrompts"] = message.follow_up_prompts
    events.append(build_event("metadata", metadata))
    return events


def _timestamp(message: ChatMessage) -> float:
    if not message.created:
        return time.time()
    try:
        return datetime.fromisoformat(message.created.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return time.time()
