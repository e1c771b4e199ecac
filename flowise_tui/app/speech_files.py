"""Where the app keeps answers' streamed audio (`speech/`, next to the local history), and
letting it go with the conversation it belongs to."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowise_tui.conversation import Conversation
    from flowise_tui.history import HistoryStore


def speech_folder(store: HistoryStore) -> Path:
    return store.path.parent / "speech"


def delete_speech_of(store: HistoryStore, conversation: Conversation) -> int:
    """Delete the audio files the turns of `conversation` kept; how many went."""
    folder = speech_folder(store)
    deleted = 0
    for turn in conversation.turns:
        if turn.speech is None:
            continue
        kept = folder / Path(turn.speech.name).name  # a file name, never a path
        with contextlib.suppress(OSError):
            kept.unlink()
            deleted += 1
    return deleted
