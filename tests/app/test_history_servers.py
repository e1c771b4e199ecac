"""Local history keeps the server of each conversation, and names it when it holds several."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.conversation import Conversation, Turn, TurnStatus
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.history import HistoryStore
from tests.app.conftest import SIZE, ask, opened, wait_for


def with_credentials(url: str) -> str:
    return url.replace("http://", "http://someone:hunter2@")


async def history_rows(pilot, typed: str = "") -> list[str]:
    app = pilot.app
    app.chat.prompt.focus()
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
    if typed:
        await pilot.press(*typed)
    rows = app.screen.query_one("#history-list", OptionList)
    await wait_for(
        pilot, lambda: rows.option_count and len(app.screen.entries) == rows.option_count
    )
    await pilot.pause()
    shown = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
    await pilot.press("escape")
    return shown


async def test_history_names_the_server_only_when_it_holds_several(
    make_app, make_demo_server, demo_url: str, tmp_path: Path
) -> None:
    other = make_demo_server()
    first_host = demo_url.removeprefix("http://")
    other_host = other.url.removeprefix("http://")

    async with make_app(url=with_credentials(demo_url), chatflow=CHAT_FLOW_ID).run_test(
        size=SIZE
    ) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "first server here")
        [row] = await history_rows(pilot)
        assert "first server here" in row and first_host not in row, "one server: not named"

    async with make_app(url=other.url, chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        await ask(pilot, "second server there")
        newest, oldest = await history_rows(pilot)
        assert "second server there" in newest and f"  {other_host} · " in newest
        assert "first server here" in oldest and f"  {first_host} · " in oldest

    with HistoryStore(tmp_path / "history.sqlite3") as store:
        assert store.servers() == sorted([demo_url, other.url]), "kept without the password"
        kept_before = Conversation(chatflow_id=CHAT_FLOW_ID, chatflow_name="Demo Chat")
        old_turn = Turn("kept by an older version", status=TurnStatus.DONE, started=1.0)
        kept_before.turns.append(old_turn)
        store.save_turn(kept_before, 0, old_turn)

    async with make_app(url=other.url, chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        [row] = await history_rows(pilot, "older version")
        assert "  unknown server · " in row
    assert "hunter2" not in (tmp_path / "history.sqlite3").read_bytes().decode("utf-8", "replace")
