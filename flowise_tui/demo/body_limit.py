"""A ceiling on request bodies: 413 above it, and never more than it read into memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .wire import error_response

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

MIB = 1024 * 1024
DEFAULT_MAX_BODY_BYTES = 32 * MIB


class BodyLimit:
    """Refuses a request whose body is larger than `max_bytes`, with 413.

    A declared Content-Length above the limit is refused before any of the body is read.
    Any other body is read here, up to the limit and one piece more, then handed to the app
    as it came; a body that grows past the limit is refused there.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away: the app sees that too
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_bytes / MIB
        response = error_response(
            413, f"The request body is larger than this server accepts ({limit:g} MB)."
        )
        response.headers["connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
