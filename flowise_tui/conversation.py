"""What a conversation is, independent of any UI: turns, and answers built from events.

An `Answer` is its text, appended as it streams, and a reducer over every other event, so
the live UI, the history store (which keeps the text and those events) and the exporters
all see the same thing. Timings are facts the caller measured: nothing here reads a clock
except to date a conversation.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

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
    TTSEvent,
    UsageMetadataEvent,
    UsedToolsEvent,
    build_event,
)

if TYPE_CHECKING:
    from flowise_tui.flowise.models import (
        AgentReasoning,
        ChatMessage,
        ChatMetadata,
        HumanAction,
        SourceDocument,
        ToolCall,
    )
    from flowise_tui.flowise.stream_speech import SpeechFile
    from flowise_tui.flowise.uploads import Attachment

SPEECH_FILE_EVENT = "speechFile"
"""The name under which a turn's events keep where its streamed speech went (`SpeechFile`);
the client's own note, never taken from a server."""


class TurnStatus(StrEnum):
    STREAMING = "streaming"
    """The answer is arriving. Read back from history, it means the app ended mid-answer."""
    DONE = "done"
    STOPPED = "stopped"
    """The user stopped the answer (Esc, a new chat, another chatflow)."""
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    """The app ended while the answer streamed: what was saved of it, no more."""
    CUT = "cut"
    """The answer reached the app's answer limit: kept up to it, and stopped there."""
    FROM_SERVER = "server"
    """Read from the server's stored messages, which say neither whether the answer was
    finished or stopped nor how long it took."""


@dataclass
class AgentStep:
    """One agentflow node as the answer saw it."""

    node_id: str
    label: str
    status: str = ""
    error: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """What a person decided on an answer's action: proceed or reject, by the button
    labelled `label` (sent as the question), with the comment the node asked for, if any."""

    proceed: bool
    label: str
    comment: str = ""

    @property
    def kind(self) -> str:
        """The decision as Flowise names it in `humanInput.type`."""
        return "proceed" if self.proceed else "reject"

    def human_input(self, action: HumanAction) -> dict[str, Any]:
        """The `humanInput` of the prediction that carries the decision to the flow."""
        return {"type": self.kind, "startNodeId": action.node_id, "feedback": self.comment}

    def as_json(self) -> dict[str, Any]:
        return {"type": self.kind, "label": self.label, "comment": self.comment}

    @classmethod
    def from_json(cls, data: Any) -> Decision | None:
        """The decision `as_json` wrote; None for anything else."""
        if not isinstance(data, dict) or data.get("type") not in ("proceed", "reject"):
            return None
        label, comment = data.get("label"), data.get("comment")
        return cls(
            proceed=data["type"] == "proceed",
            label=label if isinstance(label, str) else "",
            comment=comment if isinstance(comment, str) else "",
        )


def decision_labels(action: HumanAction) -> tuple[str, str]:
    """The labels of the action's proceed and reject buttons, known by their element types
    as Flowise's own chat knows them; an element of neither type fills a missing one, in
    order."""
    proceed: str | None = None
    reject: str | None = None
    untyped: list[str] = []
    for element in action.elements:
        label = element.get("label")
        label = label if isinstance(label, str) else ""
        kind = str(element.get("type", ""))
        if "approve" in kind:
            proceed = label if proceed is None else proceed
        elif "reject" in kind:
            reject = label if reject is None else reject
        else:
            untyped.append(label)
    if proceed is None and untyped:
        proceed = untyped.pop(0)
    if reject is None and untyped:
        reject = untyped.pop(0)
    return proceed or "Proceed", reject or "Reject"


def asks_for_comment(action: HumanAction) -> bool:
    """Whether the node wants a comment with the decision (its "Enable Feedback"), read as
    Flowise's own chat reads it: any true value, in the node's input or (older) its data."""
    node_input = action.data.get("input")
    if isinstance(node_input, dict) and node_input.get("humanInputEnableFeedback"):
        return True
    return bool(action.data.get("humanInputEnableFeedback"))


@dataclass
class Thought:
    text: str
    duration: float | None = None


