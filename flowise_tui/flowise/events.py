"""Typed streaming events, decoded from Flowise's `{"event": NAME, "data": PAYLOAD}` envelope.

Every event keeps its decoded `payload`, so `envelope()` gives back what the server meant
(with `followUpPrompts` unwrapped to a list). Unknown names become `UnknownEvent` and bad
JSON becomes `InvalidEvent`: decoding never raises.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import Any, ClassVar

from flowise_tui.flowise.coerce import (
    as_dict,
    as_float,
    as_list,
    as_str,
    json_value,
    load_json,
)
from flowise_tui.flowise.errors import Cause, describe_flow_error
from flowise_tui.flowise.models import (
    AgentFlowNode,
    AgentReasoning,
    ChatMetadata,
    ExecutedNode,
    HumanAction,
    SourceDocument,
    ToolCall,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowiseEvent:
    name: ClassVar[str] = ""
    payload: Any = None

    @property
    def event(self) -> str:
        return self.name

    def envelope(self) -> dict[str, Any]:
        return {"event": self.event, "data": self.payload}


@dataclass(frozen=True, slots=True, kw_only=True)
class StartEvent(FlowiseEvent):
    """Some chains repeat their first token here; it is never part of the answer."""

    name: ClassVar[str] = "start"
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenEvent(FlowiseEvent):
    name: ClassVar[str] = "token"
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorEvent(FlowiseEvent):
    """The flow failed; `cause` is FLOW_KEY_REJECTED when the chatflow wants its own key."""

    name: ClassVar[str] = "error"
    message: str = ""
    cause: Cause = Cause.FLOW_FAILED


@dataclass(frozen=True, slots=True, kw_only=True)
class EndEvent(FlowiseEvent):
    name: ClassVar[str] = "end"


@dataclass(frozen=True, slots=True, kw_only=True)
class AbortEvent(FlowiseEvent):
    name: ClassVar[str] = "abort"


@dataclass(frozen=True, slots=True, kw_only=True)
class MetadataEvent(FlowiseEvent):
    name: ClassVar[str] = "metadata"
    metadata: ChatMetadata = field(default_factory=ChatMetadata)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceDocumentsEvent(FlowiseEvent):
    name: ClassVar[str] = "sourceDocuments"
    documents: list[SourceDocument] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class UsedToolsEvent(FlowiseEvent):
    name: ClassVar[str] = "usedTools"
    tools: list[ToolCall] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class CalledToolsEvent(FlowiseEvent):
    """Tools the model has asked for and that have not answered yet."""

    name: ClassVar[str] = "calledTools"
    tools: list[ToolCall] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileAnnotationsEvent(FlowiseEvent):
    name: ClassVar[str] = "fileAnnotations"
    annotations: list[Any] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class ArtifactsEvent(FlowiseEvent):
    name: ClassVar[str] = "artifacts"
    artifacts: list[Any] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentReasoningEvent(FlowiseEvent):
    name: ClassVar[str] = "agentReasoning"
    steps: list[AgentReasoning] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class NextAgentEvent(FlowiseEvent):
    name: ClassVar[str] = "nextAgent"
    agent: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentFlowStatusEvent(FlowiseEvent):
    """`agentFlowEvent`: INPROGRESS, FINISHED, ERROR, ..."""

    name: ClassVar[str] = "agentFlowEvent"
    status: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class NextAgentFlowEvent(FlowiseEvent):
    name: ClassVar[str] = "nextAgentFlow"
    node: AgentFlowNode = field(default_factory=lambda: AgentFlowNode("", "", ""))


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentFlowExecutedDataEvent(FlowiseEvent):
    """The cumulative list of executed agentflow nodes."""

    name: ClassVar[str] = "agentFlowExecutedData"
    nodes: list[ExecutedNode] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionEvent(FlowiseEvent):
    name: ClassVar[str] = "action"
    action: HumanAction = field(default_factory=lambda: HumanAction(""))


@dataclass(frozen=True, slots=True, kw_only=True)
class ThinkingEvent(FlowiseEvent):
    name: ClassVar[str] = "thinking"
    text: str = ""
    duration: float | None = None

    def envelope(self) -> dict[str, Any]:
        envelope = {"event": self.event, "data": self.payload}
        if self.duration is not None and not isinstance(self.payload, dict):
            envelope["duration"] = self.duration
        return envelope


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageMetadataEvent(FlowiseEvent):
    name: ClassVar[str] = "usageMetadata"
    usage: dict[str, Any] = field(default_factory=dict)

    @property
    def total_tokens(self) -> int | None:
        value = self.usage.get("total_tokens", self.usage.get("totalTokens"))
        return value if isinstance(value, int) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentTraceEvent(FlowiseEvent):
    name: ClassVar[str] = "agent_trace"


@dataclass(frozen=True, slots=True, kw_only=True)
class TTSEvent(FlowiseEvent):
    """tts_start `{chatMessageId, format}`, tts_data `{chatMessageId, audioChunk}` (base64),
    tts_end and tts_abort `{chatMessageId}`: the answer spoken, when the flow's text to
    speech has auto-play (`flowise/stream_speech.py` keeps it as a file)."""

    tts_event: str = "tts_data"

    @property
    def event(self) -> str:
        return self.tts_event

    @property
    def message_id(self) -> str:
        return as_str(as_dict(self.payload).get("chatMessageId"))

    @property
    def audio_format(self) -> str:
        return as_str(as_dict(self.payload).get("format"))

    @property
    def audio_chunk(self) -> str:
        """The base64 text of a tts_data event's audio, "" for any other."""
        return as_str(as_dict(self.payload).get("audioChunk"))


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownEvent(FlowiseEvent):
    unknown_name: str = ""

    @property
    def event(self) -> str:
        return self.unknown_name


