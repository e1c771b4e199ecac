"""Command palette entries: the registry's actions, the chatflows and the profiles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from flowise_tui.app import plain, render
from flowise_tui.app.actions import keys_for, palette_commands
from flowise_tui.app.host import ChatHost
from flowise_tui.app.screens.chat import ChatScreen


@dataclass(frozen=True)
class Entry:
    name: str
    run: Callable[[], object]
    help: str = ""


class FlowiseCommands(Provider):
    def _entries(self) -> Iterator[Entry]:
        screen = self.screen
        host = self.app if isinstance(self.app, ChatHost) else None
        if not isinstance(screen, ChatScreen) or host is None:
            return
        keymap = host.config.keys
        for command in palette_commands():
            keys = keys_for(command, keymap)
            help_text = " · ".join(part for part in (command.help, keys) if part)
            run = partial(self.app.run_action, command.action, screen, {"screen": screen})
            yield Entry(command.title, run, help_text)
        for flow in screen.chatflows:
            name = plain.name(flow.name or flow.id)
            run = partial(screen.open_chatflow, flow)
            yield Entry(f"Switch chatflow: {name}", run, plain.line(flow.type, 40))
        for name in sorted(host.config.profiles):
            yield Entry(f"Switch profile: {name}", partial(host.switch_profile, name))

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(render.plain(entry.name), entry.run, help=_help(entry))

    async def search(self, query: str) -> Hits:
        for entry in self._entries():
            score, display = render.fuzzy(query, entry.name)
            if score > 0:
                yield Hit(score, display, entry.run, help=_help(entry))


def _help(entry: Entry) -> str | None:
    # The palette reads a `str` help as markup; Content is shown as it is (server text).
    return render.plain(entry.help) if entry.help else None  # type: ignore[return-value]
