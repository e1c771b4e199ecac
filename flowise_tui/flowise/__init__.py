"""The Flowise protocol client. It never imports Textual.

Names are loaded when first used: a program that needs only the errors or the limits (the
app, before its first screen) does not pay for the client and httpx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowise_tui.flowise.client import FlowiseClient
    from flowise_tui.flowise.errors import (
        Cause,
        FlowiseAuthError,
        FlowiseConnectionError,
        FlowiseError,
        FlowiseHTTPError,
        FlowiseInvalidIdError,
        FlowiseNotFoundError,
        FlowiseProtocolError,
        FlowiseRateLimitError,
        FlowiseServerError,
        FlowiseTimeoutError,
    )
    from flowise_tui.flowise.ids import is_safe_id, looks_like_id
    from flowise_tui.flowise.limits import Limits
    from flowise_tui.flowise.listing import Listing
    from flowise_tui.flowise.models import (
        ChatbotConfig,
        Chatflow,
        ChatMessage,
        ChatMetadata,
        Feedback,
        PredictionRequest,
        SourceDocument,
        ToolCall,
    )

_HOMES = {
    "FlowiseClient": "flowise_tui.flowise.client",
    "Cause": "flowise_tui.flowise.errors",
    "FlowiseAuthError": "flowise_tui.flowise.errors",
    "FlowiseConnectionError": "flowise_tui.flowise.errors",
    "FlowiseError": "flowise_tui.flowise.errors",
    "FlowiseHTTPError": "flowise_tui.flowise.errors",
    "FlowiseInvalidIdError": "flowise_tui.flowise.errors",
    "FlowiseNotFoundError": "flowise_tui.flowise.errors",
    "FlowiseProtocolError": "flowise_tui.flowise.errors",
    "FlowiseRateLimitError": "flowise_tui.flowise.errors",
    "FlowiseServerError": "flowise_tui.flowise.errors",
    "FlowiseTimeoutError": "flowise_tui.flowise.errors",
    "is_safe_id": "flowise_tui.flowise.ids",
    "looks_like_id": "flowise_tui.flowise.ids",
    "Limits": "flowise_tui.flowise.limits",
    "Listing": "flowise_tui.flowise.listing",
    "ChatbotConfig": "flowise_tui.flowise.models",
    "Chatflow": "flowise_tui.flowise.models",
    "ChatMessage": "flowise_tui.flowise.models",
    "ChatMetadata": "flowise_tui.flowise.models",
    "Feedback": "flowise_tui.flowise.models",
    "PredictionRequest": "flowise_tui.flowise.models",
    "SourceDocument": "flowise_tui.flowise.models",
    "ToolCall": "flowise_tui.flowise.models",
}


def __getattr__(name: str) -> Any:
    try:
        home = _HOMES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "Cause",
    "ChatMessage",
    "ChatMetadata",
    "ChatbotConfig",
    "Chatflow",
    "Feedback",
    "FlowiseAuthError",
    "FlowiseClient",
    "FlowiseConnectionError",
    "FlowiseError",
    "FlowiseHTTPError",
    "FlowiseInvalidIdError",
    "FlowiseNotFoundError",
    "FlowiseProtocolError",
    "FlowiseRateLimitError",
    "FlowiseServerError",
    "FlowiseTimeoutError",
    "Limits",
    "Listing",
    "PredictionRequest",
    "SourceDocument",
    "ToolCall",
    "is_safe_id",
    "looks_like_id",
]
