"""The top-level blocks of a Markdown token stream, each with a lower bound of its height.

A block's height is what decides whether it is out of sight before it has a widget, so the
estimate must never exceed what `Markdown` shows (tests/app/test_streaming.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

GAP_BELOW = frozenset({"paragraph_open", "bullet_list_open", "ordered_list_open"})
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
"""The top-level tokens `Markdown` shows as a block widget."""


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

    @property
    def lines(self) -> int:
        """Its lines and the gap below it."""
        return self.min_lines + self.gap


def groups(tokens: list[Token], width: int, offset: int = 0) -> Iterator[Group]:
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


def stacked_lines(groups: list[Group]) -> int:
    """A lower bound of the lines `groups` take on screen, one after the other."""
    if not groups:
        return 0
    return sum(group.lines for group in groups) - groups[-1].gap


def line_offset(text: str, line: int) -> int:
    """Where line number `line` of `text` starts."""
    offset = 0
    for _ in range(line):
        offset = text.index("\n", offset) + 1
    return offset
