"""What a retrieval flow retrieved, to inspect: chunks grouped by document, in rank order.

A flow sends its source documents best first. Here they become groups, one per document
(its source or file name), ordered by the rank of the group's best chunk; inside a group the
chunks keep their rank. A chunk sent again with the same text and metadata is shown once,
with a count. Pure data: the app, `ask --show sources` and the export all use it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flowise_tui.text import strip_controls

if TYPE_CHECKING:
    from flowise_tui.flowise.models import SourceDocument

SCORE_KEYS = ("score", "relevance_score", "relevancy_score", "similarity", "similarityScore")
"""Metadata keys a score is found under: Flowise's rerank retrievers write
`relevance_score`, its reciprocal rank fusion `relevancy_score`; other stores `score`."""
URL_KEYS = ("url", "source", "href", "link")
WEB_SCHEMES = frozenset({"http", "https"})


def web_link(href: object) -> str | None:
    """`href` if it is an http(s) URL a browser may be asked to open, else None.

    A URL from a server is its text: a `file:` path, a program name or any other scheme is
    never handed on, nor one with controls or spaces in it.
    """
    if not isinstance(href, str) or strip_controls(href) != href:
        return None
    if any(c.isspace() for c in href):
        return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return href


def score_of(document: SourceDocument) -> float | None:
    """The chunk's retrieval score, when its metadata holds one."""
    for key in SCORE_KEYS:
        value = document.metadata.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
            if number == number and abs(number) != float("inf"):
                return number
    return None


def url_of(document: SourceDocument) -> str | None:
    """The chunk's web address (its `url`, or a `source` that is one), if http(s)."""
    for key in URL_KEYS:
        url = web_link(document.metadata.get(key))
        if url is not None:
            return url
    return None


@dataclass(frozen=True)
class Chunk:
    """One distinct chunk: where it first came (`rank`, from 1), how often it came."""

    document: SourceDocument
    rank: int
    count: int = 1

    @property
    def score(self) -> float | None:
        return score_of(self.document)

    @property
    def url(self) -> str | None:
        return url_of(self.document)


@dataclass(frozen=True)
class SourceGroup:
    """The chunks of one document, best first."""

    name: str
    chunks: tuple[Chunk, ...]

    @property
    def url(self) -> str | None:
        for chunk in self.chunks:
            if chunk.url is not None:
                return chunk.url
        return None

    @property
    def best_score(self) -> float | None:
        scores = [c.score for c in self.chunks if c.score is not None]
        return max(scores) if scores else None


def _identity(document: SourceDocument) -> str:
    try:
        meta = json.dumps(document.metadata, sort_keys=True, default=str)
    except (TypeError, ValueError):
        meta = repr(document.metadata)
    return document.page_content.strip() + "\x00" + meta


def distinct_chunks(documents: Iterable[SourceDocument]) -> list[Chunk]:
    """The documents in the order sent, each distinct one once, with how often it came."""
    first: dict[str, int] = {}
    chunks: list[Chunk] = []
    for rank, document in enumerate(documents, start=1):
        key = _identity(document)
        if key in first:
            index = first[key]
            kept = chunks[index]
            chunks[index] = Chunk(kept.document, kept.rank, kept.count + 1)
        else:
            first[key] = len(chunks)
            chunks.append(Chunk(document, rank))
    return chunks


def group_sources(documents: Iterable[SourceDocument]) -> list[SourceGroup]:
    """Chunks grouped by document, the groups in the rank of their best chunk."""
    groups: dict[str, list[Chunk]] = {}
    for chunk in distinct_chunks(documents):
        groups.setdefault(chunk.document.title, []).append(chunk)
    return [SourceGroup(name, tuple(chunks)) for name, chunks in groups.items()]


def in_order(groups: Sequence[SourceGroup]) -> list[Chunk]:
    """Every chunk, group after group: the order next and previous go through them."""
    return [chunk for group in groups for chunk in group.chunks]


def score_text(score: float) -> str:
    return f"{score:.3f}" if abs(score) < 1000 else f"{score:.3g}"
