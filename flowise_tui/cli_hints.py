"""What the command line advises when a call to Flowise fails: its own flags and variables."""

from __future__ import annotations

from flowise_tui.flowise.errors import Cause, FlowiseError

LIMITS = "the [limits] table of the config file"
HINTS: dict[Cause, str] = {
    Cause.KEY_MISSING: "Set one with --api-key, FLOWISE_API_KEY or a profile.",
    Cause.KEY_REJECTED: "Check the key in --api-key, FLOWISE_API_KEY or the profile.",
    Cause.FLOW_KEY_REJECTED: "Set that key with --api-key, FLOWISE_API_KEY or a profile.",
    Cause.TLS_UNVERIFIED: "If you trust this server, use --insecure.",
    Cause.REPLY_TIMEOUT: f"To wait longer, use ask's --timeout or {LIMITS}.",
    Cause.READ_TIMEOUT: f"To allow longer pauses, use ask's --idle-timeout or {LIMITS}.",
    Cause.STALLED: f"To allow longer pauses, use ask's --idle-timeout or {LIMITS}.",
    Cause.TOO_LARGE: f"To accept more, raise the limit in {LIMITS}.",
    Cause.OVERSIZED: f"To accept more, raise the limit in {LIMITS}.",
}


def with_hint(message: str, cause: Cause) -> str:
    """`message`, then the command line's advice for `cause` when it has any."""
    hint = HINTS.get(cause)
    return f"{message} {hint}" if hint else message


def describe(exc: FlowiseError) -> str:
    return with_hint(str(exc), exc.cause)
