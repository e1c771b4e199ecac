"""Stream Markdown into a `Markdown` widget at the speed of the wire.

Three things keep the cost of a frame independent of the length of the answer:

- Tokens are batched: at most one update per frame, however fast they arrive.
- Only the tail is re-parsed. A top-level block is settled (parsed and mounted once, never
  touched again) as soon as a complete line after it starts the next top-level block:
  Markdown closes a block for good at that point. The tail's widgets are updated in place.
- What is out of sight has no widgets (see `sight`): settled blocks that arrive out of
  sight are not mounted, blocks that scroll out of sight give theirs back, and blank space
  (`PendingBlocks`) stands for them until it comes within a screen of the view.

When every block is mounted, one parse of the whole text checks that the blocks are those a
`Markdown` of the whole text shows, and rebuilds them if not (a reference link defined in an
earlier block, say).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import TYPE_CHECKING

from textual.widgets.markdown import MarkdownBlock

from flowise_tui.app.log.groups import BLOCK_TOKENS, Group, groups, line_offset, stacked_lines
from flowise_tui.app.log.placeholder import PendingBlocks
from flowise_tui.app.log.scrolling import KeepInPlace
from flowise_tui.app.log.textual_adapter import markdown as adapter

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from textual.widget import Widget
    from textual.widgets import Markdown

    from flowise_tui.app.log.pacing import Pacing
    from flowise_tui.app.log.sight import Sight

FRAME_SECONDS = 1 / 60
FRAME_SHARE = 2.0
YIELD_SECONDS = 0.001
"""How long the writer may read the wire before the screen's tasks get a turn: each step
of a key's way to the screen (a handful) waits for one such turn."""
PARSE_ASIDE = 8_000
"""Text longer than this (characters) is parsed in a thread, so that the keys' echo does
not wait for the parser."""
LONG_LINE = 4_000
"""A line longer than this (characters) is shown as paragraphs of about this length. An
unfinished paragraph is parsed, wrapped and drawn again on every frame, so one endless line
would cost more with each token; broken up, the paragraphs before the last one settle. The
answer itself (history, copy, export) keeps the line whole."""


