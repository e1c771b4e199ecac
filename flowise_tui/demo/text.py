"""Small deterministic text helpers shared by the demo flows."""

from __future__ import annotations

import hashlib
import re

_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "my",
        "no",
        "not",
        "now",
        "of",
        "on",
        "or",
        "our",
        "please",
        "should",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "up",
        "us",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


def stable_index(text: str, modulo: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % modulo


def keywords(text: str, limit: int = 3) -> list[str]:
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'+#.-]*", text)
    found: list[str] = []
    seen: set[str] = set()
    for word in words:
        cleaned = word.strip(".'-")
        key = cleaned.lower()
        if cleaned and key not in _STOPWORDS and key not in seen:
            seen.add(key)
            found.append(cleaned)
    return found[:limit]


def topic(text: str) -> str:
    found = keywords(text)
    return " ".join(found) if found else "nothing in particular"


def title(text: str, width: int = 60) -> str:
    stripped = " ".join(text.split()).rstrip("?!. ")
    if not stripped:
        return "An empty question"
    if len(stripped) > width:
        stripped = stripped[: width - 1].rstrip() + "…"
    return stripped[0].upper() + stripped[1:]


def shorten(text: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


_LEADING_REQUEST = re.compile(
    r"^(please\s+)?(research|compare|explain|describe|summari[sz]e|write|plan|draft|"
    r"tell me about|tell me|what is|what are|give me|show me)\b\s*",
    re.IGNORECASE,
)


def subject(text: str) -> str:
    stripped = _LEADING_REQUEST.sub("", " ".join(text.split())).rstrip("?!. ")
    return stripped or "this topic"
