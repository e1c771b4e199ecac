"""Every screen is usable at 80x24: the sidebar is a drawer there, nothing is off screen."""

from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button

from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.screens.connect import ConnectScreen
from flowise_tui.app.widgets.picker import ChatflowPicker
from flowise_tui.demo.flows import CHAT_FLOW_ID, RAG_FLOW_ID
from tests.app.conftest import SIZE, ask, opened, ready, showing, wait_for

SMALL = (80, 24)


def sidebar(app: FlowiseApp) -> ChatflowPicker:
    return app.chat.query_one(ChatflowPicker)


def on_screen(app: FlowiseApp, widget: Widget) -> bool:
    """Shown whole: not cut by the screen's edge or by a scrolling parent."""
    whole = widget.region.size == widget.outer_size and widget.region.area > 0
    return whole and Region(0, 0, *app.size).contains_region(widget.region)


def footer_keys(app: FlowiseApp) -> dict[str, Widget]:
    return {key.description: key for key in app.screen.query("FooterKey")}  # type: ignore[attr-defined]


async def test_a_chatflow_given_at_start_opens_without_the_sidebar(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SMALL) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await pilot.pause()
        assert not sidebar(app).display
        assert app.chat.prompt.has_focus
        assert app.chat.prompt.region.width == SMALL[0]


async def test_the_sidebar_is_a_drawer_below_100_columns(make_app) -> None:
    async with make_app().run_test(size=SMALL) as pilot:
        app = await ready(pilot)
        assert sidebar(app).display, "with no chatflow open, the list is what there is to do"
        await pilot.press("ctrl+b")
        assert not sidebar(app).display
        await pilot.press("ctrl+b")
        assert sidebar(app).display
        await pilot.press(*"bakery", "enter")
        await opened(pilot, RAG_FLOW_ID)
        await pilot.pause()
        assert not sidebar(app).display
        assert app.chat.prompt.has_focus


async def test_the_sidebar_stays_beside_a_wide_chat(make_app) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("ctrl+b", "ctrl+b", *"bakery", "enter")
        await opened(pilot, RAG_FLOW_ID)
        await pilot.pause()
        assert sidebar(app).display


async def test_the_footer_fits_and_names_the_quit_key(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SMALL) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "hello")
        await pilot.pause()
        keys = footer_keys(app)
        assert {"New chat", "Chatflows", "History", "Connect", "Quit"} <= set(keys)
        assert all(on_screen(app, key) for key in keys.values())
        regions = [key.region for key in keys.values()]
        overlaps = [
            (a, b) for i, a in enumerate(regions) for b in regions[i + 1 :] if a.overlaps(b)
        ]
        assert not overlaps, "the palette key is docked over another key"


async def test_connect_buttons_are_on_a_small_screen(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SMALL) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await pilot.press("f2")
        await showing(pilot, ConnectScreen)
        await pilot.pause()
        buttons = list(app.screen.query(Button))
        assert {button.id for button in buttons} >= {"test", "save", "cancel"}
        assert all(on_screen(app, button) for button in buttons)


async def test_history_fits_a_small_screen(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SMALL) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "hello")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen.query("#history-list"))
        await pilot.pause()
        assert on_screen(app, app.screen.query_one("#history"))
