"""The app's first frame: the prompt comes first; the picker's parts and the footer's keys
are mounted once Textual says that frame is on screen."""

from __future__ import annotations

import asyncio

import pytest

from flowise_tui.app.app import FlowiseApp
from flowise_tui.app.widgets.prompt import PromptArea
from flowise_tui.demo.flows import CHAT_FLOW_ID
from tests.app.conftest import SIZE, wait_for


@pytest.mark.parametrize("chatflow", [CHAT_FLOW_ID, None])
async def test_the_first_frame_shows_the_prompt_and_the_rest_follows(
    make_app, monkeypatch: pytest.MonkeyPatch, chatflow: str | None
) -> None:
    """What the first frame Textual writes holds. Textual draws no frame while a batch of
    updates is open (`_batch_count`; it keeps one open while the app mounts, so a mount
    handler that waits holds every frame back): the frame counted is the first drawn
    outside one."""
    in_first_frame: dict[str, int] = {}
    display = FlowiseApp._display

    def counting_display(self: FlowiseApp, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None and not self._batch_count and not in_first_frame:
            chat = self.chat
            in_first_frame["prompt"] = len(chat.query(PromptArea))
            in_first_frame["footer keys"] = len(chat.query("FooterKey"))
            in_first_frame["list"] = len(chat.query("#flow-list"))
        display(self, screen, renderable)

    monkeypatch.setattr(FlowiseApp, "_display", counting_display)
    app = make_app(chatflow=chatflow)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.chat.query("FooterKey") and app.chat.query("#flow-list"))
        if chatflow is None:
            # No chatflow to open: the filter, built when focused, has the keys.
            await wait_for(pilot, lambda: app.focused is app.chat.query_one("#flow-filter"))
    assert in_first_frame == {"prompt": 1, "footer keys": 0, "list": 0}


async def test_a_chat_screen_that_fails_to_build_ends_the_app_instead_of_hanging(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowise_tui.app.screens.chat import ChatScreen

    def failing_compose(self: ChatScreen):  # type: ignore[no-untyped-def]
        raise RuntimeError("compose failed")
        yield

    monkeypatch.setattr(ChatScreen, "compose", failing_compose)
    app = make_app(chatflow=CHAT_FLOW_ID)

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()

    with pytest.raises(RuntimeError, match="compose failed"):
        await asyncio.wait_for(run(), timeout=30)
    assert app.return_code == 1
