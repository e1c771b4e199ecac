"""One exception hierarchy for everything that can go wrong talking to Flowise.

Every error states what happened, for a person, and carries why as data: a `Cause`, and
`server_message` (what the server itself said, when it said anything), `url` (the server,
without credentials) and, for HTTP errors, `status_code`. The text never gives advice
that belongs to one surface (a command-line flag, a key of the app): each surface words
its own hint from the cause.
"""

from __future__ import annotations

import re
from enum import StrEnum

from flowise_tui.terminal_text import for_terminal
from flowise_tui.text import strip_controls

MAX_MESSAGE = 2000


class Cause(StrEnum):
    """Why a call failed."""

    UNEXPECTED = "unexpected"
    # Reaching the server.
    BAD_URL = "bad-url"
    HOST_UNKNOWN = "host-unknown"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    TLS_UNVERIFIED = "tls-unverified"  # the certificate could not be verified
    TLS_FAILED = "tls-failed"  # the TLS handshake failed otherwise
    CONNECT_TIMEOUT = "connect-timeout"
    # While it answers.
    CLOSED = "closed"  # the connection closed before any answer
    DROPPED = "dropped"  # the connection dropped in the middle of an answer
    READ_TIMEOUT = (
        "read-timeout"  # a reply that is not streamed paused longer than the idle timeout
    )
    REPLY_TIMEOUT = (
        "reply-timeout"  # a reply that is not streamed took longer than the reply timeout
    )
    NO_ANSWER = "no-answer"  # a streaming request got no response within the first-byte timeout
    STALLED = "stalled"  # a stream sent no event within the idle timeout
    INCOMPLETE = "incomplete"  # a stream ended without its end event
    EMPTY = "empty"  # a stream ended without sending anything
    # What it answered.
    NOT_FLOWISE = "not-flowise"  # a web page, or a stream without a single Flowise event
    NOT_JSON = "not-json"
    BAD_SHAPE = "bad-shape"
    OVERSIZED = "oversized"  # an event larger than the client accepts
    TOO_LARGE = "too-large"  # a reply, or a whole stream, larger than the client accepts
    UNDECODABLE = "undecodable"  # a compressed body that does not decompress
    # What was asked.
    BAD_ID = "bad-id"  # an id that cannot go into a URL path
    # HTTP statuses.
    KEY_MISSING = "key-missing"  # the server wants an API key and none was sent
    KEY_REJECTED = "key-rejected"  # the API key sent was refused
    FLOW_KEY_REJECTED = "flow-key-rejected"  # the chatflow has its own key; the one sent is not it
    NOT_FOUND = "not-found"
    AMBIGUOUS_NAME = "ambiguous-name"  # several chatflows have the name asked for
    RATE_LIMITED = "rate-limited"
    FLOW_FAILED = "flow-failed"  # the chatflow itself failed
    SERVER_FAILED = "server-failed"
    GATEWAY_FAILED = "gateway-failed"  # a proxy in front of Flowise got no answer from it
    REJECTED = "rejected"  # any other 4xx


class FlowiseError(Exception):
    """Base class: anything the client raises is one of these."""

    default_cause = Cause.UNEXPECTED

    def __init__(
        self,
        message: str,
        *,
        cause: Cause | None = None,
        server_message: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.cause = cause or self.default_cause
        self.server_message = server_message
        self.url = url

    def __str__(self) -> str:
        return self.message


class FlowiseConnectionError(FlowiseError):
    """The server could not be reached: refused, DNS, TLS, dropped connection."""

    default_cause = Cause.UNREACHABLE


class FlowiseTimeoutError(FlowiseError):
    """The server stopped answering within the allowed time."""

    default_cause = Cause.READ_TIMEOUT


class FlowiseProtocolError(FlowiseError):
    """The server answered something this client cannot understand."""

    default_cause = Cause.NOT_FLOWISE


class FlowiseInvalidIdError(FlowiseError, ValueError):
    """An id that no request can carry: the server never saw it."""

    default_cause = Cause.BAD_ID


class FlowiseHTTPError(FlowiseError):
    """The server answered with an HTTP error status."""

    default_cause = Cause.REJECTED

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        cause: Cause | None = None,
        server_message: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message, cause=cause, server_message=server_message, url=url)
        self.status_code = status_code


class FlowiseAuthError(FlowiseHTTPError):
    """401/403: an API key is missing or wrong."""

    default_cause = Cause.KEY_MISSING


class FlowiseNotFoundError(FlowiseHTTPError):
    """404, or a chatflow id the server does not know."""

    default_cause = Cause.NOT_FOUND


class FlowiseRateLimitError(FlowiseHTTPError):
    """429: too many requests; `retry_after` is in seconds when the server said."""

    default_cause = Cause.RATE_LIMITED

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        server_message: str | None = None,
        url: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, server_message=server_message, url=url)
        self.retry_after = retry_after


class FlowiseServerError(FlowiseHTTPError):
    """5xx: the server (or a proxy in front of it) failed."""

    default_cause = Cause.SERVER_FAILED


_SERVICE_PREFIX = re.compile(r"^(?:Error:\s*)?[A-Za-z]+(?:\.[A-Za-z]+)+\s+-\s+")


def clean_server_message(message: str) -> str:
    """What the server said, fit for a terminal: Flowise's `Error: someService.method - `
    prefix dropped, escape sequences and control characters removed, at most 2000
    characters."""
    text = _SERVICE_PREFIX.sub("", strip_controls(message).strip(), count=1).strip()
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def quoted(text: str, limit: int = 100) -> str:
    """Server text (a header, an id) inside a message: quoted, on one line, every control
    character shown as a visible escape, at most `limit` characters."""
    shown = for_terminal(text, one_line=True)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"'{shown}'"


def describe_flow_error(message: str) -> tuple[str, Cause]:
    """A flow failure as a person should read it, and its cause: a chatflow with its own
    API key says only "Unauthorized"."""
    text = clean_server_message(message) or "The chatflow failed without saying why."
    if text == "Unauthorized":
        return (
            "Unauthorized: this chatflow has its own API key, and the key sent is missing "
            "or is not that key.",
            Cause.FLOW_KEY_REJECTED,
        )
    return text, Cause.FLOW_FAILED
