"""The overrides editor scene for the snapshots: vars and an override typed, one line wrong."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import TextArea

from flowise_tui.app.screens.overrides import OverridesScreen
from flowise_tui.demo.flows import TUNABLE_FLOW_ID
from tests.app.conftest import wait_for


async def overrides_editor(
    pilot: Pilot,
    open_flow: Callable[[Pilot, str], Awaitable[object]],
    settle: Callable[[Pilot], Awaitable[None]],
) -> None:
    await open_flow(pilot, TUNABLE_FLOW_ID)
    await settle(pilot)  # the chat screen, drawn under the editor, as every scene shows it
    await pilot.press("f4")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, OverridesScreen))
    screen = pilot.app.screen
    screen.query_one("#overrides-vars", TextArea).load_text("team=ops\nno equals sign")
    screen.query_one("#overrides-json", TextArea).load_text('{\n  "temperature": 0.3\n}')
    await pilot.press("ctrl+s")
    await settle(pilot)
