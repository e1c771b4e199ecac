"""`ask --file`: local files checked against what the chatflow accepts, before the model runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from flowise_tui.flowise.attach import build_uploads
from flowise_tui.flowise.uploads import LocalFile, UploadChoice, choose_kind, describe_file

if TYPE_CHECKING:
    from flowise_tui.flowise.client import FlowiseClient


class FileRefused(Exception):
    """A file that cannot be sent: missing, unreadable, or not accepted by the chatflow."""


def local_files(paths: Sequence[str]) -> list[LocalFile]:
    """Each path as a local file, or `FileRefused` for the first that is not one."""
    files = []
    for path in paths:
        file = describe_file(path)
        if not isinstance(file, LocalFile):
            raise FileRefused(file.reason)
        files.append(file)
    return files


async def uploads_for(
    client: FlowiseClient, chatflow_id: str, chat_id: str, files: list[LocalFile]
) -> list[dict[str, str]]:
    """The prediction's `uploads` for `files`, each of the kind the flow takes, or
    `FileRefused` (saying why and what the flow accepts) before anything is uploaded."""
    settings = await client.upload_settings(chatflow_id)
    choices = []
    for file in files:
        choice = choose_kind(settings, file)
        if not isinstance(choice, UploadChoice):
            raise FileRefused(choice.message)
        choices.append(choice)
    return await build_uploads(client, chatflow_id, chat_id, choices)
