"""The Starlette app of the flowise-tui demo server: a Flowise 3.1.4 look-alike without an LLM."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Route

from . import runtime, uploads
from .body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit
from .flows import DEMO_FLOWS
from .routes import chatflows, feedback, files, history, predictions
from .state import DemoSettings, DemoState
from .wire import error_response, html_response

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

API = "/api/v1"


def _routes() -> list[Route]:
    return [
        Route("/", _index, methods=["GET"]),
        Route(f"{API}/ping", chatflows.ping, methods=["GET"]),
        Route(f"{API}/version", chatflows.version, methods=["GET"]),
        Route(f"{API}/chatflows", chatflows.list_chatflows, methods=["GET"]),
        Route(f"{API}/chatflows/{{flow_id}}", chatflows.get_chatflow, methods=["GET"]),
        Route(
            f"{API}/chatflows-streaming/{{flow_id}}", chatflows.chatflow_streaming, methods=["GET"]
        ),
        Route(
            f"{API}/public-chatbotConfig/{{flow_id}}",
            chatflows.public_chatbot_config_route,
            methods=["GET"],
        ),
        Route(f"{API}/public-chatflows/{{flow_id}}", chatflows.public_chatflow, methods=["GET"]),
        Route(f"{API}/chatflows-uploads/{{flow_id}}", uploads.chatflow_uploads, methods=["GET"]),
        Route(f"{API}/attachments/{{flow_id}}/{{chat_id}}", uploads.attachments, methods=["POST"]),
        Route(f"{API}/prediction/{{flow_id}}", predictions.predict, methods=["POST"]),
        Route(f"{API}/get-upload-file", files.get_upload_file, methods=["GET"]),
        Route(
            f"{API}/openai-assistants-file/download",
            files.assistants_file_download,
            methods=["POST"],
        ),
        Route(f"{API}/chatmessage/abort/{{flow_id}}/{{chat_id}}", history.abort, methods=["PUT"]),
        Route(f"{API}/chatmessage/{{flow_id}}", history.list_messages, methods=["GET"]),
        Route(f"{API}/executions", history.list_executions, methods=["GET"]),
        Route(f"{API}/feedback", feedback.create_feedback, methods=["POST"]),
        Route(f"{API}/leads", runtime.create_lead, methods=["POST"]),
        Route(f"{API}/leads/{{flow_id}}", runtime.list_leads, methods=["GET"]),
        Route(f"{API}/text-to-speech/generate", runtime.generate_speech, methods=["POST"]),
        Route(f"{API}/feedback/{{flow_id}}", feedback.create_feedback, methods=["POST"]),
        Route(f"{API}/feedback/{{flow_id}}", feedback.list_feedback, methods=["GET"]),
        Route(f"{API}/feedback/{{feedback_id}}", feedback.update_feedback, methods=["PUT"]),
    ]


async def _index(request: Request) -> Response:
    items = "".join(
        f"<li>{flow.name} ({flow.type}) <code>{flow.id}</code></li>" for flow in DEMO_FLOWS
    )
    return html_response(
        "<!doctype html><title>flowise-tui demo server</title>"
        "<h1>flowise-tui demo server</h1>"
        f"<p>A Flowise-compatible API lives under <code>{API}</code>.</p><ul>{items}</ul>"
    )


async def _not_routed(request: Request, exc: Exception) -> Response:
    return error_response(404, f"Cannot {request.method} {request.url.path}")


async def _crashed(request: Request, exc: Exception) -> Response:
    return error_response(500, f"Error: demo server - {exc}")


def create_app(
    *,
    token_delay: float = 0.02,
    api_key: str | None = None,
    heartbeat_interval: float = 30.0,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Starlette:
    state = DemoState(DemoSettings(token_delay, api_key, heartbeat_interval))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.started()
        try:
            yield
        finally:
            state.begin_shutdown()
            await state.hub.stop()

    app = Starlette(
        routes=_routes(),
        lifespan=lifespan,
        middleware=[Middleware(BodyLimit, max_bytes=max_body_bytes)],
        exception_handlers={
            HTTPException: _not_routed,
            Exception: _crashed,
        },
    )
    app.state.demo = state
    return app
