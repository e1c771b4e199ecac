"""POST /api/v1/prediction/{id}."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ..flows import find_flow
from ..prediction import PredictionService, json_answer, stream_turn
from ..stream import EventStreamResponse, SilentHold
from ..turn import read_turn, streaming_requested
from ..wire import error_response, json_response
from .common import demo_state, is_uuid, json_body

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp


async def predict(request: Request) -> Response | ASGIApp:
    state = demo_state(request)
    flow_id = request.path_params["flow_id"]
    body, invalid = await json_body(request)
    if invalid is not None:
        return invalid
    streaming = streaming_requested(body)
    flow = find_flow(flow_id)
    if flow is None:
        if streaming:
            return SilentHold(state.shutting_down)
        if not is_uuid(flow_id):
            return error_response(400, "Invalid Chatflow ID")
        return error_response(404, f"Chatflow {flow_id} not found in the database!")
    turn = read_turn(flow, body, request.headers.get("authorization"))
    service = PredictionService(state)
    if streaming and flow.streaming:
        return EventStreamResponse(state.hub, partial(stream_turn, service, turn))
    result = await service.execute(turn, service.new_output(turn))
    if result.error is not None or result.outcome is None:
        return error_response(500, result.error or "Error: prediction failed")
    return json_response(json_answer(turn, result.outcome, result.message_id))
