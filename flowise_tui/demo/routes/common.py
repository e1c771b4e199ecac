"""Helpers every route module uses."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

from ..jsonerrors import node_style_message, parse_json_body
from ..wire import error_response, unauthorized_response

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from ..state import DemoState


def demo_state(request: Request) -> DemoState:
    state: DemoState = request.app.state.demo
    return state


def management_denied(request: Request) -> Response | None:
    if demo_state(request).management_allowed(request.headers.get("authorization")):
        return None
    return unauthorized_response()


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


async def json_body(request: Request) -> tuple[dict[str, object], Response | None]:
    try:
        body = parse_json_body(await request.body())
    except json.JSONDecodeError as exc:
        return {}, error_response(400, node_style_message(exc))
    return (body if isinstance(body, dict) else {}), None
