"""Every action a key or the command palette can run, in one registry.

Each entry has an id (`chat.new_chat`), the namespaced action it runs (`screen.new_chat`,
`app.connect`), its default keys and the words the footer and the palette show. Widgets and
screens take their `BINDINGS` from here (`bindings("chat")`), the palette lists the entries
marked for it, and the config's `[keys]` table remaps any id (Textual's keymap).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding

NO_KEY = "none"
"""The key of an entry that only the palette (or a user's keymap) runs: no key is named so."""


@dataclass(frozen=True)
class Command:
    id: str
    """`SCOPE.NAME`: the binding id a keymap uses; the scope says whose `BINDINGS` it is in."""
    action: str
    keys: str
    title: str
    help: str = ""
    footer: bool = True
    palette: bool = False
    priority: bool = False

    @property
    def scope(self) -> str:
        return self.id.partition(".")[0]

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.title,
            show=self.footer and self.keys != NO_KEY,
            priority=self.priority,
            id=self.id,
            tooltip=self.help,
        )


COMMANDS: tuple[Command, ...] = (
    Command("app.quit", "app.quit", "ctrl+q", "Quit", priority=True),
    Command(
        "chat.stop",
        "screen.stop",
        "escape",
        "Stop",
        "Stop the answer, here and on the server",
        palette=True,
    ),
    Command(
        "chat.new_chat",
        "screen.new_chat",
        "ctrl+n",
        "New chat",
        "Start a fresh conversation (a new server-side session)",
        palette=True,
    ),
    Command(
        "chat.toggle_sidebar",
        "screen.toggle_sidebar",
        "ctrl+b",
        "Chatflows",
        "Show or hide the chatflow picker",
        palette=True,
    ),
    Command(
        "chat.history",
        "screen.history",
        "ctrl+o",
        "History",
        "Reopen an earlier conversation",
        palette=True,
    ),
    Command(
        "chat.export",
        "screen.export('markdown')",
        "ctrl+s",
        "Export",
        "Export the conversation to Markdown",
        palette=True,
    ),
    Command(
        "chat.export_json",
        "screen.export('json')",
        NO_KEY,
        "Export to JSON",
        "Export the conversation with all its events",
        palette=True,
    ),
    Command(
        "chat.copy_last_answer",
        "screen.copy_last_answer",
        NO_KEY,
        "Copy last answer",
        palette=True,
    ),
    Command(
        "chat.copy_last_code",
        "screen.copy_last_code",
        NO_KEY,
        "Copy last code block",
        palette=True,
    ),
    Command(
        "chat.toggle_last_panes",
        "screen.toggle_last_panes",
        NO_KEY,
        "Toggle panes of last answer",
        palette=True,
    ),
    Command(
        "chat.refresh_chatflows",
        "screen.refresh_chatflows",
        NO_KEY,
        "Refresh chatflows",
        "Reload the list from the server",
        palette=True,
    ),
    Command(
        "chat.edit_overrides",
        "screen.edit_overrides",
        "f4",
        "Overrides",
        "Vars and overrideConfig sent with every question to this chatflow",
        footer=False,
        palette=True,
    ),
    Command(
        "chat.save_speech",
        "screen.save_speech",
        NO_KEY,
        "Save answer audio",
        "Speak the last answer with the flow's text to speech, into a file",
        palette=True,
    ),
    Command("chat.connect", "app.connect", "f2", "Connect", "URL, API key, profile", palette=True),
    Command(
        "chat.attach",
        "screen.attach",
        "ctrl+f",
        "Attach file",
        "Attach a file to the next question (or paste its path into the prompt)",
        footer=False,
        palette=True,
    ),
    Command("chat.focus_prompt", "screen.focus_prompt", "ctrl+l", "Prompt", footer=False),
    Command(
        "chat.earlier_answer", "screen.focus_answer(-1)", "ctrl+up", "Earlier answer", footer=False
    ),
    Command(
        "chat.later_answer", "screen.focus_answer(1)", "ctrl+down", "Later answer", footer=False
    ),
    Command("prompt.send", "submit", "enter", "Send", footer=False),
    Command("picker.refresh", "refresh", "ctrl+r", "Refresh list", footer=False),
    Command("list.down", "cursor_down", "down", "Down", footer=False),
    Command("list.up", "cursor_up", "up", "Up", footer=False),
    Command("list.page_down", "page_down", "pagedown", "Page down", footer=False),
    Command("list.page_up", "page_up", "pageup", "Page up", footer=False),
    Command("list.first", "first", "home", "First", footer=False),
    Command("list.last", "last", "end", "Last", footer=False),
    Command("list.select", "select", "enter", "Open", footer=False),
    Command("answer.rate_up", "rate('THUMBS_UP')", "plus,equals_sign", "👍"),
    Command("answer.rate_down", "rate('THUMBS_DOWN')", "minus", "👎"),
    Command("answer.copy", "copy_answer", "c", "Copy"),
    Command("answer.copy_code", "copy_code", "y", "Copy code"),
    Command("answer.toggle_panes", "toggle_panes", "p", "Panes"),
    Command("earlier.unfold", "unfold", "enter", "Show earlier", footer=False),
    Command("history.close", "dismiss_none", "escape", "Close"),
    Command("history.toggle_scope", "toggle_scope", "ctrl+t", "This chatflow / all"),
    Command("history.load_server", "load_server", "ctrl+l", "Load from server"),
    Command("history.delete", "delete", "f8", "Delete"),
    Command("document.close", "dismiss", "escape,q", "Close"),
    Command("document.next", "move(1)", "n,right_square_bracket", "Next source"),
    Command("document.previous", "move(-1)", "p,left_square_bracket", "Previous source"),
    Command("document.copy", "copy_chunk", "c", "Copy chunk"),
    Command("document.open_link", "open_link", "o", "Open link"),
    Command("fullview.close", "dismiss", "escape,q", "Close"),
    Command("fullview.copy", "copy_text", "c", "Copy"),
    Command("fullview.next", "move(1)", "n,right_square_bracket", "Next step"),
    Command("fullview.previous", "move(-1)", "p,left_square_bracket", "Previous step"),
    Command("steps.open", "open", "enter", "Full view"),
    Command("picture.open", "open", "enter", "Full view"),
    Command("pictureview.close", "dismiss", "escape,q", "Close"),
    Command("steps.next_row", "move(1)", "down", "Next step", footer=False),
    Command("steps.previous_row", "move(-1)", "up", "Previous step", footer=False),
    Command("connect.cancel", "cancel", "escape", "Cancel"),
    Command("feedback.cancel", "cancel", "escape", "Cancel"),
    Command("attach.cancel", "cancel", "escape", "Cancel"),
    Command("path.complete", "complete", "tab", "Complete", footer=False),
    Command("form.submit", "submit", "ctrl+s", "Send form"),
    Command("form.cancel", "cancel", "escape", "Cancel"),
    Command("overrides.save", "save", "ctrl+s", "Save"),
    Command("overrides.cancel", "cancel", "escape", "Cancel"),
    Command("lead.skip", "skip", "escape", "Skip"),
)

