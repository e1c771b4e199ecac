"""A runaway answer (the `endless` fault: text as fast as it is read, forever) meets the app's
answer limit: cut there with a mark, aborted on the server, kept in history, and the app
usable all along, its memory bounded.

Memory is the process's resident set, sampled in a thread while the answer streams: an
answer that is not cut fails on it, or on its length, within seconds. Nothing is timed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from flowise_tui.app.widgets.turn import AnswerStatus, TurnView
from flowise_tui.conversation import Turn, TurnStatus
from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.flowise.limits import MIB
from tests.app.conftest import SIZE, opened, wait_for
from tests.faults.conftest import fault_url
from tests.faults.helpers import PATIENCE, app_for, ask

LIMIT = 200_000
MEMORY_BUDGET = 200 * MIB
"""Growth of the resident set allowed while a runaway answer is cut at LIMIT (it takes a
tenth of that); a 2,000,000-character answer costs about 80 MB."""
QUESTION = "please never stop"


def resident_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


class MemoryWatch:
    """The most the resident set grew since the watch began, sampled every 10 ms."""

    def __init__(self) -> None:
        self.base = resident_bytes()
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @property
    def growth(self) -> int:
        return self.peak - self.base

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, resident_bytes())


@contextmanager
def memory_watch() -> Iterator[MemoryWatch]:
    watch = MemoryWatch()
    watch._thread.start()
    try:
        yield watch
    finally:
        watch._stop.set()
        watch._thread.join()


def messages_on_server(url: str, chat_id: str) -> list[dict]:
    """What the server stored for the chat: the endless fault stores it only when aborted."""
    rows = httpx.get(f"{url}/api/v1/chatmessage/{CHAT_FLOW_ID}", params={"chatId": chat_id})
    return rows.json()


async def test_a_runaway_answer_is_cut_at_the_limit_and_stopped_on_the_server(
    fault_server: DemoServer, tmp_path: Path
) -> None:
    url = fault_url(fault_server, "endless", times=1)
    app = await app_for(url, tmp_path)
    app.config.answer_limit = LIMIT
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        conversation = app.chat.conversation
        assert conversation is not None
        with memory_watch() as memory:
            app.chat.prompt.load_text(QUESTION)
            await pilot.press("enter")
            await wait_for(pilot, lambda: conversation.turns)
            turn: Turn = conversation.turns[0]
            typed = ""
            while turn.status is TurnStatus.STREAMING:
                assert memory.growth < MEMORY_BUDGET, f"grew {memory.growth / MIB:.0f} MB"
                assert turn.answer.length <= LIMIT
                if turn.answer.length and len(typed) < 3:
                    await pilot.press("abc"[len(typed)])  # keys go to the prompt meanwhile
                    typed += "abc"[len(typed)]
                await pilot.pause(0.02)
            await wait_for(pilot, lambda: not app.chat.streaming, PATIENCE)
        assert memory.growth < MEMORY_BUDGET, f"grew {memory.growth / MIB:.0f} MB"

        assert turn.status is TurnStatus.CUT
        assert turn.answer.length == LIMIT
        status = str(app.chat.query_one(TurnView).query_one(AnswerStatus).render())
        assert "cut at 200,000 characters" in status
        assert app.chat.prompt.text == typed

        await wait_for(pilot, lambda: messages_on_server(url, conversation.chat_id), PATIENCE)
        user, partial = messages_on_server(url, conversation.chat_id)
        assert user["content"] == QUESTION and len(partial["content"]) >= LIMIT
        assert partial["content"].startswith(turn.answer.text)

        def saved() -> Turn:
            return app.history.load(conversation.id).turns[0]

        await wait_for(pilot, lambda: saved().status is TurnStatus.CUT)
        assert saved().answer.text == turn.answer.text

        app.chat.prompt.clear()
        again = await ask(pilot, "and now an ordinary answer")
        assert again.status is TurnStatus.DONE and again.answer.text


async def test_escape_stops_a_runaway_answer_here_and_on_the_server(
    fault_server: DemoServer, tmp_path: Path
) -> None:
    # At full speed the loopback can fill the answer limit before the test first looks.
    url = fault_url(fault_server, "endless-steady")
    app = await app_for(url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        conversation = app.chat.conversation
        assert conversation is not None
        with memory_watch() as memory:
            app.chat.prompt.load_text(QUESTION)
            await pilot.press("enter")
            await wait_for(pilot, lambda: conversation.turns)
            turn = conversation.turns[0]
            await wait_for(pilot, lambda: turn.answer.length > LIMIT, PATIENCE)
            await pilot.press("escape")
            await wait_for(pilot, lambda: not app.chat.streaming, PATIENCE)
        assert memory.growth < MEMORY_BUDGET, f"grew {memory.growth / MIB:.0f} MB"
        assert turn.status is TurnStatus.STOPPED
        assert turn.answer.length < app.config.answer_limit
        await wait_for(pilot, lambda: messages_on_server(url, conversation.chat_id), PATIENCE)
        _, partial = messages_on_server(url, conversation.chat_id)
        assert partial["content"].startswith(turn.answer.text)
