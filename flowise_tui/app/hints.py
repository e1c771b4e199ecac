"""What the app advises when a call to Flowise fails: its own screens, keys (those in force,
after the user's `[keys]`) and checkboxes.

The same cause reads differently on the Connect screen, where the fields are right there,
than in a notice or an answer anywhere else.
"""

from __future__ import annotations

from flowise_tui.app.actions import KEY_NAMES
from flowise_tui.flowise.errors import Cause, FlowiseError

ELSEWHERE: dict[Cause, str] = {
    Cause.KEY_MISSING: (
        "Add an API key on the Connect screen ({connect}),"
        " or switch to a profile that has one (ctrl+p)."
    ),
    Cause.KEY_REJECTED: "Check the API key on the Connect screen ({connect}).",
    Cause.FLOW_KEY_REJECTED: "Enter that chatflow's key on the Connect screen ({connect}).",
    Cause.TLS_UNVERIFIED: (
        'If you trust this server, tick "Skip TLS certificate check"'
        " on the Connect screen ({connect})."
    ),
    Cause.REPLY_TIMEOUT: "To wait longer, raise the limit in the [limits] table of the config.",
    Cause.TOO_LARGE: "To accept more, raise the limit in the [limits] table of the config.",
}

ON_CONNECT: dict[Cause, str] = {
    Cause.KEY_MISSING: "Enter an API key below.",
    Cause.KEY_REJECTED: "Check the API key below.",
    Cause.FLOW_KEY_REJECTED: "Enter that chatflow's key below.",
    Cause.TLS_UNVERIFIED: 'If you trust this server, tick "Skip TLS certificate check" below.',
}


def with_hint(message: str, cause: Cause, *, on_connect: bool = False) -> str:
    """`message`, then the app's advice for `cause` when it has any."""
    hint = (ON_CONNECT if on_connect else ELSEWHERE).get(cause)
    if hint is None:
        return message
    return f"{message} {hint.format(connect=KEY_NAMES['chat.connect'])}"


def describe(exc: FlowiseError, *, on_connect: bool = False) -> str:
    """The error as the app shows it; `on_connect` when shown on the Connect screen."""
    return with_hint(str(exc), exc.cause, on_connect=on_connect)
