"""One exception hierarchy for everything that can go wrong talking to Flowise.

Every error carries a message written for a person; `server_message` keeps what the
server itself said, when it said anything.
"""

from __future__ import annotations

import re

from flowise_tui.text import strip_controls

MAX_MESSAGE = 2000


class FlowiseError(Exception):
    """Base class: anything the client raises is one of these."""

    def __init__(self, message: str, *, server_message: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.server_message = server_message

    def __str__(self) -> str:
        return self.message


class FlowiseConnectionError(FlowiseError):
    """The server could not be reached: refused, DNS, TLS, dropped connection."""


class FlowiseTimeoutError(FlowiseError):
    """The server stopped answering within the allowed time."""


class FlowiseProtocolError(FlowiseError):
    """The server answered something this client cannot understand."""


class FlowiseHTTPError(FlowiseError):
    """The server answered with an HTTP error status."""

    def __init__(
        self, message: str, *, status_code: int, server_message: str | None = None
    ) -> None:
        super().__init__(message, server_message=server_message)
        self.status_code = status_code


class FlowiseAuthError(FlowiseHTTPError):
    """401/403: an API key is missing or wrong."""


class FlowiseNotFoundError(FlowiseHTTPError):
    """404, or a chatflow id the server does not know."""


class FlowiseRateLimitError(FlowiseHTTPError):
    """429: too many requests; `retry_after` is in seconds when the server said."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        server_message: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, server_message=server_message)
        self.retry_after = retry_after


class FlowiseServerError(FlowiseHTTPError):
    """5xx: the server (or a proxy in front of it) failed."""


_SERVICE_PREFIX = re.compile(r"^(?:Error:\s*)?[A-Za-z]+(?:\.[A-Za-z]+)+\s+-\s+")


def clean_server_message(message: str) -> str:
    """What the server said, fit for a terminal: Flowise's `Error: someService.method - `
    prefix dropped, escape sequences and control characters removed, at most 2000
    characters."""
    text = _SERVICE_PREFIX.sub("", strip_controls(message).strip(), count=1).strip()
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def describe_flow_error(message: str) -> str:
    """A flow failure as a person should read it, with a hint where one helps."""
    text = clean_server_message(message) or "The chatflow failed without saying why."
    if text == "Unauthorized":
        return (
            "Unauthorized: this chatflow has its own API key, and the key sent is missing "
            "or is not that key. Set it with --api-key, FLOWISE_API_KEY or a profile."
        )
    return text
