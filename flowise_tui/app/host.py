"""What the screens may ask of the app: one narrow interface, so that screens never import
the app class (the app imports the screens, never the other way round)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from flowise_tui.app.log.pacing import Pacing
    from flowise_tui.config import Change, Config, Connection
    from flowise_tui.conversation import Conversation, Turn
    from flowise_tui.flowise.client import FlowiseClient
    from flowise_tui.history import HistoryStore


@runtime_checkable
class ChatHost(Protocol):
    """The app as the chat screen and the palette see it."""

    client: FlowiseClient
    """The client for the current connection (a new one after each Connect)."""
    config: Config
    connection: Connection
    history: HistoryStore
    pacing: Pacing
    """Keys first, garbage collection last: the chat log reads it."""

    @property
    def server_url(self) -> str: ...

    def save_turn(self, conversation: Conversation, turn: Turn) -> None:
        """Store the turn in local history as it is now; the write follows in the
        background, in the order of the calls."""
        ...

    def connect(self, problem: str | None = None) -> None:
        """Open the Connect screen, saying what went wrong if something did."""
        ...

    def switch_profile(self, name: str) -> None: ...

    def save_config_quietly(self, *changes: Change) -> bool:
        """Save settings; a failure is shown, never raised."""
        ...
