"""The Flowise protocol client. It never imports Textual."""

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
