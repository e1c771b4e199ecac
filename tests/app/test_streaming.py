"""Streamed answers end up exactly as a `Markdown` of the whole text would show them."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest
from markdown_it import MarkdownIt
from textual.app import App, ComposeResult
from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from flowise_tui.app.log.feed import LONG_LINE, MarkdownFeed
from flowise_tui.app.log.groups import groups
from flowise_tui.app.log.placeholder import PendingBlocks
from flowise_tui.app.widgets.turn import AnswerMarkdown, TurnView
from flowise_tui.conversation import Turn, TurnStatus
from flowise_tui.demo.flows import CHAT_FLOW_ID
from flowise_tui.demo.handlers import chat
from flowise_tui.demo.longtext import long_answer_tokens
from flowise_tui.demo.tokens import tokenize
from tests.app.conftest import SIZE, ask, opened, wait_for

RICH = """\
# Release notes

Intro paragraph with **bold**, `code`, a [link](https://example.com) and enough words to wrap \
across more than one line of the terminal when the answer is shown in the chat log.

1. first step
2. second step

3. a loose third step
   with a lazy continuation

- outer
  - inner item
  - another inner item
- outer again

| name | price |
|------|------:|
| tart | 4.50 |
| loaf | 3.20 |

```python
def total(items: list[float]) -> float:
    return sum(items)
```

> A quote that
> spans two lines.

Setext heading
--------------

***

Last paragraph."""


def shape(markdown: Markdown) -> list[tuple[object, ...]]:
    """What the widget tree puts on screen: every shown widget, where, and its content."""
    origin = markdown.region.offset
    rows = []
    for widget in markdown.query("*"):
        if not widget.display or any(not a.display for a in widget.ancestors_with_self):
            continue
        rendered = getattr(widget, "content", None)
        if rendered is None:
            rendered = widget.render()
            if not isinstance(rendered, Content | str):
                rendered = type(rendered).__name__
        rows.append(
            (
                type(widget).__name__,
                sorted(widget.classes),
                widget.region.offset - origin,
                widget.region.size,
                rendered,
            )
        )
    return rows


async def read_back(pilot, view: TurnView) -> None:
    """Scroll to each stretch of blank space in the answer, as a reader scrolling up would,
    until every block is mounted."""
    log = pilot.app.chat.query_one("#log")

    def to_next_gap() -> bool:
        if view.feed.complete.is_set():
            return True
        waiting = view.markdown.query_children(PendingBlocks)
        if waiting:
            log.scroll_to_widget(waiting.last(), animate=False, immediate=True)
        return False

    await wait_for(pilot, to_next_gap, timeout=30)


async def stream_through_app(make_app, monkeypatch, text: str) -> bool:
    """Stream `text` from the demo server, then show a finished turn of the same text.
    Returns whether the answer, once complete, left blocks out of sight unmounted."""
    tokens = tokenize(text)
    monkeypatch.setattr(chat, "long_answer_tokens", lambda count: tokens)
    app = make_app(chatflow=CHAT_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        turn = await ask(pilot, "/long 1")
        assert turn.status is TurnStatus.DONE and turn.answer.text == text
        streamed = app.chat.query_one(TurnView)
        assert streamed.feed is not None
        await pilot.pause()
        parked = bool(streamed.markdown.query_children(PendingBlocks))
        await read_back(pilot, streamed)
        finished = Turn("/long 1", status=TurnStatus.DONE)
        finished.answer.append_text(text)
        reference = TurnView(finished, "Demo Chat")
        await app.chat.query_one("#log").mount(reference)
        await pilot.pause()
        assert not streamed.markdown.query_children(PendingBlocks)
        assert shape(streamed.markdown) == shape(reference.markdown)
        assert streamed.markdown.source == text
    return parked


async def test_rich_answer_renders_as_markdown_of_the_whole_text(make_app, monkeypatch) -> None:
    await stream_through_app(make_app, monkeypatch, RICH)


async def test_long_answer_mounts_what_is_in_sight_first_and_ends_identical(
    make_app, monkeypatch
) -> None:
    """A fast long answer mounts what is in sight, leaves the rest as blank space, and has
    every block, exactly as a whole parse makes them, once read back to the top."""
    out_of_sight: list[bool] = []
    original = MarkdownFeed._apply

    async def spy(self: MarkdownFeed) -> None:
        await original(self)
        out_of_sight.append(bool(self.markdown.query_children(PendingBlocks)))

    monkeypatch.setattr(MarkdownFeed, "_apply", spy)
    text = "".join(long_answer_tokens(2000)) + "\n\n" + RICH
    await stream_through_app(make_app, monkeypatch, text)
    # While streaming, blocks out of sight stood as blank space. Whether some still do at
    # the very end depends on how the last frames fell (about 1 run in 3 every block is
    # mounted by then), so the end state is not asserted here; see issue 9's note.
    assert any(out_of_sight)


async def feed_in_pieces(markdown: Markdown, text: str, size: int = 2) -> None:
    """Stream `text` a few characters at a time, each piece shown before the next."""
    feed = MarkdownFeed(markdown, frame_seconds=0)
    for start in range(0, len(text), size):
        await feed.write(text[start : start + size])
        while not feed.caught_up:
            await asyncio.sleep(0)
    await feed.close()
    await asyncio.wait_for(feed.complete.wait(), 10)


class FeedApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Markdown()


@pytest.mark.parametrize(
    "text",
    [
        "1. one\n\n2. two\n\n3. three\n",
        "- a\n\n- b\n\nplain\n\n- c\n",
        "Title\n---\n\nnext paragraph\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n\nafter the table\n",
        "para\n```\ncode\n\n\nmore code\n```\nafter\n",
        RICH,
    ],
)
async def test_settled_blocks_never_need_a_rebuild(text: str, monkeypatch) -> None:
    """Streaming a character at a time ends with the blocks of a whole parse, unrebuilt."""
    rebuilds: list[str] = []
    app = FeedApp()
    async with app.run_test(size=(80, 40)) as pilot:
        markdown = app.query_one(Markdown)
        update = markdown.update

        def spy(source: str) -> AwaitComplete:
            rebuilds.append(source)
            return update(source)

        monkeypatch.setattr(markdown, "update", spy)
        await feed_in_pieces(markdown, text)
        assert rebuilds == []
        assert markdown.source == text
        reference = Markdown(text)
        await app.mount(reference)
        await pilot.pause()
        streamed_blocks = [(b.name, b.source_range) for b in markdown.query(MarkdownBlock)]
        reference_blocks = [(b.name, b.source_range) for b in reference.query(MarkdownBlock)]
        assert streamed_blocks == reference_blocks


async def test_a_complete_feed_lets_go_of_the_answer() -> None:
    """Once complete, the widget holds the answer: the feed keeps no copy of its text, none
    of the blocks it tracked and no parser (some 200 KB), and still reads the whole text."""
    app = FeedApp()
    async with app.run_test(size=(80, 40)):
        markdown = app.query_one(Markdown)
        feed = MarkdownFeed(markdown, frame_seconds=0)
        for start in range(0, len(RICH), 40):
            await feed.write(RICH[start : start + 40])
            while not feed.caught_up:
                await asyncio.sleep(0)
        parser = weakref.ref(feed._parser)
        assert feed._settled and feed._live
        await feed.close()
        await asyncio.wait_for(feed.complete.wait(), 10)
        gc.collect()
        assert parser() is None
        assert not feed._settled and not feed._tail and not feed._live and not feed._displayed
        assert feed.text == markdown.source == RICH


async def test_nothing_is_revealed_before_the_last_text_is_applied(monkeypatch) -> None:
    """The view moving while the last text is still being applied (a long frame) must not
    complete the answer, nor check its blocks, before that text is in."""
    text = "First paragraph.\n\nSecond paragraph.\n\nThird"
    app = FeedApp()
    async with app.run_test(size=(80, 20)):
        markdown = app.query_one(Markdown)
        feed = MarkdownFeed(markdown, frame_seconds=0)
        release = asyncio.Event()
        apply = MarkdownFeed._apply

        async def long_frame(self: MarkdownFeed) -> None:
            await release.wait()
            await apply(self)

        monkeypatch.setattr(MarkdownFeed, "_apply", long_frame)
        await feed.write(text)
        closing = asyncio.create_task(feed.close())
        await asyncio.sleep(0.05)
        feed.reveal_in_view()
        await asyncio.sleep(0.05)
        assert not feed.complete.is_set()
        release.set()
        await closing
        await asyncio.wait_for(feed.complete.wait(), 10)
        assert feed.text == markdown.source == text


async def test_a_reference_link_defined_earlier_is_resolved(monkeypatch) -> None:
    text = "See [the docs][docs].\n\n[docs]: https://example.com\n\nMore text.\n"
    app = FeedApp()
    async with app.run_test(size=(80, 20)) as pilot:
        markdown = app.query_one(Markdown)
        await feed_in_pieces(markdown, text)
        await pilot.pause()
        first = markdown.query(MarkdownBlock).first()
        assert "the docs" in first.content.plain and first.content.spans


@pytest.mark.parametrize("width", [30, 80, 140])
async def test_line_estimates_never_exceed_what_markdown_shows(width: int) -> None:
    """Blocks are only kept out of the DOM when the estimate says they are out of sight,
    so the estimate must be a lower bound of the lines each block really takes."""
    text = "".join(long_answer_tokens(600)) + "\n\n" + RICH + "\n\n```\n```\n"

    class Wide(App[None]):
        CSS = f"Markdown {{ width: {width}; padding: 0; }}"

        def compose(self) -> ComposeResult:
            yield AnswerMarkdown(text)

    app = Wide()
    async with app.run_test(size=(width + 4, 40)) as pilot:
        await pilot.pause()
        markdown = app.query_one(Markdown)
        shown = [g for g in groups(MarkdownIt("gfm-like").parse(text), width) if g.shows]
        blocks: list[Widget] = [b for b in markdown.children if isinstance(b, MarkdownBlock)]
        assert len(shown) == len(blocks)
        tops = [block.virtual_region.y for block in blocks]
        for index, (group, block) in enumerate(zip(shown, blocks, strict=True)):
            if index + 1 < len(blocks):
                assert tops[index + 1] - tops[index] >= group.min_lines + group.gap, group
            else:
                assert block.virtual_region.height >= group.min_lines


async def test_an_endless_line_settles_in_paragraphs() -> None:
    """One line with no end is shown as paragraphs that settle, so that a frame's work stays
    bounded however long the line grows (re-wrapping all of it would grow with each token)."""
    words = "endless " * 2_000
    app = FeedApp()
    async with app.run_test(size=(80, 20)):
        markdown = app.query_one(Markdown)
        feed = MarkdownFeed(markdown, frame_seconds=0)
        longest_tail = 0
        for start in range(0, len(words), 200):
            await feed.write(words[start : start + 200])
            while not feed.caught_up:
                await asyncio.sleep(0)
            longest_tail = max(longest_tail, len(feed._tail))
        await feed.close()
        assert longest_tail < 3 * LONG_LINE  # the paragraph being written and the one before
        assert markdown.source.replace("\n\n", "") == words
        assert len(markdown.query(MarkdownBlock)) >= len(words) // LONG_LINE
