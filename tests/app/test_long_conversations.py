"""Long conversations stay light: early turns fold out of the log and come back on demand."""

from __future__ import annotations

import gc
import weakref

from textual.widgets import Collapsible

from flowise_tui.app.log.chat_log import ChatLog, EarlierTurns
from flowise_tui.app.log.placeholder import PendingBlocks
from flowise_tui.app.log.sight import Sight
from flowise_tui.app.log.textual_adapter import drawn_lines
from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.turn import AnswerMarkdown, TurnView, UserMessage
from flowise_tui.demo.flows import CHAT_FLOW_ID
from tests.app.conftest import SIZE, ask, opened, wait_for


def shown(app) -> list[str]:
    return [view.turn.question for view in app.chat.query_one(ChatLog).query(TurnView)]


async def converse(pilot, questions: int, *, keep: int, batch: int = 5):
    """Ask `questions` questions with `keep` turns kept in the log; returns the app once the
    last answer's folding is done."""
    app = await opened(pilot, CHAT_FLOW_ID)
    sight = app.chat.query_one(ChatLog).sight
    sight.keep_turns = keep
    sight.unfold_batch = batch
    for n in range(questions):
        await ask(pilot, f"question {n}")
    kept = [f"question {n}" for n in range(max(0, questions - keep), questions)]
    await wait_for(pilot, lambda: shown(app) == kept)
    return app


async def test_early_turns_fold_away_and_stay_in_the_export(make_app, tmp_path) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await converse(pilot, 5, keep=3)
        earlier = app.chat.query_one(EarlierTurns)
        assert earlier.display and "2 earlier turns" in str(earlier.render())
        assert len(app.chat.conversation.turns) == 5
        app.chat.action_export("markdown")
        await pilot.pause()
    markdown = next((tmp_path / "exports").iterdir()).read_text()
    assert all(f"question {n}" in markdown for n in range(5))


