"""Stream Markdown into a `Markdown` widget at the speed of the wire.

Three things keep the cost of a frame independent of the length of the answer:

- Tokens are batched: at most one update per frame, however fast they arrive.
- Only the tail is re-parsed. A top-level block is settled (parsed and mounted once, never
  touched again) as soon as a complete line after it starts the next top-level block:
  Markdown closes a block for good at that point. The tail's widgets are updated in place.
- Widgets are the expensive part of Textual: every mounted, displayed widget in the log costs
  layout time on every later frame, of this answer and of the next ones. So settled blocks
  that arrive already scrolled out of sight (more than a screenful of text came after them
  in the same frame, while the log follows the bottom) are not mounted; blocks that scroll
  out of sight later are hidden, and give their widgets back when the answer is complete.
  What has no widget is blank space about as tall as its text (`PendingBlocks`), mounted in
  small batches, nearest first, when it comes within a screen of the view.

When every block is mounted, one parse of the whole text checks that the blocks are those a
`Markdown` of the whole text shows, and rebuilds them if not (a reference link defined in an
earlier block, say).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from flowise_tui.app.widgets.scrolling import KeepInPlace, follows_bottom, near_view

FRAME_SECONDS = 1 / 60
FRAME_SHARE = 2.0
INPUT_GRACE = 0.05
YIELD_SECONDS = 0.005
MOUNT_BATCH = 12
GAP_BELOW = frozenset({"paragraph_open", "bullet_list_open", "ordered_list_open"})
REVEAL_BATCH = 60
BLOCK_TOKENS = frozenset(
    [
        "heading_open",
        "hr",
        "paragraph_open",
        "blockquote_open",
        "bullet_list_open",
        "ordered_list_open",
        "table_open",
        "fence",
        "code_block",
    ]
)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while an answer streams.

    With the widgets of a long conversation alive, a full collection takes tens of
    milliseconds, and allocation-heavy streaming triggers one every few hundred; the garbage
    made meanwhile (replaced widgets) waits until the answer is complete.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Group:
    """The tokens of one top-level block."""

    tokens: list[Token]
    start: int
    min_lines: int
    gap: int
    offset: int = 0
    """The source line its tokens' line numbers count from."""

    @property
    def shows(self) -> int:
        """How many block widgets it makes: none for what `Markdown` does not show."""
        return 1 if self.tokens[0].type in BLOCK_TOKENS else 0


class PendingBlocks(Widget):
    """Settled blocks without widgets: blank space about as tall as they would be, until it
    comes into the view."""

    DEFAULT_CSS = "PendingBlocks { height: auto; }"

    def __init__(self, groups: list[Group]) -> None:
        super().__init__()
        self.groups = groups
        self.resize()

    def resize(self) -> None:
        self.styles.height = max(1, sum(group.min_lines + group.gap for group in self.groups))


