"""Command palette entries: chatflows, profiles, and every app action."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from flowise_tui.app import render
from flowise_tui.app.widgets.picker import ChatflowPicker

if TYPE_CHECKING:
    from flowise_tui.app.app import FlowiseApp

Command = tuple[str, Callable[[], object], str]


class FlowiseCommands(Provider):
    def _commands(self) -> list[Command]:
        app: FlowiseApp = self.app  # type: ignore[assignment]
        chat = app.chat
        commands: list[Command] = [
            ("New chat", chat.action_new_chat, "Start a fresh conversation (new session)"),
            ("Stop generating", chat.action_stop, "Stop the answer, here and on the server"),
            ("Toggle chatflow sidebar", chat.action_toggle_sidebar, "Show or hide the picker"),
            ("History", app.action_history, "Reopen an earlier conversation"),
            ("Export conversation to Markdown", partial(app.action_export, "markdown"), ""),
            ("Export conversation to JSON", partial(app.action_export, "json"), "All events"),
            ("Copy last answer", partial(self._on_last_turn, "copy_answer"), ""),
            ("Copy last code block", partial(self._on_last_turn, "copy_code"), ""),
            ("Toggle panes of last answer", partial(self._on_last_turn, "toggle_panes"), ""),
            ("Refresh chatflows", chat.load_chatflows, "Reload the list from the server"),
            ("Connect to a server", app.action_connect, "URL, API key, profile"),
        ]
        picker_flows = chat.query_one(ChatflowPicker).flows
        for flow in picker_flows:
            commands.append(
                (f"Switch chatflow: {flow.name}", partial(chat.open_chatflow, flow), flow.type)
            )
        for name in sorted(app.config.profiles):
            commands.append((f"Switch profile: {name}", partial(app.switch_profile, name), ""))
        return commands

    def _on_last_turn(self, action: str) -> None:
        from flowise_tui.app.widgets.turn import TurnView

        views = list(self.app.chat.query(TurnView))  # type: ignore[attr-defined]
        if not views:
            self.app.notify("No answer yet.", severity="warning")
            return
        getattr(views[-1], f"action_{action}")()

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(render.plain(name), callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        for name, callback, help_text in self._commands():
            score, display = render.fuzzy(query, name)
            if score > 0:
                yield Hit(score, display, callback, help=help_text or None)