class MarkdownFeed:
    """Feeds one `Markdown` widget: `await write(text)` per token, then `await close()`.

    With a `sight`, blocks out of sight are not mounted while following the bottom, and,
    once the answer is complete, stand as blank space (`PendingBlocks`) until they come near
    the view (`reveal_in_view()`). Without one every block is mounted at once. With a
    `pacing`, the next frame and the writer wait for the echo of a key just pressed.
    """

    def __init__(
        self,
        markdown: Markdown,
        *,
        sight: Sight | None = None,
        pacing: Pacing | None = None,
        frame_seconds: float = FRAME_SECONDS,
    ) -> None:
        self.markdown = markdown
        self.frame_seconds = frame_seconds
        self._sight = sight
        self._pacing = pacing
        self._parser: MarkdownIt | None = None
        self._pending: list[str] = []
        self._settled: list[str] = []
        self._settled_lines = 0
        self._tail = ""
        self._line_length = 0
        self._live: list[MarkdownBlock] = []
        self._displayed: deque[tuple[MarkdownBlock, Group]] = deque()
        self._displayed_lines = 0
        self._wake = asyncio.Event()
        self._ending = asyncio.Event()
        self._closed = False
        """The last text is applied: what is left is revealing blank space."""
        self.complete = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._last_yield = self._loop.time()
        self._task = asyncio.create_task(self._run())
        self._revealing: asyncio.Task[None] | None = None
        self._applied = asyncio.Event()
        """Clear while a frame of text goes on screen."""
        self._applied.set()

    def _following(self) -> bool:
        return self._sight is not None and self._sight.following

    @property
    def caught_up(self) -> bool:
        """Whether everything written so far is in the widgets."""
        return not self._pending and self._applied.is_set()

    @property
    def text(self) -> str:
        """Everything written so far, shown or not."""
        if self.complete.is_set():
            return self.markdown.source
        return "".join([*self._settled, self._tail, *self._pending])

    def _parse(self, text: str, env: dict | None = None) -> list[Token]:
        if self._parser is None:
            self._parser = adapter.parser_for(self.markdown)
        return self._parser.parse(text, env)

    @property
    def at_rest(self) -> bool:
        """The last text is applied and no blank space is being mounted: the widget holds
        the whole answer, some of it as blank space (`PendingBlocks`) maybe."""
        return self._closed and (self._revealing is None or self._revealing.done())

    async def write(self, text: str) -> None:
        """Queue text for the next frame. Now and then, makes way for the screen (see
        `_make_way`)."""
        if not text or self._ending.is_set():
            return
        newline = text.rfind("\n")
        self._line_length = (
            len(text) - newline - 1 if newline >= 0 else self._line_length + len(text)
        )
        if self._line_length > LONG_LINE:
            text += "\n\n"
            self._line_length = 0
        self._pending.append(text)
        self._wake.set()
        now = self._loop.time()
        if now - self._last_yield > YIELD_SECONDS:
            await self._make_way()
            self._last_yield = self._loop.time()

    async def _make_way(self) -> None:
        """The writer (reading the wire) waits while a frame of text goes on screen and
        while the echo of a key just pressed does: both take many turns of the event loop,
        and text read meanwhile would only wait for the next frame."""
        await asyncio.sleep(0)
        while True:
            grace = self._pacing.input_grace() if self._pacing is not None else 0.0
            if grace > 0:
                await asyncio.sleep(grace)
            elif not self._applied.is_set():
                await self._applied.wait()
            else:
                return

    async def close(self) -> None:
        """Show the last text now. What is out of sight stays blank space until in view."""
        if self._ending.is_set():
            return
        self._ending.set()
        self._wake.set()
        await self._task
        await self._apply()
        adapter.set_source(self.markdown, self.text)
        self._closed = True
        self.reveal_in_view()

    async def _run(self) -> None:
        while not self._ending.is_set():
            await self._wake.wait()
            self._wake.clear()
            await self._let_input_through()
            started = self._loop.time()
            await self._apply()
            if not self._following():
                await self._mount_nearest()
            # A frame that took long (much text at once) is followed by a longer pause, so
            # that its rendering and the user's keys get the loop too.
            pause = max(self.frame_seconds, FRAME_SHARE * (self._loop.time() - started))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ending.wait(), pause)

    async def _let_input_through(self) -> None:
        """Right after a key press or a click, let its echo go on screen before the next frame
        of text, whose layout and rendering would delay it."""
        wait = self._pacing.input_grace() if self._pacing is not None else 0.0
        if wait > 0:
            await asyncio.sleep(wait)

    async def _apply(self) -> None:
        if not self._pending:
            return
        self._applied.clear()
        try:
            await self._apply_pending()
        finally:
            self._applied.set()

    async def _apply_pending(self) -> None:
        markdown = self.markdown
        self._tail += "".join(self._pending)
        self._pending.clear()
        if not markdown.is_attached:
            return
        tail = await self._groups(self._tail, markdown.content_region.width)
        complete_lines = self._tail.count("\n")
        settled = 0
        for index in range(1, len(tail)):
            if tail[index].start < complete_lines:
                settled = index
        known = min(len(self._live), len(tail))
        shown_from = self._first_shown(tail, known, settled)
        async with markdown.lock:
            await self._show(self._widgets_for(tail[:known]))
            if shown_from > known:
                last = markdown.children[-1] if markdown.children else None
                if not known and isinstance(last, PendingBlocks):
                    last.groups.extend(tail[known:shown_from])
                    last.resize()
                else:
                    await markdown.mount(PendingBlocks(tail[known:shown_from]))
            await self._mount_blocks(self._widgets_for(tail[shown_from:]))
        adapter.set_source(markdown, self.text)
        if settled:
            mounted = tail[: min(known, settled)] + tail[shown_from:settled]
            self._settle(tail[settled].start, [group for group in mounted if group.shows])
        await self._give_back_scrolled(stacked_lines(tail[settled:]))

    async def _groups(self, text: str, width: int) -> list[Group]:
        """The top-level blocks of `text`, the tail of the answer."""

        def split() -> list[Group]:
            return list(groups(self._parse(text), width, self._settled_lines))

        if len(text) > PARSE_ASIDE:
            return await self._loop.run_in_executor(None, split)
        return split()

    def _first_shown(self, tail: list[Group], kept: int, settled: int) -> int:
        """The first group to mount now; settled ones before it are out of sight."""
        if self._sight is None:
            return kept
        return self._sight.first_in_sight(tail, kept, settled)

    def _settle(self, cut_line: int, settled: list[Group]) -> None:
        cut = line_offset(self._tail, cut_line)
        self._settled.append(self._tail[:cut])
        self._tail = self._tail[cut:]
        self._settled_lines += cut_line
        for block, group in zip(self._live, settled, strict=False):
            self._displayed.append((block, group))
            self._displayed_lines += group.lines
        self._live = self._live[len(settled) :]

    async def _give_back_scrolled(self, live_lines: int) -> None:
        """Settled blocks that the text below has pushed out of sight give back their
        widgets; blank space stands for them."""
        sight = self._sight
        if sight is None or not sight.following:
            return
        displayed = self._displayed
        gone: dict[Widget, Group] = {}
        while displayed:
            block, group = displayed[0]
            if not sight.pushed_out(live_lines + self._displayed_lines - group.lines):
                break
            displayed.popleft()
            self._displayed_lines -= group.lines
            gone[block] = group
        if gone:
            await self._stand_in_for(gone)

    def _widgets_for(self, tail: list[Group]) -> list[MarkdownBlock]:
        blocks: list[MarkdownBlock] = []
        for group in tail:
            for block in adapter.parse_blocks(self.markdown, group.tokens):
                adapter.shift_lines(block, group.offset)
                blocks.append(block)
        return blocks

    async def _show(self, blocks: list[MarkdownBlock]) -> None:
        """Make the live widgets show `blocks`, reusing those that can be updated in place."""
        kept = 0
        for old, new in zip(self._live, blocks, strict=False):
            if not adapter.update_in_place(old, new):
                break
            kept += 1
        stale = self._live[kept:]
        if stale:
            await self.markdown.remove_children(stale)
        self._live = self._live[:kept]
        await self._mount_blocks(blocks[kept:])

    async def _mount_blocks(self, blocks: list[MarkdownBlock]) -> None:
        if blocks:
            await self.markdown.mount_all(blocks)
            self._live.extend(blocks)
            if any(block.name == "heading_open" for block in blocks):
                adapter.headings_changed(self.markdown)

    async def _mount_nearest(self) -> None:
        """While streaming with the view away from the bottom: mount a batch of the blocks
        that blank space stands for, nearest to the bottom first."""
        markdown = self.markdown
        if not markdown.is_attached:
            return
        self._displayed.clear()
        self._displayed_lines = 0
        waiting = markdown.query_children(PendingBlocks)
        if waiting:
            await self._mount_batch(waiting.last())

    async def _mount_batch(self, pending: PendingBlocks) -> None:
        """Mount the last few blocks `pending` stands for, just after it."""
        markdown = self.markdown
        size = self._sight.mount_batch if self._sight is not None else len(pending.groups)
        batch = pending.groups[-size:]
        del pending.groups[-size:]
        async with markdown.lock:
            blocks = self._widgets_for(batch)
            if blocks:
                await markdown.mount_all(blocks, after=pending)
            if pending.groups:
                pending.resize()
            else:
                await pending.remove()

    async def _stand_in_for(self, gone: dict[Widget, Group]) -> None:
        """Remove the blocks `gone`; each run of them, with the placeholders beside it,
        becomes one placeholder."""
        markdown = self.markdown
        if not markdown.is_attached:
            return
        removed: list[Widget] = []
        created: list[tuple[PendingBlocks, Widget]] = []
        run: PendingBlocks | None = None
        for child in markdown.children:
            if isinstance(child, PendingBlocks):
                if run is None:
                    run = child
                else:
                    run.groups.extend(child.groups)
                    removed.append(child)
            elif child in gone:
                if run is None:
                    run = PendingBlocks([])
                    created.append((run, child))
                run.groups.append(gone[child])
                removed.append(child)
            else:
                run = None
        async with markdown.lock:
            for placeholder, before in created:
                await markdown.mount(placeholder, before=before)
            await markdown.remove_children(removed)
            for placeholder in markdown.query_children(PendingBlocks):
                placeholder.resize()

    def reveal_in_view(self) -> None:
        """Once the answer is complete: mount the blocks that blank space stands for if it is
        within a screen of the view; with none left, check the blocks and set `complete`."""
        if not self._closed or self.complete.is_set():
            return  # until the last text is applied, a view moving about mounts nothing
        if self._revealing is not None and not self._revealing.done():
            return
        markdown = self.markdown
        waiting = list(markdown.query_children(PendingBlocks)) if markdown.is_attached else []
        if waiting and self._sight is not None:
            waiting = [pending for pending in waiting if self._sight.is_near(pending)]
            if not waiting:
                return
        self._revealing = asyncio.create_task(self._reveal(waiting[-1] if waiting else None))

    async def _reveal(self, pending: PendingBlocks | None) -> None:
        if pending is None:
            await self._verify()
            self.complete.set()
            self._let_go()
            return
        keeper = self._keep_in_place(pending)
        while pending.groups and pending.is_attached:
            await self._mount_batch(pending)
            if keeper is not None:
                keeper.extend()
            await asyncio.sleep(self.frame_seconds)
        self._revealing = None
        self.reveal_in_view()

    def _keep_in_place(self, pending: PendingBlocks) -> KeepInPlace | None:
        """What follows `pending`, when it is in sight, stays put as blocks go in above it."""
        if self._sight is None:
            return None
        scroller = self._sight.scroller
        children = self.markdown.children
        index = children.index(pending)
        after = children[index + 1] if index + 1 < len(children) else None
        if after is None:
            return None
        if not scroller.content_region.y <= after.region.y < scroller.content_region.bottom:
            return None
        return KeepInPlace(scroller, after).start()

    def _let_go(self) -> None:
        """Once complete, the widget holds the answer (`text` reads its source): the feed
        lets go of its own copy, of the blocks it tracked and of its parser (some 200 KB)."""
        self._settled.clear()
        self._tail = ""
        self._live.clear()
        self._displayed.clear()
        self._displayed_lines = 0
        self._parser = None

    async def _verify(self) -> None:
        markdown = self.markdown
        text = self.text
        adapter.set_source(markdown, text, complete=True)
        if not markdown.is_attached:
            return
        env: dict = {}
        tokens = await self._loop.run_in_executor(None, self._parse, text, env)
        expected = [
            (token.type, tuple(token.map))
            for token in tokens
            if token.level == 0 and token.map is not None and token.type in BLOCK_TOKENS
        ]
        shown = [
            (block.name, block.source_range)
            for block in markdown.children
            if isinstance(block, MarkdownBlock)
        ]
        if env.get("references") or expected != shown:
            await markdown.update(text)
