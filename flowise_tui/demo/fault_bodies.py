"""The bytes of the scripted fault streams: broken, hostile or merely huge event streams."""

from __future__ import annotations

import random
from collections.abc import Iterator

from .wire import compact_json, sse_event

CHAT_ID = "fault-chat"
MESSAGE_ID = "fault-message"
SESSION_ID = "fault-session"
MANY_EVENTS = 100_000
HUGE_LINE = 1024 * 1024

# Everything a terminal or Textual could act on, if it were not treated as text.
HOSTILE_TEXT = (
    "[bold red]markup[/] [/] [@click=app.quit]click[/] "
    "\x1b[2J\x1b[H cleared? \x1b]0;pwned title\x07 \x1b]52;c;cHduZWQ=\x07 "
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x9b31mC1 CSI "
    "zero\u200bwidth\u200d\ufeff joiners, \u202eevil\u202c override, "
    "\u05e9\u05dc\u05d5\u05dd right-to-left, \u2028line separator "
)
LONG_WORD = "W" * 20_000


def metadata(question: str = "") -> dict[str, object]:
    return {
        "chatId": CHAT_ID,
        "chatMessageId": MESSAGE_ID,
        "question": question,
        "sessionId": SESSION_ID,
        "memoryType": "Buffer Memory",
    }


def tokens(words: str) -> list[bytes]:
    return [sse_event("token", word + " ") for word in words.split()]


def finish() -> list[bytes]:
    return [sse_event("metadata", metadata()), sse_event("end", "[DONE]")]


def garbage() -> Iterator[bytes]:
    """Random binary, some of it newlines, that holds no `data:` field."""
    rng = random.Random(52)
    for _ in range(64):
        chunk = bytes(rng.randrange(256) for _ in range(512))
        yield chunk.replace(b"data", b"dat4").replace(b"\n:", b"\n;")


def garbage_between_events() -> Iterator[bytes]:
    yield sse_event("start", "")
    noise = [b"\x00\xff\xfe garbage\n\n", b"not-a-field\n\n", b"event\n\n", b"\x89PNG\r\n\x1a\n\n"]
    for index, chunk in enumerate(tokens("an answer survives the noise")):
        yield noise[index % len(noise)]
        yield chunk
    yield from finish()


def invalid_utf8() -> Iterator[bytes]:
    yield sse_event("start", "")
    yield from tokens("valid words")
    yield b'message:\ndata:{"event":"token","data":"bad \xff\xfe bytes "}\n\n'
    yield b'message:\ndata:{"event":"token","data":"cut \xe2\x9c "}\n\n'
    yield b'message:\ndata:{"event":"token","data":"overlong \xc0\xaf "}\n\n'
    yield from tokens("and the end")
    yield from finish()


def truncated_json() -> Iterator[bytes]:
    yield sse_event("start", "")
    yield from tokens("before the break")
    yield b'message:\ndata:{"event":"token","data":"cut he\n\n'
    yield b'message:\ndata:{"event":"token",\n\n'
    yield b"message:\ndata:[1, 2\n\n"
    yield b'message:\ndata:{"event":"metadata","data":{"chatId":\n\n'
    yield from tokens("after the break")
    yield from finish()


_WRONG_PAYLOADS: tuple[object, ...] = (
    None,
    42,
    -1.5,
    True,
    "a string",
    "",
    [],
    [1, "two", None, [3], {"four": 4}],
    {},
    {"unexpected": {"nested": [None, {"deeper": True}]}},
    "[1, 2",
    '{"chatId": 7}',
)
EVENT_NAMES = (
    "start",
    "token",
    "sourceDocuments",
    "usedTools",
    "calledTools",
    "fileAnnotations",
    "artifacts",
    "agentReasoning",
    "nextAgent",
    "agentFlowEvent",
    "nextAgentFlow",
    "agentFlowExecutedData",
    "action",
    "thinking",
    "usageMetadata",
    "agent_trace",
    "abort",
    "tts_data",
    "metadata",
    "someFutureEvent",
)