async def test_scrolling_to_the_top_unfolds_earlier_turns_in_place(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await converse(pilot, 6, keep=3, batch=2)
        log = app.chat.query_one(ChatLog)
        first = log.query(TurnView).first()
        seen_at_the_top = first.virtual_region.y
        await pilot.press("ctrl+up")
        await pilot.press("home")
        await wait_for(pilot, lambda: shown(app)[0] == "question 1")
        # The turn that was first stays where the user was looking.
        await wait_for(pilot, lambda: first.virtual_region.y - log.scroll_y == seen_at_the_top)
        assert log.scroll_y > 0
        assert "1 earlier turn " in str(app.chat.query_one(EarlierTurns).render())
        unfolded = log.query(TurnView).first()
        await wait_for(  # the unfolded turn may not have composed its answer yet
            pilot,
            lambda: unfolded.query(AnswerMarkdown) and unfolded.query_one(AnswerMarkdown).source,
        )
        assert unfolded.query_one(AnswerMarkdown).source == unfolded.turn.answer.text


async def test_the_earlier_turns_bar_and_ctrl_up_unfold(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await converse(pilot, 8, keep=2, batch=1)
        await pilot.press("ctrl+up", "ctrl+up", "ctrl+up")
        await wait_for(pilot, lambda: "question 5" in shown(app))
        await wait_for(pilot, lambda: getattr(app.focused, "turn", None) is not None)
        assert app.focused.turn.question == "question 5"
        # Enter on the bar unfolds at least one more (being at the top may unfold another).
        earlier = app.chat.query_one(EarlierTurns)
        count = len(shown(app))
        earlier.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(shown(app)) > count)
        while earlier.display:
            count = len(shown(app))
            earlier.focus()
            await pilot.press("enter")
            await wait_for(pilot, lambda count=count: len(shown(app)) > count)
        assert shown(app) == [f"question {n}" for n in range(8)]
        # Sending folds again, down to what is kept.
        await ask(pilot, "question 8")
        await wait_for(pilot, lambda: shown(app) == ["question 7", "question 8"])


async def test_clicking_the_earlier_turns_bar_unfolds(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await converse(pilot, 3, keep=1)
        await pilot.click(EarlierTurns)
        await wait_for(pilot, lambda: shown(app) == ["question 0", "question 1", "question 2"])


async def test_a_long_conversation_reopens_with_its_last_turns(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        for n in range(4):
            await ask(pilot, f"question {n}")
        chat_id = app.chat.conversation.chat_id
        await pilot.press("ctrl+n")
        app.chat.query_one(ChatLog).sight.keep_turns = 2
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_for(pilot, lambda: app.screen.entries)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.chat.conversation.chat_id == chat_id)
        assert shown(app) == ["question 2", "question 3"]
        assert "2 earlier turns" in str(app.chat.query_one(EarlierTurns).render())


async def test_answers_that_left_blank_space_are_parked_far_out_of_sight(make_app) -> None:
    """Answers taller than the screen stream with their tops as blank space; once later
    turns push them far away they give their widgets back all the same, and when scrolled
    to have every block again."""
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=(160, 48)) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        log = app.chat.query_one(ChatLog)
        for n in range(8):
            await ask(pilot, f"/long {500 + n}")
        views = list(log.query(TurnView))
        await wait_for(pilot, lambda: sum(not view.parked for view in views) <= 3)
        first = views[0]
        log.scroll_home(animate=False)
        await wait_for(pilot, lambda: not first.parked)
        await pilot.pause()
        markdown = first.query_one(AnswerMarkdown)
        assert markdown.source == first.turn.answer.text
        assert not markdown.query(PendingBlocks)


def test_an_answer_with_blank_space_left_is_parked_only_if_short() -> None:
    """Made again, an answer mounts every block at once (a 100,000-character one held the
    screen for seconds); its blank space would have been mounted a batch at a time."""
    sight = Sight(None)  # type: ignore[arg-type]  # may_park looks at no view
    limit = sight.rebuild_chars
    assert sight.may_park(limit * 10, blank_space=False)
    assert sight.may_park(limit, blank_space=True)
    assert not sight.may_park(limit + 1, blank_space=True)


async def test_turns_far_out_of_sight_leave_the_layout_and_come_back(make_app) -> None:
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        for n in range(6):
            await ask(pilot, f"question {n}")
        log = app.chat.query_one(ChatLog)
        views = list(log.query(TurnView))
        first, last = views[0], views[-1]
        await wait_for(pilot, lambda: first.parked and not first.children)
        assert not last.parked
        assert first.region.height > 5
        log.scroll_home(animate=False)
        await wait_for(pilot, lambda: not first.parked)
        await pilot.pause()
        markdown = first.query_one(AnswerMarkdown)
        assert markdown.display and markdown.region.height > 5
        assert markdown.source == first.turn.answer.text
        # Parked again and back, it keeps its height and its open panes.
        first.query_one("#metadata-pane", Collapsible).collapsed = False
        await pilot.pause()
        height = first.region.height
        contents = weakref.ref(markdown)
        del markdown
        log.scroll_end(animate=False)
        await wait_for(pilot, lambda: first.parked and not first.children)
        assert first.region.height == height
        gc.collect()
        assert contents() is None, "nothing keeps the widgets a parked turn gave back alive"
        log.scroll_home(animate=False)
        await wait_for(pilot, lambda: not first.parked)
        await pilot.pause()
        assert not first.query_one("#metadata-pane", Collapsible).collapsed
        assert first.region.height == height
        await wait_for(pilot, lambda: last.parked)


async def test_widgets_out_of_view_give_back_the_lines_they_drew(make_app) -> None:
    """Once the garbage of an answer is collected, the widgets out of view keep none of the
    lines they drew (a dozen objects a line), those in view keep theirs, and what comes
    back into view is drawn again."""
    async with make_app(chatflow=CHAT_FLOW_ID).run_test(size=SIZE) as pilot:
        app = await opened(pilot, CHAT_FLOW_ID)
        log = app.chat.query_one(ChatLog)
        await ask(pilot, "question 0")
        first = log.query_one(TurnView)
        question = first.query_one(UserMessage)
        await wait_for(pilot, lambda: drawn_lines(question) > 0)
        n = 1
        while log.sight.in_view(first):
            await ask(pilot, f"question {n}")
            n += 1
        last = list(log.query(TurnView))[-1]
        await wait_for(pilot, lambda: drawn_lines(first) == 0)
        assert drawn_lines(question) == 0 or not question.is_attached
        assert log.sight.in_view(last) and drawn_lines(last.markdown) > 0
        log.scroll_home(animate=False)
        await wait_for(pilot, lambda: not first.parked and log.sight.in_view(first))
        await wait_for(pilot, lambda: drawn_lines(first) > 0)
        assert "question 0" in app.export_screenshot().replace("&#160;", " ")
