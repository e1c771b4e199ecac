"""BM25 ranking over the bundled bakery corpus, split into line-ranged chunks."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

MAX_CHUNK_CHARS = 240
K1 = 1.5
B = 0.75

_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)


@dataclass(frozen=True)
class Chunk:
    source: str
    line_from: int
    line_to: int
    text: str

    def as_document(self, score: float | None = None) -> dict[str, object]:
        """The chunk as Flowise sends a source document; with its retrieval score where a
        retriever puts one (Flowise's rerank retrievers: `relevance_score`)."""
        metadata: dict[str, object] = {
            "loc": {"lines": {"from": self.line_from, "to": self.line_to}},
            "source": self.source,
        }
        if score is not None:
            metadata["relevance_score"] = round(score, 3)
        return {"pageContent": self.text, "metadata": metadata}


def terms(text: str) -> list[str]:
    return [
        _stem(word) for word in re.findall(r"[a-z0-9]+", text.lower()) if word not in _STOPWORDS
    ]


def _stem(word: str) -> str:
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def split_into_chunks(source: str, text: str) -> list[Chunk]:
    lines = text.splitlines()
    paragraphs = _paragraph_ranges(lines)
    chunks: list[Chunk] = []
    start: int | None = None
    end = 0
    for first, last in paragraphs:
        if start is not None and _span_length(lines, start, last) > MAX_CHUNK_CHARS:
            chunks.append(_chunk(source, lines, start, end))
            start = None
        start = first if start is None else start
        end = last
    if start is not None:
        chunks.append(_chunk(source, lines, start, end))
    return chunks


def _paragraph_ranges(lines: list[str]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    first: int | None = None
    for number, line in enumerate(lines, start=1):
        if line.strip() and first is None:
            first = number
        elif not line.strip() and first is not None:
            ranges.append((first, number - 1))
            first = None
    if first is not None:
        ranges.append((first, len(lines)))
    return ranges


def _span_length(lines: list[str], first: int, last: int) -> int:
    return len("\n".join(lines[first - 1 : last]))


def _chunk(source: str, lines: list[str], first: int, last: int) -> Chunk:
    return Chunk(source, first, last, "\n".join(lines[first - 1 : last]))


@cache
def corpus_chunks() -> tuple[Chunk, ...]:
    folder = files("flowise_tui.demo").joinpath("corpus")
    documents = sorted((item.name, item.read_text("utf-8")) for item in folder.iterdir())
    return tuple(
        chunk
        for name, text in documents
        if name.endswith(".txt")
        for chunk in split_into_chunks(name, text)
    )


class BM25Index:
    def __init__(self, chunks: tuple[Chunk, ...]) -> None:
        self.chunks = chunks
        self._term_counts = [Counter(terms(chunk.text)) for chunk in chunks]
        self._lengths = [sum(counts.values()) for counts in self._term_counts]
        self._average_length = sum(self._lengths) / max(len(chunks), 1)
        document_frequency: Counter[str] = Counter()
        for counts in self._term_counts:
            document_frequency.update(counts.keys())
        total = len(chunks)
        self._idf = {
            term: math.log((total - df + 0.5) / (df + 0.5) + 1.0)
            for term, df in document_frequency.items()
        }

    def score(self, query: str, index: int) -> float:
        counts = self._term_counts[index]
        norm = K1 * (1 - B + B * self._lengths[index] / self._average_length)
        total = 0.0
        for term in terms(query):
            frequency = counts.get(term, 0)
            if frequency:
                total += self._idf[term] * frequency * (K1 + 1) / (frequency + norm)
        return total

    def search(self, query: str, top_k: int = 2) -> list[tuple[Chunk, float]]:
        scored = [(self.score(query, i), i) for i in range(len(self.chunks))]
        ranked = sorted(
            (item for item in scored if item[0] > 0), key=lambda item: (-item[0], item[1])
        )
        return [(self.chunks[i], score) for score, i in ranked[:top_k]]


@cache
def bakery_index() -> BM25Index:
    return BM25Index(corpus_chunks())
