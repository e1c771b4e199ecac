"""Saving a file an answer returned, for the chat screen: ask where, fetch, write, say so."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from flowise_tui.app import hints
from flowise_tui.app.screens.save_file import SaveChoice, SaveFileScreen
from flowise_tui.files import os_error_reason
from flowise_tui.flowise.errors import FlowiseError
from flowise_tui.flowise.ids import is_safe_id
from flowise_tui.flowise.urls import API, display_url
from flowise_tui.returned_files import ReturnedFile, file_bytes, save_file

if TYPE_CHECKING:
    from textual.screen import Screen

    from flowise_tui.flowise.client import FlowiseClient


def file_link(server_url: str, flow_id: str, chat_id: str, item: ReturnedFile) -> str | None:
    """The server's URL of a stored artifact (what the web chat shows an image from); None
    for inline content, a file annotation (fetched by POST) or an unusable id."""
    if not item.stored or item.annotation or not (is_safe_id(flow_id) and is_safe_id(chat_id)):
        return None
    query = urlencode({"chatflowId": flow_id, "chatId": chat_id, "fileName": item.name})
    return f"{display_url(server_url.rstrip('/'))}{API}/get-upload-file?{query}"


def ask_and_save(
    screen: Screen[object],
    client: FlowiseClient,
    flow_id: str,
    chat_id: str,
    item: ReturnedFile,
    folder: Path | None = None,
) -> None:
    """Ask where to save `item`, then fetch and write it in a worker of `screen`."""

    async def save(choice: SaveChoice) -> None:
        try:
            data = await file_bytes(client, flow_id, chat_id, item)
        except FlowiseError as exc:
            screen.notify(f"{item.name} not saved: {hints.describe(exc)}", severity="error",
                          markup=False)  # fmt: skip
            return
        except ValueError as exc:  # an inline image whose data is damaged
            screen.notify(f"{item.name} not saved: {exc}", severity="error", markup=False)
            return
        try:
            path = save_file(choice.path, data, overwrite=choice.overwrite)
        except FileExistsError:
            screen.notify(f"{choice.path} exists now: not replaced.", severity="warning",
                          markup=False)  # fmt: skip
            return
        except (OSError, ValueError) as exc:
            screen.notify(f"{item.name} not saved: {os_error_reason(exc)}", severity="error",
                          markup=False)  # fmt: skip
            return
        screen.notify(f"Saved {path} ({len(data):,} bytes).", markup=False)

    def chosen(choice: SaveChoice | None) -> None:
        if choice is not None:
            screen.run_worker(save(choice), group="save-file")

    screen.app.push_screen(SaveFileScreen(item, folder), chosen)
