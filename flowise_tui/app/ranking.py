"""Many candidates ranked against one query, best first, worked out only as far as read.

The order is Textual's command palette order: score, highest first, and candidates of
equal score in their given order. Holding the query as a substring scores at once, and
such scores take only a few values, so those candidates fall into a few buckets. The
others need a search each; they are searched in the order of an upper bound on their
score, and only until no unsearched one could come before the next to be returned.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowise_tui.app.fuzzy import Candidate, Query


class Ranking:
    """The candidates matching `query` among those of `pool` (indices into `candidates`)."""

    def __init__(self, query: Query, candidates: Sequence[Candidate], pool: Iterable[int]) -> None:
        self.query = query
        self.candidates = candidates
        self.matches: list[int] = []
        """Indices of every match, in their given order: the pool for a longer query."""
        self._apart: list[int] = []
        self._offsets: dict[int, Sequence[int]] = {}
        buckets: dict[tuple[bool, bool], list[int]] = {}
        text = query.text
        could_match = query.could_match
        add_match, add_apart = self.matches.append, self._apart.append
        for index in pool:
            candidate = candidates[index]
            folded = candidate.folded
            location = folded.find(text)
            if location >= 0:
                key = (folded == text, location in candidate.firsts)
                bucket = buckets.get(key)
                if bucket is None:
                    bucket = buckets[key] = []
                bucket.append(index)
                add_match(index)
            elif could_match(candidate):
                add_apart(index)
                add_match(index)
        by_score: dict[float, list[int]] = {}
        for (exact, starts_word), bucket in buckets.items():
            by_score.setdefault(query.whole_score(exact, starts_word), []).extend(bucket)
        self._whole = sorted(
            ((score, sorted(bucket)) for score, bucket in by_score.items()),
            key=lambda item: -item[0],
        )
        self._order = self._ordered()
        self._taken: list[tuple[int, float]] = []

    def __len__(self) -> int:
        return len(self.matches)

    def take(self, count: int) -> list[tuple[int, float]]:
        """The first `count` matches (fewer if there are fewer), as (index, score)."""
        while len(self._taken) < count:
            item = next(self._order, None)
            if item is None:
                break
            self._taken.append(item)
        return self._taken[:count]

    def at(self, position: int) -> int | None:
        """The candidate index of the match at `position` (0 is the best), if there is one."""
        if position >= len(self._taken):
            self.take(position + 1)
        return self._taken[position][0] if position < len(self._taken) else None

    def offsets(self, index: int) -> Sequence[int]:
        """Where the query's letters are in a match taken (the ones to highlight)."""
        found = self._offsets.get(index)
        if found is None:
            found = self.query.match(self.candidates[index])[1]
        return found

    def _by_bound(self) -> Iterator[tuple[float, int]]:
        """The candidates found only apart, by their upper bound, then their order."""
        by_bound: dict[float, list[int]] = {}
        bound = self.query.apart_bound
        for index in self._apart:
            by_bound.setdefault(bound(self.candidates[index]), []).append(index)
        for score, bucket in sorted(by_bound.items(), key=lambda item: -item[0]):
            for index in bucket:
                yield score, index

    def _ordered(self) -> Iterator[tuple[int, float]]:
        whole = ((score, index) for score, bucket in self._whole for index in bucket)
        searched: list[tuple[float, int]] = []  # (-score, index): a heap
        next_whole = next(whole, None)
        bounded: Iterator[tuple[float, int]] | None = None
        next_bounded: tuple[float, int] | None = None
        query, candidates = self.query, self.candidates
        while True:
            if bounded is None and self._apart and self._apart_may_come(next_whole):
                bounded = self._by_bound()
                next_bounded = next(bounded, None)
            best = self._first(next_whole, searched)
            while next_bounded is not None and (best is None or _before(next_bounded, best)):
                index = next_bounded[1]
                score, self._offsets[index] = query.apart_match(candidates[index])
                heapq.heappush(searched, (-score, index))
                next_bounded = next(bounded, None)  # type: ignore[arg-type]
                best = self._first(next_whole, searched)
            if best is None:
                return
            score, index = best
            if next_whole is not None and next_whole[1] == index and next_whole[0] == score:
                next_whole = next(whole, None)
            else:
                heapq.heappop(searched)
            yield index, score

    def _apart_may_come(self, next_whole: tuple[float, int] | None) -> bool:
        """Bounds are worked out only once a candidate found apart could come next."""
        return next_whole is None or next_whole[0] <= self.query.apart_ceiling

    @staticmethod
    def _first(
        next_whole: tuple[float, int] | None, searched: list[tuple[float, int]]
    ) -> tuple[float, int] | None:
        """Whichever comes first: the next substring match or the best searched one."""
        if searched:
            score, index = -searched[0][0], searched[0][1]
            if next_whole is None or (-score, index) < (-next_whole[0], next_whole[1]):
                return score, index
        return next_whole


def _before(bounded: tuple[float, int], best: tuple[float, int]) -> bool:
    """Could a candidate with this (bound, index) come before the (score, index) found?"""
    return (-bounded[0], bounded[1]) < (-best[0], best[1])