@dataclass(frozen=True, slots=True, kw_only=True)
class InvalidEvent(FlowiseEvent):
    """A `data:` block that is not a Flowise event; the stream goes on without it."""

    name: ClassVar[str] = "invalid"
    raw: str = ""
    reason: str = ""

    def envelope(self) -> dict[str, Any]:
        return {"event": self.event, "data": {"raw": self.raw[:2000], "reason": self.reason}}


def _tools(payload: Any) -> list[ToolCall]:
    return [ToolCall.from_json(item) for item in as_list(payload) if item]


def _metadata(payload: Any, extra: dict[str, Any]) -> MetadataEvent:
    metadata = ChatMetadata.from_json(payload)
    return MetadataEvent(payload=metadata.raw, metadata=metadata)


def _thinking(payload: Any, extra: dict[str, Any]) -> ThinkingEvent:
    duration = extra.get("duration")
    text = payload
    if isinstance(payload, dict):
        text = payload.get("thinking", payload.get("text", payload.get("content")))
        duration = payload.get("duration", duration)
    return ThinkingEvent(payload=payload, text=as_str(text), duration=as_float(duration))


_Builder = Callable[[Any, dict[str, Any]], FlowiseEvent]

_BUILDERS: dict[str, _Builder] = {
    "start": lambda p, _: StartEvent(payload=p, text=as_str(p)),
    "token": lambda p, _: TokenEvent(payload=p, text=as_str(p)),
    "error": lambda p, _: _error(p),
    "end": lambda p, _: EndEvent(payload=p),
    "abort": lambda p, _: AbortEvent(payload=p),
    "metadata": _metadata,
    "sourceDocuments": lambda p, _: SourceDocumentsEvent(
        payload=p, documents=[SourceDocument.from_json(d) for d in as_list(p) if d]
    ),
    "usedTools": lambda p, _: UsedToolsEvent(payload=p, tools=_tools(p)),
    "calledTools": lambda p, _: CalledToolsEvent(payload=p, tools=_tools(p)),
    "fileAnnotations": lambda p, _: FileAnnotationsEvent(payload=p, annotations=as_list(p)),
    "artifacts": lambda p, _: ArtifactsEvent(payload=p, artifacts=as_list(p)),
    "agentReasoning": lambda p, _: AgentReasoningEvent(
        payload=p, steps=[AgentReasoning.from_json(s) for s in as_list(p) if s]
    ),
    "nextAgent": lambda p, _: NextAgentEvent(payload=p, agent=as_str(p)),
    "agentFlowEvent": lambda p, _: AgentFlowStatusEvent(payload=p, status=as_str(p)),
    "nextAgentFlow": lambda p, _: NextAgentFlowEvent(payload=p, node=AgentFlowNode.from_json(p)),
    "agentFlowExecutedData": lambda p, _: AgentFlowExecutedDataEvent(
        payload=p, nodes=[ExecutedNode.from_json(n) for n in as_list(p) if n]
    ),
    "action": lambda p, _: ActionEvent(payload=p, action=HumanAction.from_json(p)),
    "thinking": _thinking,
    "usageMetadata": lambda p, _: UsageMetadataEvent(payload=p, usage=as_dict(p)),
    "agent_trace": lambda p, _: AgentTraceEvent(payload=p),
}


