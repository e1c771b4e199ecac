"""Every binding comes from the action registry; `[keys]` in the config remaps any of them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.widgets import Footer

import flowise_tui.app
from flowise_tui.app import hints
from flowise_tui.app.actions import BY_ID, COMMANDS, check_keymap, palette_commands
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.flowise import Cause
from tests.app.conftest import SIZE, ask, opened, wait_for


def _app_classes() -> list[type[DOMNode]]:
    classes = []
    for module_info in pkgutil.walk_packages(flowise_tui.app.__path__, "flowise_tui.app."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                classes.append(cls)
    return classes


def test_every_binding_has_a_registry_id() -> None:
    seen = set()
    for cls in _app_classes():
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r}"
            assert binding.id in BY_ID, f"{cls.__name__} binds {binding.key} without a known id"
            command = BY_ID[binding.id]
            assert (binding.key, binding.action) == (command.keys, command.action)
            seen.add(binding.id)
    unbound = {command.id for command in COMMANDS} - seen
    assert not unbound, f"registry entries no widget binds: {unbound}"


def test_keymap_problems_are_named() -> None:
    assert check_keymap({}) == []
    assert check_keymap({"chat.new_chat": "ctrl+t"}) == []
    unknown = check_keymap({"chat.new_chats": "ctrl+t"})
    assert len(unknown) == 1 and "'chat.new_chats'" in unknown[0]
    clash = check_keymap({"chat.new_chat": "ctrl+o"})
    assert len(clash) == 1 and "chat.new_chat" in clash[0] and "chat.history" in clash[0]
    # Keys of different widgets do not clash: the answer's "c" is not the prompt's.
    assert check_keymap({"answer.copy": "enter"}) == []


def _footer_keys(app) -> str:
    footer = app.chat.query_one(Footer)
    return " ".join(str(key.key_display) + " " + key.description for key in footer.children)


async def test_user_keymap_remaps_bindings(make_app, tmp_path) -> None:
    app = make_app(chatflow=CHAT_FLOW_ID)
    app.config.keys.update({"chat.new_chat": "ctrl+t", "chat.export_json": "f9"})
    app.set_keymap(app.config.keys)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "hello")
        first = app.chat.conversation
        await pilot.press("ctrl+n")
        assert app.chat.conversation is first, "ctrl+n no longer starts a chat"
        await pilot.press("f9")
        await wait_for(pilot, lambda: list((tmp_path / "exports").glob("*.json")))
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: app.chat.conversation is not first)
        await pilot.pause()
        footer = _footer_keys(app)
        assert "^t New chat" in footer and "^n" not in footer


async def test_unknown_key_ids_are_reported(make_app) -> None:
    app = make_app()
    app.config.keys["chat.no_such_thing"] = "ctrl+t"
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app._notifications)
        messages = [n.message for n in app._notifications]
        assert any("'chat.no_such_thing'" in message for message in messages), messages


async def test_palette_lists_the_registry_with_current_keys(make_app) -> None:
    app = make_app(chatflow=CHAT_FLOW_ID)
    app.config.keys["chat.history"] = "ctrl+g"
    app.set_keymap(app.config.keys)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        provider = next(p for p in palette._providers if type(p).__name__ == "FlowiseCommands")
        entries = {entry.name: entry.help for entry in provider._entries()}
        for command in palette_commands():
            assert command.title in entries, command.title
        assert entries["History"].endswith("ctrl+g")
        assert entries["New chat"].endswith("ctrl+n")


def test_readme_lists_every_action_id() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [command.id for command in COMMANDS if f"| `{command.id}` |" not in readme]
    assert missing == []


async def test_hints_name_the_keys_in_force(make_app, tmp_path) -> None:
    (tmp_path / "config.toml").write_text(
        '[keys]\n"chat.connect" = "f9"\n"chat.toggle_sidebar" = "ctrl+t"\n'
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        welcome = str(app.chat.query_one("#welcome-text").render())
        assert "ctrl+t shows or hides the list" in welcome and "ctrl+b" not in welcome
        advice = hints.with_hint("No key.", Cause.KEY_MISSING)
        assert "Connect screen (f9)" in advice and "f2" not in advice
