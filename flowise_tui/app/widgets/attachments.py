"""The files attached to the next question: one chip each above the prompt, removable.

The tray knows what the open chatflow accepts (read when it opens) and refuses, before
anything is sent, a file it would not take, saying why and what it does accept.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.containers import Horizontal
from textual.widgets import Button

from flowise_tui.app import hints, plain, render
from flowise_tui.flowise.errors import FlowiseError

if TYPE_CHECKING:
    from flowise_tui.flowise.client import FlowiseClient
    from flowise_tui.flowise.uploads import UploadChoice, UploadSettings

MAX_ATTACHED = 10


def chip_label(choice: UploadChoice) -> str:
    from flowise_tui.flowise.uploads import KIND_LABELS, human_size  # with the first file

    file = choice.file
    kind = KIND_LABELS.get(choice.kind, choice.kind)
    return f"✕ {plain.line(file.name, 40)} · {kind} · {file.mime} · {human_size(file.size)}"


class Chip(Button):
    """One attached file; pressed, it is taken off."""

    def __init__(self, choice: UploadChoice) -> None:
        super().__init__(render.plain(chip_label(choice)), classes="chip", compact=True)
        self.choice = choice


class AttachmentTray(Horizontal):
    """Hidden while empty. A chip pressed (Enter or a click) takes its file off."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices: list[UploadChoice] = []
        self.settings: UploadSettings | None = None
        self._client: FlowiseClient | None = None
        self._flow_id: str | None = None
        self.display = False

    def use_chatflow(self, client: FlowiseClient, flow_id: str) -> None:
        """A chatflow was opened: its attachments start empty, its settings are read."""
        self._client, self._flow_id, self.settings = client, flow_id, None
        self.take()
        self._read_settings(client, flow_id)

    @work(exclusive=True, group="upload-settings")
    async def _read_settings(self, client: FlowiseClient, flow_id: str) -> None:
        try:
            settings = await client.upload_settings(flow_id)
        except FlowiseError:
            return  # asked again when a file is attached, and said then
        if self._flow_id == flow_id:
            self.settings = settings

    def accepted(self) -> str:
        return self.settings.allowed_summary() if self.settings else "(not known yet)"

    @work(group="attach")
    async def attach(self, paths: list[str | Path]) -> None:
        """Attach each file the chatflow takes; for each other, say why not."""
        if self._client is None or self._flow_id is None:
            self.notify("Open a chatflow first: what it accepts decides.", severity="warning")
            return
        if self.settings is None:
            try:
                self.settings = await self._client.upload_settings(self._flow_id)
            except FlowiseError as exc:
                self.notify(
                    f"Cannot tell what this chatflow accepts: {hints.describe(exc)}",
                    title="Not attached",
                    severity="error",
                    markup=False,
                )
                return
        for path in paths:
            self._attach_one(path, self.settings)

    def _attach_one(self, path: str | Path, settings: UploadSettings) -> None:
        from flowise_tui.flowise.uploads import LocalFile, UploadChoice, choose_kind, describe_file

        file = describe_file(path)
        choice = choose_kind(settings, file) if isinstance(file, LocalFile) else file
        if not isinstance(choice, UploadChoice):
            self.notify(choice.message, title="Not attached", severity="warning", markup=False)
            return
        if any(c.file.path == choice.file.path for c in self.choices):
            return
        if len(self.choices) >= MAX_ATTACHED:
            self.notify(f"At most {MAX_ATTACHED} files go with one question.", markup=False)
            return
        self.choices.append(choice)
        self._show()

    def take(self) -> list[UploadChoice]:
        """The attached files, for the question being sent; the tray is empty after."""
        taken, self.choices = self.choices, []
        self._show()
        return taken

    def give_back(self, choices: list[UploadChoice]) -> None:
        """Files of a question that got no answer, back ahead of any attached since."""
        if not choices:
            return
        later = [c for c in self.choices if c not in choices]
        self.choices = [*choices, *later][:MAX_ATTACHED]
        self._show()

    def _show(self) -> None:
        self.remove_children()
        self.mount_all(Chip(choice) for choice in self.choices)
        self.display = bool(self.choices)

    @on(Button.Pressed, ".chip")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        chip = event.button
        if isinstance(chip, Chip) and chip.choice in self.choices:
            self.choices.remove(chip.choice)
            self.notify(f"Removed {chip.choice.file.name}.", markup=False)
            self._show()
