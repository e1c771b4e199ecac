"""Split answers into word-sized stream tokens, whitespace and newlines included."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\n+|[^\S\n]*\S+[^\S\n]*|[^\S\n]+")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)