class MarkdownFeed:
    """Feeds one `Markdown` widget: `await write(text)` per token, then `await close()`.

    `scroller` is the container the document scrolls in. With it, blocks out of its sight are
    not mounted while following the bottom, and, once the answer is complete, stand as blank
    space (`PendingBlocks`) until they scroll into view (`reveal_in_view()`). Without it
    every block is mounted at once.
    """

    def __init__(
        self,
        markdown: Markdown,
        *,
        scroller: ScrollableContainer | None = None,
        frame_seconds: float = FRAME_SECONDS,
    ) -> None:
        self.markdown = markdown
        self.frame_seconds = frame_seconds
        self._scroller = scroller
        factory = markdown._parser_factory
        self._parser = MarkdownIt("gfm-like") if factory is None else factory()
        self._pending: list[str] = []
        self._settled: list[str] = []
        self._settled_lines = 0
        self._tail = ""
        self._live: list[MarkdownBlock] = []
        self._displayed: deque[tuple[MarkdownBlock, Group]] = deque()
        self._displayed_lines = 0
        self._hidden: list[tuple[MarkdownBlock, Group]] = []
        self._wake = asyncio.Event()
        self._closing = asyncio.Event()
        self.complete = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._last_yield = self._loop.time()
        self._task = asyncio.create_task(self._run())
        self._revealing: asyncio.Task[None] | None = None
        self._applying = False

    def _following(self) -> bool:
        return self._scroller is not None and follows_bottom(self._scroller)

    def _viewport_lines(self) -> int:
        return self._scroller.scrollable_content_region.height if self._scroller else 0

    @property
    def caught_up(self) -> bool:
        """Whether everything written so far is in the widgets."""
        return not self._pending and not self._applying

    @property
    def text(self) -> str:
        """Everything written so far, shown or not."""
        return "".join([*self._settled, self._tail, *self._pending])

    async def write(self, text: str) -> None:
        """Queue text for the next frame; yields to the UI now and then, never waits for it."""
        if not text or self._closing.is_set():
            return
        self._pending.append(text)
        self._wake.set()
        now = self._loop.time()
        if now - self._last_yield > YIELD_SECONDS:
            self._last_yield = now
            await asyncio.sleep(0)

    async def close(self) -> None:
        """Show the last text now. What is out of sight stays blank space until in view."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._wake.set()
        await self._task
        await self._apply()
        self.markdown._markdown = self.text
        await self._park()
        self.reveal_in_view()

    async def _run(self) -> None:
        while not self._closing.is_set():
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
                await asyncio.wait_for(self._closing.wait(), pause)

    async def _let_input_through(self) -> None:
        """Right after a key press or a click, let its echo go on screen before the next frame
        of text, whose layout and rendering would delay it."""
        last_input = getattr(self.markdown.app, "last_input", None)
        if last_input is None:
            return
        wait = last_input + INPUT_GRACE - self._loop.time()
        if wait > 0:
            await asyncio.sleep(wait)

    async def _apply(self) -> None:
        if not self._pending:
            return
        self._applying = True
        try:
            await self._apply_pending()
        finally:
            self._applying = False

    async def _apply_pending(self) -> None:
        markdown = self.markdown
        self._tail += "".join(self._pending)
        self._pending.clear()
        if not markdown.is_attached:
            return
        width = markdown.content_region.width
        groups = list(_groups(self._parser.parse(self._tail), width, self._settled_lines))
        complete_lines = self._tail.count("\n")
        settled = 0
        for index in range(1, len(groups)):
            if groups[index].start < complete_lines:
                settled = index
        known = min(len(self._live), len(groups))
        shown_from = self._first_shown(groups, known, settled)
        async with markdown.lock:
            await self._show(self._blocks(groups[:known]))
            if shown_from > known:
                last = markdown.children[-1] if markdown.children else None
                if not known and isinstance(last, PendingBlocks):
                    last.groups.extend(groups[known:shown_from])
                    last.resize()
                else:
                    await markdown.mount(PendingBlocks(groups[known:shown_from]))
            await self._mount_blocks(self._blocks(groups[shown_from:]))
        markdown._markdown = self.text
        if settled:
            mounted = groups[: min(known, settled)] + groups[shown_from:settled]
            self._settle(groups[settled].start, [group for group in mounted if group.shows])
        self._hide_scrolled(_lines(groups[settled:]))

    def _first_shown(self, groups: list[Group], kept: int, settled: int) -> int:
        """The first group to mount now; settled ones before it are out of sight."""
        budget = self._viewport_lines()
        if budget <= 0 or not self._following():
            return kept
        lines_after = 0
        index = len(groups)
        while index > kept and lines_after < budget:
            index -= 1
            lines_after += groups[index].min_lines
            if index < len(groups) - 1:
                lines_after += groups[index].gap
        return max(kept, min(index, settled)) if lines_after >= budget else kept

    def _settle(self, cut_line: int, groups: list[Group]) -> None:
        cut = _line_offset(self._tail, cut_line)
        self._settled.append(self._tail[:cut])
        self._tail = self._tail[cut:]
        self._settled_lines += cut_line
        for block, group in zip(self._live, groups, strict=False):
            self._displayed.append((block, group))
            self._displayed_lines += group.min_lines + group.gap
        self._live = self._live[len(groups) :]

    def _hide_scrolled(self, live_lines: int) -> None:
        """Hide settled blocks that a screenful of text below has pushed out of sight."""
        budget = self._viewport_lines()
        if budget <= 0 or not self._following():
            return
        displayed = self._displayed
        while displayed:
            block, group = displayed[0]
            lines = group.min_lines + group.gap
            if live_lines + self._displayed_lines - lines < budget:
                break
            displayed.popleft()
            self._displayed_lines -= lines
            block.display = False
            self._hidden.append((block, group))

    def _blocks(self, groups: list[Group]) -> list[MarkdownBlock]:
        blocks: list[MarkdownBlock] = []
        for group in groups:
            for block in self.markdown._parse_markdown(group.tokens):
                _shift(block, group.offset)
                blocks.append(block)
        return blocks

    async def _show(self, blocks: list[MarkdownBlock]) -> None:
        """Make the live widgets show `blocks`, reusing those that can be updated in place."""
        kept = 0
        for old, new in zip(self._live, blocks, strict=False):
            if not _update_in_place(old, new):
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
                self.markdown._table_of_contents = None

    async def _mount_nearest(self) -> None:
        """While streaming with the view away from the bottom: show a batch of hidden
        blocks, or mount one of pending ones, nearest to the bottom first."""
        markdown = self.markdown
        if not markdown.is_attached:
            return
        if self._hidden:
            with markdown.app.batch_update():
                for block, _ in self._hidden[-REVEAL_BATCH:]:
                    block.display = True
            del self._hidden[-REVEAL_BATCH:]
            self._displayed.clear()
            self._displayed_lines = 0
            return
        waiting = markdown.query_children(PendingBlocks)
        if waiting:
            await self._mount_batch(waiting.last())

    async def _mount_batch(self, pending: PendingBlocks) -> None:
        """Mount the last few blocks `pending` stands for, just after it."""
        markdown = self.markdown
        batch = pending.groups[-MOUNT_BATCH:]
        del pending.groups[-MOUNT_BATCH:]
        async with markdown.lock:
            blocks = self._blocks(batch)
            if blocks:
                await markdown.mount_all(blocks, after=pending)
            if pending.groups:
                pending.resize()
            else:
                await pending.remove()

    async def _park(self) -> None:
        """The answer is complete: blocks hidden while it streamed give back their widgets.
        Each run of them, with the placeholders beside it, becomes one placeholder."""
        markdown = self.markdown
        hidden = dict(self._hidden)
        self._hidden.clear()
        self._displayed.clear()
        self._displayed_lines = 0
        if not markdown.is_attached:
            return
        gone: list[Widget] = []
        created: list[tuple[PendingBlocks, Widget]] = []
        run: PendingBlocks | None = None
        for child in markdown.children:
            if isinstance(child, PendingBlocks):
                if run is None:
                    run = child
                else:
                    run.groups.extend(child.groups)
                    gone.append(child)
            elif child in hidden:
                if run is None:
                    run = PendingBlocks([])
                    created.append((run, child))
                run.groups.append(hidden[child])  # type: ignore[index]
                gone.append(child)
            else:
                run = None
        if not gone:
            return
        async with markdown.lock:
            for placeholder, before in created:
                await markdown.mount(placeholder, before=before)
            await markdown.remove_children(gone)
            for placeholder in markdown.query_children(PendingBlocks):
                placeholder.resize()

    def reveal_in_view(self) -> None:
        """Once the answer is complete: mount the blocks that blank space stands for if it is
        within a screen of the view; with none left, check the blocks and set `complete`."""
        if not self._closing.is_set() or self.complete.is_set():
            return
        if self._revealing is not None and not self._revealing.done():
            return
        markdown = self.markdown
        waiting = list(markdown.query_children(PendingBlocks)) if markdown.is_attached else []
        if waiting and self._scroller is not None:
            near = near_view(self._scroller)
            waiting = [pending for pending in waiting if pending.region.overlaps(near)]
            if not waiting:
                return
        self._revealing = asyncio.create_task(self._reveal(waiting[-1] if waiting else None))

    async def _reveal(self, pending: PendingBlocks | None) -> None:
        if pending is None:
            await self._verify()
            self.complete.set()
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
        scroller = self._scroller
        children = self.markdown.children
        index = children.index(pending)
        after = children[index + 1] if index + 1 < len(children) else None
        if scroller is None or after is None:
            return None
        if not scroller.content_region.y <= after.region.y < scroller.content_region.bottom:
            return None
        return KeepInPlace(scroller, after).start()

    async def _verify(self) -> None:
        markdown = self.markdown
        text = self.text
        markdown._markdown = text
        markdown._table_of_contents = None
        lines = text.splitlines()
        markdown._last_parsed_line = len(lines) - (1 if lines and lines[-1] else 0)
        if not markdown.is_attached:
            return
        env: dict = {}
        expected = [
            (token.type, tuple(token.map))
            for token in self._parser.parse(text, env)
            if token.level == 0 and token.map is not None and token.type in BLOCK_TOKENS
        ]
        shown = [
            (block.name, block.source_range)
            for block in markdown.children
            if isinstance(block, MarkdownBlock)
        ]
        if env.get("references") or expected != shown:
            await markdown.update(text)


def _groups(tokens: list[Token], width: int, offset: int = 0) -> Iterator[Group]:
    """Split a token stream into top-level blocks, each with a lower bound of its height
    when `width` cells wide; their line numbers count from `offset`."""
    group: list[Token] = []
    lines = 0
    tables = 0
    for token in tokens:
        group.append(token)
        kind = token.type
        if kind == "table_open":
            tables += 1
        elif kind == "table_close":
            tables -= 1
        elif kind in ("tr_open", "hr"):
            lines += 1
        elif kind == "inline" and not tables:
            lines += _text_lines(token, width)
        elif kind in ("fence", "code_block"):
            code = token.content.rstrip("\n")
            lines += 2 + (code.count("\n") + 1 if code else 0)
        if token.level == 0 and token.nesting <= 0:
            start = group[0].map[0] if group[0].map else 0
            gap = 1 if group[0].type in GAP_BELOW else 0
            yield Group(group, start, max(1, lines), gap, offset)
            group, lines = [], 0


def _text_lines(inline: Token, width: int) -> int:
    """At least one line, and at least as many as the text needs at one cell a character."""
    length = sum(
        len(child.content)
        for child in inline.children or ()
        if child.type in ("text", "code_inline")
    )
    return max(1, -(-length // width)) if width > 0 else 1


def _lines(groups: list[Group]) -> int:
    """A lower bound of the lines `groups` take on screen, one after the other."""
    if not groups:
        return 0
    return sum(group.min_lines + group.gap for group in groups) - groups[-1].gap


def _shift(block: MarkdownBlock, lines: int) -> None:
    """Make the source lines of a block parsed from the tail count from the top."""
    start, end = block.source_range
    block.source_range = (start + lines, end + lines)
    for child in block._blocks:
        _shift(child, lines)


def _update_in_place(old: MarkdownBlock, new: MarkdownBlock) -> bool:
    """Give `old` the content of `new` when both are a paragraph, or both a code fence."""
    if type(old) is not type(new) or old.name not in ("paragraph_open", "fence"):
        return False
    old.source_range = new.source_range
    if old.name == "fence":
        if old._highlighted_code != new._highlighted_code:  # type: ignore[attr-defined]
            old._copy_context(new)
            old.set_content(new._highlighted_code)  # type: ignore[attr-defined]
    elif old._content != new._content:
        old._copy_context(new)
        old.set_content(new._content)
    return True


def _line_offset(text: str, line: int) -> int:
    """Where line number `line` of `text` starts."""
    offset = 0
    for _ in range(line):
        offset = text.index("\n", offset) + 1
    return offset
