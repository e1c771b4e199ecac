"""Byte-level shapes of what a Flowise 3.1.4 server writes: SSE events, JSON bodies, headers."""

from __future__ import annotations

import json
from email.utils import formatdate

from starlette.responses import Response

HEARTBEAT = b":heartbeat\n\n"

_COMMON_HEADERS: tuple[tuple[str, str], ...] = (
    ("Vary", "Origin"),
    ("Content-Security-Policy", "frame-ancestors 'self'"),
    ("X-Frame-Options", "SAMEORIGIN"),
)


def compact_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sse_event(event: str, data: object, **extra: object) -> bytes:
    envelope = {"event": event, "data": data, **extra}
    return b"message:\ndata:" + compact_json(envelope).encode() + b"\n\n"


def http_date() -> str:
    return formatdate(usegmt=True)


def sse_headers() -> list[tuple[bytes, bytes]]:
    headers = [
        *_COMMON_HEADERS,
        ("Content-Type", "text/event-stream"),
        ("Cache-Control", "no-cache"),
        ("Connection", "keep-alive"),
        ("X-Accel-Buffering", "no"),
        ("Date", http_date()),
    ]
    return [(name.encode(), value.encode()) for name, value in headers]


def _response(body: bytes, status: int, content_type: str) -> Response:
    headers = {name: value for name, value in _COMMON_HEADERS}
    headers["Content-Type"] = content_type
    headers["Date"] = http_date()
    return Response(content=body, status_code=status, headers=headers)


def json_response(value: object, status: int = 200) -> Response:
    return _response(compact_json(value).encode(), status, "application/json; charset=utf-8")


def html_response(text: str, status: int = 200) -> Response:
    return _response(text.encode(), status, "text/html; charset=utf-8")


def error_response(status: int, message: str) -> Response:
    body = {"statusCode": status, "success": False, "message": message, "stack": {}}
    return json_response(body, status)


def unauthorized_response() -> Response:
    return json_response({"error": "Unauthorized Access"}, 401)