def _error(payload: Any) -> ErrorEvent:
    message, cause = describe_flow_error(_error_text(payload))
    return ErrorEvent(payload=payload, message=message, cause=cause)


def _error_text(payload: Any) -> str:
    if isinstance(payload, dict):
        for key in ("message", "error", "detail"):
            if payload.get(key):
                return as_str(payload[key])
    text = as_str(payload).strip()
    return text or "The server reported an error without a message."


_NO_EXTRA: dict[str, Any] = {}


def build_event(name: str, payload: Any, extra: dict[str, Any] | None = None) -> FlowiseEvent:
    """The typed event for a decoded name and payload."""
    builder = _BUILDERS.get(name)
    if builder is not None:
        return builder(payload, extra or _NO_EXTRA)
    if name.startswith("tts_"):
        return TTSEvent(payload=payload, tts_event=name)
    return UnknownEvent(payload=payload, unknown_name=name)


_TOKEN_ENVELOPE = '{"event":"token","data":"'
_TOKEN_TEXT_START = len(_TOKEN_ENVELOPE)
_new_object = object.__new__
_set_frozen = object.__setattr__


def _plain_token(data: str) -> TokenEvent | None:
    """Most of a stream is `{"event":"token","data":"..."}`: after that prefix, json's C
    string scanner reads the text, and a closing brace right after it proves the message
    is exactly that flat object. Without a `\\u` escape (the only way to spell a lone
    surrogate) nothing is left to check, so it skips `load_json` and the dataclass's
    keyword parsing. None: take the general path."""
    try:
        text, end = scanstring(data, _TOKEN_TEXT_START)
    except ValueError:
        return None
    if end != len(data) - 1 or data[end] != "}" or "\\u" in data:
        return None
    token = _new_object(TokenEvent)
    _set_frozen(token, "payload", text)
    _set_frozen(token, "text", text)
    return token


_RAW_TEXT_EVENTS = frozenset({"start", "token", "error", "end", "nextAgent", "agentFlowEvent"})


def decode_sse(sse_event: str, data: str) -> FlowiseEvent | None:
    """Decode one SSE message (its `event:` field and joined `data:` lines).

    Flowise's own framing puts the name inside a JSON envelope and leaves the SSE event
    name empty; the documented framing uses `event: NAME` with the payload as data.
    Returns None for an empty message.
    """
    if sse_event in ("", "message"):
        if not data:
            return None
        if data.startswith(_TOKEN_ENVELOPE):
            token = _plain_token(data)
            if token is not None:
                return token
        try:
            envelope = load_json(data)
        except ValueError as exc:
            return InvalidEvent(raw=data, reason=f"not JSON ({exc})")
        if not isinstance(envelope, dict) or not isinstance(envelope.get("event"), str):
            return InvalidEvent(raw=data, reason='no "event" name in the envelope')
        name, payload = envelope["event"], envelope.get("data")
        if name == "token" and type(payload) is str:
            return TokenEvent(payload=payload, text=payload)
        if len(envelope) == 2 and "data" in envelope:
            return build_event(name, payload)
        extra = {k: v for k, v in envelope.items() if k not in ("event", "data")}
        return build_event(name, payload, extra)
    if sse_event in _RAW_TEXT_EVENTS:
        return build_event(sse_event, data)
    return build_event(sse_event, json_value(data))


_REPLY_KEYS_IN_METADATA = ("chatId", "chatMessageId", "question", "sessionId", "memoryType")


def events_from_reply(reply: Any) -> Iterator[FlowiseEvent]:
    """Turn a non-streaming JSON answer into the event sequence a stream would give."""
    reply = as_dict(reply)
    text = reply.get("text")
    if text is None and reply.get("json") is not None:
        text = "```json\n" + json.dumps(reply["json"], indent=2, ensure_ascii=False) + "\n```"
    yield StartEvent(payload="", text="")
    if text:
        yield TokenEvent(payload=as_str(text), text=as_str(text))
    for key in (
        "agentFlowExecutedData",
        "agentReasoning",
        "sourceDocuments",
        "usedTools",
        "fileAnnotations",
        "artifacts",
        "action",
    ):
        value = json_value(reply.get(key))
        if value:
            yield build_event(key, value)
    metadata = {key: reply[key] for key in _REPLY_KEYS_IN_METADATA if reply.get(key) is not None}
    if reply.get("followUpPrompts") is not None:
        metadata["followUpPrompts"] = reply["followUpPrompts"]
    yield _metadata(metadata, {})
    yield EndEvent(payload="[DONE]")