class TextBuffer:
    """Text that grows piece by piece: appending costs the piece, reading joins the pieces
    once and keeps the result until the next append, so streaming stays linear."""

    __slots__ = ("_joined", "_length", "_pieces")

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._joined: str | None = ""
        self._length = 0

    def append(self, piece: str) -> None:
        if self._joined is not None:
            self._pieces = [self._joined] if self._joined else []
            self._joined = None
        self._pieces.append(piece)
        self._length += len(piece)

    def __len__(self) -> int:
        return self._length

    def __str__(self) -> str:
        if self._joined is None:
            self._joined = "".join(self._pieces)
        return self._joined

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextBuffer) and str(self) == str(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TextBuffer({str(self)!r})"


@dataclass
class Answer:
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
    """How many pieces of text the answer streamed in, for its tokens per second."""
    _text: TextBuffer = field(default_factory=TextBuffer, init=False, repr=False)

    @property
    def text(self) -> str:
        return str(self._text)

    @property
    def length(self) -> int:
        """Characters of text so far, without joining its pieces."""
        return len(self._text)

    def append_text(self, text: str) -> None:
        """One streamed piece of the answer (a token event's text)."""
        if text:
            self._text.append(text)
            self.token_events += 1

    @property
    def decision_asked(self) -> HumanAction | None:
        """The action, if it offers a decision (buttons to press): an action without any,
        as a wrong-shaped one is, asks for nothing."""
        return self.action if self.action is not None and self.action.elements else None

    @property
    def follow_ups(self) -> list[str]:
        return self.metadata.follow_up_prompts if self.metadata else []

    def apply(self, event: FlowiseEvent) -> None:
        """Fold one event into the answer; a token adds its text as `append_text` does.
        Unknown events change nothing."""
        match event:
            case TokenEvent(text=text):
                self.append_text(text)
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


@dataclass(eq=False)
class Turn:
    """One question and its answer; a turn is itself, whatever it holds.

    `events` are the envelopes of every event but the tokens, in order: the tokens' text
    is `answer.text`. The timings are measured by whoever streams the answer: `started` is
    when the question was sent (seconds since the epoch), `first_token_after` and `elapsed`
    are seconds since then.
    """

    question: str
    answer: Answer = field(default_factory=Answer)
    events: list[dict[str, Any]] = field(default_factory=list)
    status: TurnStatus = TurnStatus.STREAMING
    started: float = 0.0
    first_token_after: float | None = None
    elapsed: float | None = None
    feedback_id: str | None = None
    rating: str | None = None
    decision: Decision | None = None
    """What was decided on the answer's action; None while (or if never) decided."""
    attachments: list[Attachment] = field(default_factory=list)
    """The files sent with the question: name, type, size and kind, never their content."""
    speech: SpeechFile | None = None
    """The file the answer's streamed speech was kept in (see `keep_speech`)."""

    def apply(self, event: FlowiseEvent) -> None:
        """Fold one event into the answer; a token's text is appended, not kept as an event."""
        if isinstance(event, TokenEvent):
            self.answer.append_text(event.text)
            return
        if isinstance(event, TTSEvent) or event.event == SPEECH_FILE_EVENT:
            return  # audio is kept as a file (`keep_speech`); a server does not name files here
        self.events.append(event.envelope())
        self.answer.apply(event)

    def keep_speech(self, speech: SpeechFile) -> None:
        """The answer's streamed speech was kept in `speech`; the turn's events note it."""
        self.speech = speech
        self.events.append({"event": SPEECH_FILE_EVENT, "data": speech.to_json()})

    @classmethod
    def replay(
        cls,
        question: str,
        events: list[dict[str, Any]],
        *,
        text: str = "",
        token_events: int | None = None,
        **fields: Any,
    ) -> Turn:
        """A turn rebuilt from its stored answer text and envelopes. Token envelopes (as
        older versions kept them) add their text after `text`; `token_events`, if given,
        is the count the turn streamed."""
        turn = cls(question, **fields)
        turn.answer.append_text(text)
        for envelope in events:
            if isinstance(envelope, dict) and envelope.get("event") == SPEECH_FILE_EVENT:
                from flowise_tui.flowise.stream_speech import SpeechFile

                if (speech := SpeechFile.from_json(envelope.get("data"))) is not None:
                    turn.keep_speech(speech)
            elif isinstance(envelope, dict) and isinstance(envelope.get("event"), str):
                extra = {k: v for k, v in envelope.items() if k not in ("event", "data")}
                turn.apply(build_event(envelope["event"], envelope.get("data"), extra))
        if token_events is not None:
            turn.answer.token_events = token_events
        return turn

    @property
    def tokens_per_second(self) -> float | None:
        """None for an answer that came in one piece (not streamed): it has no rate."""
        if not self.elapsed or self.first_token_after is None or self.answer.token_events < 2:
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
    server_url: str = ""
    """The server the conversation was held on; empty if it was kept before that was kept."""

    @property
    def awaiting_decision(self) -> Turn | None:
        """The turn whose action waits for a decision: the latest turn, finished, with an
        action not yet decided. The flow on the server is stopped there; an earlier action
        no longer holds it."""
        if not self.turns:
            return None
        last = self.turns[-1]
        if last.status is TurnStatus.STREAMING or last.answer.decision_asked is None:
            return None
        return last if last.decision is None else None

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
            turn = Turn(message.content, status=TurnStatus.FROM_SERVER, started=_timestamp(message))
            turn.attachments = list(message.attachments)
            conversation.turns.append(turn)
            continue
        if turn is None:
            turn = Turn("", status=TurnStatus.FROM_SERVER, started=_timestamp(message))
            conversation.turns.append(turn)
        turn.answer.append_text(message.content)
        for event in _events_besides_text(message):
            turn.apply(event)
        turn = None
    if conversation.turns:
        conversation.created = conversation.turns[0].started
    return conversation


def _events_besides_text(message: ChatMessage) -> list[FlowiseEvent]:
    """The events that would have streamed the message, but its text."""
    events: list[FlowiseEvent] = []
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
