"""The Flowise protocol client. It never imports Textual."""

from flowise_tui.flowise.client import FlowiseClient, looks_like_id
from flowise_tui.flowise.errors import (
    Cause,
    FlowiseAuthError,
    FlowiseConnectionError,
    FlowiseError,
    FlowiseHTTPError,
    FlowiseNotFoundError,
    FlowiseProtocolError,
    FlowiseRateLimitError,
    FlowiseServerError,
    FlowiseTimeoutError,
)
from flowise_tui.flowise.limits import Limits
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
    "FlowiseNotFoundError",
    "FlowiseProtocolError",
    "FlowiseRateLimitError",
    "FlowiseServerError",
    "FlowiseTimeoutError",
    "Limits",
    "PredictionRequest",
    "SourceDocument",
    "ToolCall",
    "looks_like_id",
]
