"""Copy text for a person: OSC 52 through the terminal, and the system's clipboard tool."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowise_tui.clipboard import copy_with_tool

if TYPE_CHECKING:
    from textual.dom import DOMNode


def copy_text(node: DOMNode, text: str, what: str) -> None:
    """Copy `text` and say how, in a notice naming `what` ("Chunk", "Step")."""
    app = node.app
    app.copy_to_clipboard(text)  # OSC 52: reaches a clipboard over SSH too

    def with_tool() -> None:
        tool = copy_with_tool(text)
        if tool is not None:
            message = f"{what} copied to the clipboard ({tool})."
        else:
            message = (
                f"{what} sent to the terminal's clipboard (OSC 52). If pasting gives nothing,"
                " the terminal ignored it (in tmux: set -g set-clipboard on)."
            )
        app.call_from_thread(app.notify, message, markup=False)

    node.run_worker(with_tool, thread=True, group="clipboard")
