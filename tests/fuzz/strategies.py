"""Byte streams and JSON values as a hostile or broken server might send them."""

from __future__ import annotations

import itertools
import json

from hypothesis import strategies as st

from tests.replay import WIRE

RECORDINGS = {path.stem: path.read_bytes() for path in sorted(WIRE.glob("*.sse"))}

EVENT_NAMES = [
    "start", "token", "error", "end", "abort", "metadata", "sourceDocuments", "usedTools",
    "calledTools", "fileAnnotations", "artifacts", "agentReasoning", "nextAgent",
    "agentFlowEvent", "nextAgentFlow", "agentFlowExecutedData", "action", "thinking",
    "usageMetadata", "agent_trace", "tts_data", "unknownFutureEvent", "",
]  # fmt: skip

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(
        st.sampled_from(
            ["event", "data", "text", "chatId", "nodeId", "status", "tool", "toolInput",
             "pageContent", "metadata", "loc", "lines", "from", "followUpPrompts", "id",
             "elements", "mapping", "duration", "thinking", "messages", "agentName"]
        ) | st.text(max_size=8),
        children,
        max_size=5,
    ),
    max_leaves=25,
)  # fmt: skip

# Pieces that mean something to an SSE parser or a JSON decoder, and pieces that do not.
_PIECES = st.sampled_from(
    [b"data:", b"data: ", b"message:", b"event:", b"event: token", b":heartbeat", b"id:",
     b"retry:", b"\n", b"\n\n", b"\r", b"\r\n", b'{"event":"token","data":"x"}',
     b'{"event":"end","data":"[DONE]"}', b'{"event":', b'"data":', b"[", b"]", b"{", b"}",
     b'"', b"\\u", b"\\ud800", b"\xc3", b"\xa9", b"\xe2\x9c", b"\xff", b"\x00", b"\x1b[2J",
     b"\xef\xbb\xbf", b"null", b"1e999", b"[" * 200]
)  # fmt: skip
byte_soup = st.lists(_PIECES | st.binary(max_size=20), max_size=40).map(b"".join)


@st.composite
def envelopes(draw: st.DrawFn) -> bytes:
    """One Flowise-framed event with any name and any payload."""
    name = draw(st.sampled_from(EVENT_NAMES) | st.text(max_size=10))
    payload = draw(json_values)
    envelope = {"event": name, "data": payload}
    text = json.dumps(envelope, ensure_ascii=draw(st.booleans()))
    return b"message:\ndata:" + text.encode("utf-8", "surrogatepass") + b"\n\n"


streams = st.lists(envelopes() | byte_soup, max_size=12).map(b"".join)

# Runs of well-formed events with an odd line among them: the shapes the parser's fast
# path takes and the ones that must leave it.
_ODD_LINES = st.sampled_from(
    [b"message:\ndata: spaced\n\n", b"message:\ndata:a\ndata:b\n\n", b"event: token\ndata:x\n\n",
     b":heartbeat\n\n", b"\n", b"\n\n\n", b"data:\n\n", b"message:\ndata:\n\n", b"id: 1\n",
     b"message:\n\n", b"message:\ndata:\xff\n\n", b"\xef\xbb\xbfmessage:\ndata:x\n\n"]
)  # fmt: skip
flowise_streams = st.lists(
    st.lists(envelopes(), min_size=1, max_size=6).map(b"".join) | _ODD_LINES | byte_soup,
    max_size=10,
).map(b"".join)


@st.composite
def split(draw: st.DrawFn, body: bytes) -> list[bytes]:
    """`body` cut at arbitrary offsets (empty pieces included)."""
    cuts = sorted(draw(st.lists(st.integers(0, len(body)), max_size=12)))
    edges = [0, *cuts, len(body)]
    return [body[a:b] for a, b in itertools.pairwise(edges)]
