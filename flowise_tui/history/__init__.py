"""Local conversation history in SQLite, searched word by word as the user types.

A turn is kept as its question, its answer's text, the other events that answered it and
what was measured, so a loaded conversation looks as it did live.
"""

from flowise_tui.history.schema import SCHEMA_VERSION
from flowise_tui.history.store import (
    DATA_DIR_ENV_VAR,
    HISTORY_FILENAME,
    ConversationSummary,
    HistoryError,
    HistoryStore,
    default_history_path,
)
from flowise_tui.history.writer import HistoryWriter

__all__ = [
    "DATA_DIR_ENV_VAR",
    "HISTORY_FILENAME",
    "SCHEMA_VERSION",
    "ConversationSummary",
    "HistoryError",
    "HistoryStore",
    "HistoryWriter",
    "default_history_path",
]
