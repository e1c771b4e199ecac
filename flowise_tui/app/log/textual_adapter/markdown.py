"""The Markdown widget's internals the streaming log relies on (see the package's docstring;
each is listed in its `INTERNALS`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from textual.geometry import Size
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

if TYPE_CHECKING:
    from markdown_it.token import Token
    from textual.layout import DockArrangeResult


def parser_for(markdown: Markdown) -> MarkdownIt:
    """A parser configured as the one `markdown` uses for `update()`."""
    factory = markdown._parser_factory
    return MarkdownIt("gfm-like") if factory is None else factory()


def parse_blocks(markdown: Markdown, tokens: Iterable[Token]) -> Iterable[MarkdownBlock]:
    """The block widgets `markdown` would make of `tokens`, not mounted."""
    return markdown._parse_markdown(tokens)


def set_source(markdown: Markdown, text: str, *, complete: bool = False) -> None:
    """Make `markdown.source` read `text` without parsing it (the blocks are already there).
    `complete`: the blocks are those of the whole text, so `append()` and the table of
    contents start from them."""
    markdown._markdown = text
    if complete:
        markdown._table_of_contents = None
        lines = text.splitlines()
        markdown._last_parsed_line = len(lines) - (1 if lines and lines[-1] else 0)


def headings_changed(markdown: Markdown) -> None:
    """The table of contents is made again when next asked for."""
    markdown._table_of_contents = None


def shift_lines(block: MarkdownBlock, lines: int) -> None:
    """Make the source lines of a block, and of the blocks nested in it, count `lines` on."""
    start, end = block.source_range
    block.source_range = (start + lines, end + lines)
    for child in block._blocks:
        shift_lines(child, lines)


def update_in_place(old: MarkdownBlock, new: MarkdownBlock) -> bool:
    """Give mounted `old` the content of unmounted `new` when both are a paragraph, or both
    a code fence; False (and nothing done) otherwise."""
    if type(old) is not type(new) or old.name not in ("paragraph_open", "fence"):
        return False
    old.source_range = new.source_range
    if isinstance(old, MarkdownFence) and isinstance(new, MarkdownFence):
        if old._highlighted_code != new._highlighted_code:
            old._copy_context(new)
            old.set_content(new._highlighted_code)
    elif old._content != new._content:
        old._copy_context(new)
        old.set_content(new._content)
    return True


class LaidOutOnce(Markdown):
    """A `Markdown` whose blocks keep their cached layout while the document grows.

    The blocks are all auto height, so arranging them in zero height places them the same;
    it keeps each block's cached size valid, instead of laying out every block again on
    each frame of a streamed answer.
    """

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        return super().arrange(Size(size.width, 0), optimal)
