"""A Flowise look-alike on 127.0.0.1 whose every string is hostile: markup, escapes, controls.

Each chatflow carries one payload (`PAYLOADS`) in every string the app shows: its name and
type, its welcome message and starter prompt, and in its answers the text, links, sources,
tools, agent steps, reasoning, metadata, usage, approval labels, follow-up prompts and error.
The server history, feedback and errors carry it too. What the server answers is picked by
the first part of the path: `/ok`, or `/ping-fails`, `/listing-fails` (a 500 whose message
holds every payload), `/ping-fails-N` (payload N alone), `/odd-listing` (ids repeated,
missing, with controls or markup).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass(frozen=True)
class Payload:
    sent: str
    """What the server sends."""
    shown: str
    """What the app must show for it: markup as written, escapes and controls gone."""


PAYLOADS: tuple[Payload, ...] = (
    Payload("[/bogus]", "[/bogus]"),
    Payload("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    Payload("[@click=app.screenshot('p.svg','.')]s[/]", "[@click=app.screenshot('p.svg','.')]s[/]"),
    Payload("[b]bold", "[b]bold"),
    Payload("\x1b]2;pwned\x07", ""),
    Payload("\x1b[31m", ""),
    Payload("\x9b31m", "31m"),
    Payload("\u202eevil", "evil"),
    Payload("\x00nul", "nul"),
)
TOGETHER = Payload("".join(p.sent for p in PAYLOADS[3:]), "".join(p.shown for p in PAYLOADS[3:]))
"""The payloads from `[b]bold` on in one string, short enough for a button label: the
whole-app sweep runs four times, not nine. The markup ones stay apart, as a markup error
in one would hide what follows it."""
PAYLOADS = (*PAYLOADS, TOGETHER)
SWEPT = (0, 1, 2, len(PAYLOADS) - 1)
"""The payloads the whole-app sweep runs with."""
HUGE = "h" * 100_000
"""A 100 kB name: the app shows the start of it and stays usable."""


def flow_id(index: int) -> str:
    return f"00000000-0000-4000-8000-{index:012d}"


def marked(index: int, text: str) -> str:
    """`text` between markers that say which payload it is, so it can be found on screen."""
    return f"<{index}:{text}>"


def sent(index: int) -> str:
    return marked(index, PAYLOADS[index].sent)


def shown(index: int) -> str:
    return marked(index, PAYLOADS[index].shown)


def flow_type(index: int) -> str:
    return PAYLOADS[index].sent + "typ"


def shown_type(index: int) -> str:
    """A chatflow's type as the client gives it: in capitals."""
    return (PAYLOADS[index].shown + "typ").upper()


def badge_shown(index: int) -> str:
    """The picker's badge for an unknown type: its first six letters, lower case."""
    return shown_type(index)[:6].lower()


ALL_SENT = " ".join(sent(index) for index in range(len(PAYLOADS)))
ALL_SHOWN = [shown(index) for index in range(len(PAYLOADS))]
MESSAGE_ID = "hostile-message"


def _flow(index: int) -> dict[str, object]:
    return {"id": flow_id(index), "name": sent(index), "type": flow_type(index), "deployed": True}


FLOWS = [_flow(index) for index in range(len(PAYLOADS))]
HUGE_FLOW = {"id": flow_id(99), "name": HUGE, "type": HUGE, "deployed": True}
ODD_FLOWS: list[object] = [
    {"id": flow_id(1), "name": "twin one"},
    {"id": flow_id(1), "name": "twin two"},
    {"name": "no id at all"},
    {"id": "", "name": "empty id"},
    {"id": "ab\x1b]2;pwned\x07cd", "name": "escape in id"},
    {"id": "bad\x00\nid", "name": "control in id"},
    {"id": "[@click=app.quit]x[/]", "name": "markup in id"},
    {"id": "a/../b?c#d", "name": "a path in id"},
    {"id": "more-chatflows", "name": "an id the picker uses"},
    {"id": "flow-list", "name": "a widget's id"},
    {"id": 12, "name": "a number for an id"},
    "not a chatflow",
]
USABLE_ODD_NAMES = {
    "twin one",
    "twin two",
    "an id the picker uses",
    "a widget's id",
    "a number for an id",
}
"""The odd chatflows whose ids can go into a URL path as they are (ids are URL-safe)."""


def _index(flow: str) -> int:
    for index in range(len(PAYLOADS)):
        if flow == flow_id(index):
            return index
    return 0


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"statusCode": status, "success": False, "message": message}, status)


def _event(event: str, data: object) -> bytes:
    return b"message:\ndata:" + json.dumps({"event": event, "data": data}).encode() + b"\n\n"


