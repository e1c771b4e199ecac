"""Ping, version and the chatflow management/config routes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..catalog import chatflow_object, public_chatbot_config
from ..flows import DEMO_FLOWS, find_flow
from ..wire import error_response, html_response, json_response
from .common import management_denied

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

DEMO_VERSION = "3.1.4-demo"


async def ping(request: Request) -> Response:
    return html_response("pong")


async def version(request: Request) -> Response:
    return json_response({"version": DEMO_VERSION})


async def list_chatflows(request: Request) -> Response:
    if denied := management_denied(request):
        return denied
    wanted = request.query_params.get("type")
    return json_response([chatflow_object(f) for f in DEMO_FLOWS if wanted in (None, f.type)])


async def get_chatflow(request: Request) -> Response:
    if denied := management_denied(request):
        return denied
    flow_id = request.path_params["flow_id"]
    flow = find_flow(flow_id)
    if flow is None:
        return error_response(404, f"Chatflow {flow_id} not found in the database!")
    return json_response(chatflow_object(flow))


async def chatflow_streaming(request: Request) -> Response:
    flow_id = request.path_params["flow_id"]
    flow = find_flow(flow_id)
    if flow is None:
        return error_response(
            500,
            "Error: chatflowsService.checkIfChatflowIsValidForStreaming - "
            f"Chatflow {flow_id} not found",
        )
    return json_response({"isStreaming": flow.streaming})


async def public_chatbot_config_route(request: Request) -> Response:
    flow_id = request.path_params["flow_id"]
    flow = find_flow(flow_id)
    if flow is None:
        return error_response(
            500,
            f"Error: chatflowsService.getSinglePublicChatbotConfig - Chatflow {flow_id} not found",
        )
    return json_response(public_chatbot_config(flow))


async def public_chatflow(request: Request) -> Response:
    flow_id = request.path_params["flow_id"]
    flow = find_flow(flow_id)
    if flow is None:
        return error_response(
            500, f"Error: chatflowsService.getSinglePublicChatflow - Chatflow {flow_id} not found"
        )
    if not flow.is_public:
        return json_response({"message": "Unauthorized"}, 401)
    return json_response(chatflow_object(flow))