BY_ID: Mapping[str, Command] = {command.id: command for command in COMMANDS}


def bindings(scope: str) -> list[Binding]:
    """The bindings of one widget or screen, each with its registry id."""
    return [command.binding() for command in COMMANDS if command.scope == scope]


def palette_commands() -> list[Command]:
    return [command for command in COMMANDS if command.palette]


def keys_for(command: Command, keymap: Mapping[str, str]) -> str:
    """The keys that run `command` now, as a person reads them ("ctrl+n"), or ""."""
    keys = keymap.get(command.id, command.keys)
    return "" if keys == NO_KEY else ", ".join(_readable(key) for key in _split(keys))


class KeyNames:
    """The keys in force for each action, as notices and hints name them ("f2", or the
    palette for an action the user left without a key)."""

    def __init__(self) -> None:
        self._keymap: Mapping[str, str] = {}

    def use(self, keymap: Mapping[str, str]) -> None:
        self._keymap = dict(keymap)

    def __getitem__(self, command_id: str) -> str:
        return keys_for(BY_ID[command_id], self._keymap) or "the command palette"


KEY_NAMES = KeyNames()
"""Set by the app from the user's `[keys]`."""


def check_keymap(keymap: Mapping[str, str]) -> list[str]:
    """What is wrong with a user's keymap, one line per problem (unknown ids, clashes)."""
    problems = [
        f"[keys] {binding_id!r} is not an action id (see the README for the list)"
        for binding_id in keymap
        if binding_id not in BY_ID
    ]
    by_scope_key: dict[tuple[str, str], list[str]] = {}
    for command in COMMANDS:
        keys = keymap.get(command.id, command.keys)
        if keys == NO_KEY:
            continue
        for key in _split(keys):
            by_scope_key.setdefault((_clash_scope(command.scope), key), []).append(command.id)
    for (_, key), ids in by_scope_key.items():
        if len(ids) > 1 and any(binding_id in keymap for binding_id in ids):
            problems.append(f"[keys] {_readable(key)!r} is bound to {' and '.join(ids)}")
    return problems


def _clash_scope(scope: str) -> str:
    """Bindings that are live at the same time: the app's and the chat screen's."""
    return "chat" if scope == "app" else scope


_KEY_NAMES = {"+": "plus", "-": "minus", "=": "equals_sign"}


def _split(keys: str) -> Iterable[str]:
    for key in keys.split(","):
        key = key.strip().lower()
        if key:
            yield _KEY_NAMES.get(key, key)


def _readable(key: str) -> str:
    return {name: char for char, name in _KEY_NAMES.items()}.get(key, key)