def answer_events(index: int, approval: bool) -> list[bytes]:
    """Every kind of event the app shows, each carrying payload `index`; the answer to an
    approval is the flow failing."""
    text = sent(index)
    if approval:
        return [_event("start", ""), _event("error", f"Error: flow - {text}"), _event("end", "")]
    markdown = (
        f"# {text}\n\n{text} **{text}**\n\n"
        f"| col {text} |\n|---|\n| {text} |\n\n"
        f"[web](https://example.com/{index}) [file](file:///etc/passwd) "
        f"[action](app.quit) [prog](xterm)\n\n"
        f"```{text}\nfenced {text}\n```\n"
    )
    document = {
        "pageContent": f"content {text}",
        "metadata": {"source": text, "note": text, text: "key", "loc": {"lines": {"from": 1}}},
    }
    tool = {"tool": text, "toolInput": {"q": text}, "toolOutput": text, "error": text}
    node = {"nodeId": text, "nodeLabel": text, "status": "ERROR", "error": text}
    executed = [
        {
            "nodeId": text,
            "nodeLabel": text,
            "status": "FINISHED",
            "data": {"output": {"content": text}},
        }
    ]
    reasoning = [{"agentName": text, "messages": [text], "next": text, "usedTools": [tool]}]
    metadata = {
        "chatId": text,
        "chatMessageId": MESSAGE_ID,
        "sessionId": text,
        "memoryType": text,
        text: text,
        "followUpPrompts": json.dumps([text]),
    }
    action = {
        "id": text,
        "mapping": {"approve": text, "reject": text},
        "elements": [{"label": text, "type": "agentflowv2-approve-button"}, {"label": text}],
        "data": {"nodeId": text},
    }
    return [
        _event("start", text),
        _event("token", markdown),
        _event("sourceDocuments", [document]),
        _event("calledTools", [tool]),
        _event("usedTools", [tool]),
        _event("agentFlowEvent", text),
        _event("nextAgentFlow", node),
        _event("agentFlowExecutedData", executed),
        _event("agentReasoning", reasoning),
        _event("nextAgent", text),
        _event("thinking", {"thinking": text, "duration": 1.0}),
        _event("usageMetadata", {text: 3, "input_tokens": 1}),
        _event("artifacts", [{"type": text, "data": text}]),
        _event("fileAnnotations", [{"filePath": text, "fileName": text}]),
        _event("metadata", metadata),
        _event("action", action),
        _event("end", "[DONE]"),
    ]


def _mode(request: Request) -> str:
    return request.path_params["mode"]


async def _ping(request: Request) -> Response:
    mode = _mode(request)
    if mode == "ping-fails":
        return _error(500, f"boom {ALL_SENT}")
    if mode.startswith("ping-fails-"):
        return _error(500, f"boom {sent(int(mode.removeprefix('ping-fails-')))}")
    return Response("pong", media_type="text/plain")


async def _version(request: Request) -> Response:
    return JSONResponse({"version": ALL_SENT})


async def _chatflows(request: Request) -> Response:
    mode = _mode(request)
    if mode == "listing-fails":
        return _error(500, f"listing {ALL_SENT}")
    if mode == "odd-listing":
        return JSONResponse(ODD_FLOWS)
    return JSONResponse([*FLOWS, HUGE_FLOW])


async def _chatflow(request: Request) -> Response:
    wanted = request.path_params["flow"]
    found = next((flow for flow in [*FLOWS, HUGE_FLOW] if flow["id"] == wanted), None)
    return JSONResponse(found) if found else _error(404, f"Chatflow {wanted} {ALL_SENT}")


async def _streaming(request: Request) -> Response:
    return JSONResponse({"isStreaming": True})


async def _config(request: Request) -> Response:
    text = sent(_index(request.path_params["flow"]))
    return JSONResponse(
        {
            "welcomeMessage": f"welcome {text}",
            "starterPrompts": {"0": {"prompt": text}},
            "chatFeedback": {"status": True},
        }
    )


async def _predict(request: Request) -> Response:
    body = await request.json()
    events = answer_events(_index(request.path_params["flow"]), bool(body.get("humanInput")))

    async def stream() -> AsyncIterator[bytes]:
        for event in events:
            yield event

    return StreamingResponse(stream(), media_type="text/event-stream")


async def _messages(request: Request) -> Response:
    text = sent(_index(request.path_params["flow"]))
    return JSONResponse(
        [
            {"id": "m1", "role": "userMessage", "content": f"asked {text}", "chatId": text},
            {"id": "m2", "role": "apiMessage", "content": f"said {text}", "chatId": text},
        ]
    )


async def _feedback(request: Request) -> Response:
    text = sent(_index(request.path_params["flow"]))
    return _error(500, f"feedback {text}")


async def _abort(request: Request) -> Response:
    return JSONResponse({"status": "OK"})


def create_app() -> Starlette:
    api = "/{mode}/api/v1"
    return Starlette(
        routes=[
            Route(f"{api}/ping", _ping),
            Route(f"{api}/version", _version),
            Route(f"{api}/chatflows", _chatflows),
            Route(f"{api}/chatflows/{{flow:path}}", _chatflow),
            Route(f"{api}/chatflows-streaming/{{flow:path}}", _streaming),
            Route(f"{api}/public-chatbotConfig/{{flow:path}}", _config),
            Route(f"{api}/prediction/{{flow:path}}", _predict, methods=["POST"]),
            Route(f"{api}/chatmessage/abort/{{flow}}/{{chat:path}}", _abort, methods=["PUT"]),
            Route(f"{api}/chatmessage/{{flow:path}}", _messages),
            Route(f"{api}/feedback/{{flow:path}}", _feedback, methods=["POST"]),
        ]
    )


class HostileServer:
    """The hostile server in a background thread; `url(mode)` is a base URL for a client."""

    def __init__(self) -> None:
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def url(self, mode: str = "ok") -> str:
        return f"http://127.0.0.1:{self.port}/{mode}"

    def __enter__(self) -> HostileServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(), log_level="warning", access_log=False, lifespan="off", http="h11"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the hostile server did not start")
            time.sleep(0.005)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(5)
