"""Textual's `Footer`, rebuilt only when the keys it shows change, without the keys it
leaves behind.

Textual rebuilds a footer whenever the keys in force might have changed: after every
change of focus, several times while a screen starts. This one skips a rebuild that would
show the same keys (the app's first screen asked for eight, each about 50 widgets to
style).

Each key in a footer binds itself to the footer's `compact` (`data_bind`), and Textual
drops such a binding only when `compact` changes. A session of a few hundred answers kept
thousands of removed keys alive. After each rebuild this footer lets its `compact`
"change" to the same value, which drops the bindings of the keys that are gone.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Footer


class AppFooter(Footer):
    _keys_shown: Hashable = None
    holding_keys = False
    """Whether the footer holds its keys back until `show_keys`: the app's first frame goes
    without them (they are some 30 ms of a start)."""
    _waiting = False

    def show_keys(self) -> None:
        self.holding_keys = False
        if self._waiting:
            self.call_later(self.recompose)

    def keys_to_show(self) -> Hashable:
        """What a rebuild would show: the keys in force and how the footer shows them."""
        app = self.app
        keys = []
        for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if binding.show or key == app.COMMAND_PALETTE_BINDING:
                shown = app.get_key_display(binding)
                keys.append((key, shown, binding.action, binding.description, enabled, tooltip))
                keys.append(binding.group)
        return tuple(keys), self.compact, self.show_command_palette

    async def recompose(self) -> None:
        if self.holding_keys:
            self._waiting = True
            return
        if self.is_attached:
            shown = self.keys_to_show()
            if shown == self._keys_shown:
                return
            self._keys_shown = shown
        await super().recompose()
        if self.is_attached:
            self.mutate_reactive(Footer.compact)
