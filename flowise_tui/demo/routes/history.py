"""Chat history, abort and agentflow executions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..flows import DEMO_WORKSPACE_ID
from ..messages import public_message
from ..store import MessageQuery
from ..wire import json_response
from .common import demo_state, management_denied

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response


def _chat_types(raw: str | None) -> tuple[str, ...] | None:
    if not raw:
        return None
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError:
        return (raw,)
    if isinstance(parsed, list):
        return tuple(str(item) for item in parsed)
    return (str(parsed),)


async def list_messages(request: Request) -> Response:
    if denied := management_denied(request):
        return denied
    params = request.query_params
    query = MessageQuery(
        flow_id=request.path_params["flow_id"],
        chat_id=params.get("chatId") or None,
        session_id=params.get("sessionId") or None,
        memory_type=params.get("memoryType") or None,
        message_id=params.get("messageId") or None,
        chat_types=_chat_types(params.get("chatType")),
        descending=(params.get("order") or "").upper() == "DESC",
    )
    rows = demo_state(request).store.messages(query)
    return json_response([public_message(row) for row in rows])


async def abort(request: Request) -> Response:
    demo_state(request).runs.abort(request.path_params["flow_id"], request.path_params["chat_id"])
    return json_response({"status": 200, "message": "Chat message aborted"})


async def list_executions(request: Request) -> Response:
    if denied := management_denied(request):
        return denied
    flow_id = request.query_params.get("agentflowId") or None
    session_id = request.query_params.get("sessionId") or None
    executions = [
        execution.as_row(DEMO_WORKSPACE_ID)
        for execution in reversed(demo_state(request).store.executions(flow_id))
        if session_id is None or execution.session_id == session_id
    ]
    return json_response({"data": executions, "total": len(executions)})