def wrong_shapes() -> Iterator[bytes]:
    """Every event Flowise names, each with payloads of every wrong JSON type."""
    yield sse_event("token", "Shapes: ")
    for name in EVENT_NAMES:
        for payload in _WRONG_PAYLOADS:
            yield sse_event(name, payload)
        yield sse_event(name, [payload for payload in _WRONG_PAYLOADS])
        yield sse_event(name, {"event": name, "data": list(_WRONG_PAYLOADS)})
    yield sse_event("thinking", {"thinking": ["x"], "duration": "soon"}, duration={"no": 1})
    yield b'message:\ndata:{"event":42,"data":"x"}\n\n'
    yield b'message:\ndata:["event","token"]\n\n'
    yield b"message:\ndata:null\n\n"
    yield b"message:\ndata:" + b"[" * 5000 + b"]" * 5000 + b"\n\n"
    yield b"event: metadata\ndata: not json at all\n\n"
    yield b"event: sourceDocuments\ndata: [1,2\n\n"
    yield sse_event("token", "survived.")
    yield from finish()


def huge_line() -> Iterator[bytes]:
    yield sse_event("start", "")
    yield from tokens("a huge token follows:")
    yield sse_event("token", "x" * HUGE_LINE)
    yield from tokens("and then the end")
    yield from finish()


def many_events() -> Iterator[bytes]:
    yield sse_event("start", "")
    batch = sse_event("token", "a") * 1000
    for _ in range(MANY_EVENTS // 1000):
        yield batch
    yield from finish()


def events_after_end() -> Iterator[bytes]:
    yield sse_event("start", "")
    yield from tokens("the real answer")
    yield from finish()
    yield sse_event("token", " LATE TOKEN")
    yield sse_event("error", "late error after end")
    yield sse_event("end", "[DONE]")


def no_text() -> Iterator[bytes]:
    """A flow that ends without a word of answer: only metadata and end, as Flowise users
    report from some flows."""
    yield sse_event("start", "")
    yield from finish()


def injection() -> Iterator[bytes]:
    yield sse_event("start", HOSTILE_TEXT)
    yield sse_event("token", HOSTILE_TEXT + "\n\n" + LONG_WORD + "\n\n")
    yield sse_event("token", "`[bold]code[/bold]` and a link [x](https://example.com) done")
    documents = [{"pageContent": HOSTILE_TEXT, "metadata": {"source": HOSTILE_TEXT}}]
    yield sse_event("sourceDocuments", documents)
    tools = [{"tool": HOSTILE_TEXT, "toolInput": {"q": HOSTILE_TEXT}, "toolOutput": HOSTILE_TEXT}]
    yield sse_event("usedTools", tools)
    node = {"nodeId": "n1", "nodeLabel": HOSTILE_TEXT, "status": "FINISHED"}
    yield sse_event("nextAgentFlow", node)
    yield sse_event("metadata", {**metadata(HOSTILE_TEXT), "followUpPrompts": [HOSTILE_TEXT]})
    yield sse_event("end", "[DONE]")


def hostile_error() -> Iterator[bytes]:
    yield sse_event("start", "")
    yield sse_event("error", "Error: x - " + HOSTILE_TEXT)
    yield sse_event("end", "[DONE]")


def echo_key(authorization: str) -> Iterator[bytes]:
    """A server that repeats the caller's API key back, in the answer and in an error."""
    key = authorization.removeprefix("Bearer ").strip() or "(none)"
    yield sse_event("start", "")
    yield sse_event("token", f"Your key is {key} .")
    yield sse_event("metadata", {**metadata(), "key": key})
    yield sse_event("error", f"Unauthorized: {key} is not valid here")
    yield sse_event("end", "[DONE]")


def json_body(value: object) -> bytes:
    return compact_json(value).encode()
