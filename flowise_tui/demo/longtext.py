"""`/long N`: a deterministic Markdown answer of exactly N tokens, for benchmarks."""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_LONG_TOKENS = 100_000

_COMMAND = re.compile(r"\s*/long\s+(\d+)\s*")

_WORDS = [
    "the",
    "terminal",
    "renders",
    "each",
    "token",
    "as",
    "soon",
    "as",
    "it",
    "arrives",
    "while",
    "the",
    "parser",
    "keeps",
    "partial",
    "lines",
    "in",
    "a",
    "buffer",
    "and",
    "the",
    "screen",
    "repaints",
    "only",
    "the",
    "widgets",
    "that",
    "changed",
    "so",
    "a",
    "long",
    "answer",
    "scrolls",
    "smoothly",
    "even",
    "when",
    "thousands",
    "of",
    "words",
    "stream",
    "in",
]


def parse_long_command(question: str) -> int | None:
    match = _COMMAND.fullmatch(question)
    if match is None:
        return None
    return min(int(match.group(1)), MAX_LONG_TOKENS)


def long_answer_tokens(count: int) -> list[str]:
    tokens: list[str] = []
    blocks = _blocks()
    while True:
        remaining = count - len(tokens)
        block = next(blocks)
        if len(block) > remaining:
            tokens.extend(_filler(remaining))
            return tokens
        tokens.extend(block)


def _blocks() -> Iterator[list[str]]:
    section = 0
    while True:
        section += 1
        yield ["## ", "Section ", f"{section}", "\n\n"]
        yield _paragraph(section, 42)
        yield _bullets(section)
        yield _paragraph(section + 7, 30)
        yield _code(section)


def _paragraph(seed: int, length: int) -> list[str]:
    words = [_WORDS[(seed * 5 + i) % len(_WORDS)] for i in range(length)]
    words[0] = words[0].capitalize()
    return [f"{word} " for word in words[:-1]] + [f"{words[-1]}.", "\n\n"]


def _bullets(seed: int) -> list[str]:
    tokens: list[str] = []
    for item in range(1, 5):
        word = _WORDS[(seed * 3 + item) % len(_WORDS)]
        tokens += ["- ", "**Item ", f"{seed}.{item}**: ", f"{word}", "\n"]
    return [*tokens, "\n"]


def _code(seed: int) -> list[str]:
    return [
        "```python\n",
        f"def section_{seed}(tokens: list[str]) -> str:\n",
        "    return ",
        '"".join(tokens)\n',
        "```\n",
        "\n",
    ]


def _filler(count: int) -> list[str]:
    if count <= 0:
        return []
    words = [f"{_WORDS[i % len(_WORDS)]} " for i in range(count)]
    words[-1] = words[-1].rstrip() + "."
    return words
