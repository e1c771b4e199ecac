"""What the command line advises when a call to Flowise fails: its own flags and variables."""

from __future__ import annotations

from flowise_tui.flowise.errors import Cause, FlowiseError

HINTS: dict[Cause, str] = {
    Cause.KEY_MISSING: "Set one with --api-key, FLOWISE_API_KEY or a profile.",
    Cause.KEY_REJECTED: "Check the key in --api-key, FLOWISE_API_KEY or the profile.",
    Cause.FLOW_KEY_REJECTED: "Set that key with --api-key, FLOWISE_API_KEY or a profile.",
    Cause.TLS_UNVERIFIED: "If you trust this server, use --insecure.",
}


def with_hint(message: str, cause: Cause) -> str:
    """`message`, then the command line's advice for `cause` when it has any."""
    hint = HINTS.get(cause)
    return f"{message} {hint}" if hint else message


def describe(exc: FlowiseError) -> str:
    return with_hint(str(exc), exc.cause)
