"""Fuzzy matching with `textual.fuzzy.FuzzySearch`'s scores and highlights, fast enough to
rank thousands of names on every key.

Textual scores every way the query's letters can be found in order in a candidate and
keeps the first best one. Here the same answer comes cheaper: a candidate holding the query
as a substring is scored at once; any other is first checked with one regular expression
(are the letters there in order at all?) and then searched for its best placement by
dynamic programming over the same letter positions Textual considers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence

_WORD = re.compile(r"\w+")


def _is_word(letter: str) -> bool:
    return _WORD.match(letter) is not None


def _score(size: int, hits: int, groups: int) -> float:
    """Textual's score: letters matched, those starting a word, fewer groups better."""
    score: float = size + hits
    normalized_groups = (size - (groups - 1)) / size
    score *= 1 + (normalized_groups * normalized_groups)
    return score


class Candidate:
    """A text prepared once to be matched against many queries."""

    __slots__ = ("first_letters", "firsts", "folded", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = text.lower()
        self.firsts = frozenset(match.start() for match in _WORD.finditer(self.folded))
        self.first_letters = dict(Counter(self.folded[first] for first in self.firsts))


class Query:
    """One query, ready to score candidates."""

    __slots__ = (
        "_bounds",
        "_counts",
        "_inner_firsts",
        "_letters",
        "_pairs",
        "_subsequence",
        "size",
        "text",
    )

    def __init__(self, text: str) -> None:
        self.text = text.lower()
        self.size = len(self.text)
        self._letters = list(self.text)
        self._counts = list(Counter(self.text).items())
        self._pairs = [self.text[index : index + 2] for index in range(self.size - 1)]
        self._bounds: dict[tuple[int, int], float] = {}
        self._inner_firsts = sum(
            1
            for index in range(1, self.size)
            if _is_word(self.text[index]) and not _is_word(self.text[index - 1])
        )
        self._subsequence = re.compile(
            "".join(f"[^{re.escape(letter)}]*+{re.escape(letter)}" for letter in self.text)
        )

    def whole_score(self, exact: bool, starts_word: bool) -> float:
        """The score of a candidate holding the query as a substring: whether the candidate
        is just the query, and whether the query's first place in it starts a word."""
        score = _score(self.size, self._inner_firsts + starts_word, 1)
        return score * (2.0 if exact else 1.5)

    def apart_bound(self, candidate: Candidate) -> float:
        """No better score for a candidate holding the query's letters only apart: no more
        hits than it has words starting with the query's letters, and at least as many
        groups as the query has neighbouring letters that are never neighbours there."""
        first_letters, folded = candidate.first_letters, candidate.folded
        hits = sum([min(count, first_letters.get(letter, 0)) for letter, count in self._counts])
        together = sum([pair in folded for pair in self._pairs])
        key = (hits, max(2, self.size - together))
        bound = self._bounds.get(key)
        if bound is None:
            bound = self._bounds[key] = _score(self.size, *key)
        return bound

    def could_match(self, candidate: Candidate) -> bool:
        """Are the query's letters all in the candidate, in order?"""
        return self._subsequence.match(candidate.folded) is not None

    def match(self, candidate: Candidate) -> tuple[float, Sequence[int]]:
        """Score and matched offsets, as `FuzzySearch.match` gives them; `(0.0, [])` for none."""
        if not self.size:
            return 0.0, []
        location = candidate.folded.find(self.text)
        if location >= 0:
            exact = candidate.folded == self.text
            score = self.whole_score(exact, location in candidate.firsts)
            return score, list(range(location, location + self.size))
        if not self.could_match(candidate):
            return 0.0, []
        return self.apart_match(candidate)

    @property
    def apart_ceiling(self) -> float:
        """No candidate holding the query's letters only apart scores more than this."""
        return _score(self.size, self.size, 2) if self.size > 1 else 0.0

    def apart_match(self, candidate: Candidate) -> tuple[float, list[int]]:
        """Score and offsets of a candidate known to hold the query's letters, not together."""
        letter_positions = self._letter_positions(candidate.folded)
        tables = self._best_tables(letter_positions, candidate.firsts)
        score = self._best_score(tables)
        return score, self._first_placement(letter_positions, tables, candidate.firsts, score)

    def _letter_positions(self, folded: str) -> list[list[int]]:
        """Where each letter may go: the places Textual's search collects, less those with
        no room left after them for the rest of the query."""
        letter_positions: list[list[int]] = []
        position = 0
        length = len(folded)
        for offset, letter in enumerate(self._letters):
            last_index = length - offset
            positions: list[int] = []
            index = position
            while (location := folded.find(letter, index)) != -1:
                positions.append(location)
                index = location + 1
                if index >= last_index:
                    break
            letter_positions.append(positions)
            position = positions[0] + 1
        # Positions too late for the rest of the query to follow lead nowhere.
        limit = length
        backwards = zip(reversed(self._letters), reversed(letter_positions), strict=True)
        for letter, positions in backwards:
            limit = folded.rfind(letter, 0, limit)
            del positions[bisect_right(positions, limit) :]
        return letter_positions

    def _best_tables(
        self, letter_positions: list[list[int]], firsts: frozenset[int]
    ) -> list[list[dict[int, int]]]:
        """For each letter at each of its positions: for every number of groups the rest of
        the query can be placed in from there, the most word starts it can hit.

        The next letter either follows at once (same group) or further on (one group
        more); for "further on", the best over all later positions is kept as a running
        merge from the end, so each position costs one look-up rather than a scan."""
        last = len(letter_positions) - 1
        tables: list[list[dict[int, int]]] = [[] for _ in letter_positions]
        tables[last] = [{1: int(p in firsts)} for p in letter_positions[last]]
        for letter in range(last - 1, -1, -1):
            following = letter_positions[letter + 1]
            following_tables = tables[letter + 1]
            later: list[dict[int, int]] = [{}] * (len(following) + 1)
            running: dict[int, int] = {}
            for index in range(len(following) - 1, -1, -1):
                running = running.copy()
                for groups, hits in following_tables[index].items():
                    if hits > running.get(groups, -1):
                        running[groups] = hits
                later[index] = running
            rows: list[dict[int, int]] = []
            for position in letter_positions[letter]:
                hit = int(position in firsts)
                index = bisect_right(following, position)
                if index < len(following) and following[index] == position + 1:
                    best = {groups: hits + hit for groups, hits in following_tables[index].items()}
                    index += 1
                else:
                    best = {}
                for groups, hits in later[index].items():
                    groups += 1
                    hits += hit
                    if hits > best.get(groups, -1):
                        best[groups] = hits
                rows.append(best)
            tables[letter] = rows
        return tables

    def _best_score(self, tables: list[list[dict[int, int]]]) -> float:
        size = self.size
        return max(
            _score(size, hits, groups) for table in tables[0] for groups, hits in table.items()
        )

    def _first_placement(
        self,
        letter_positions: list[list[int]],
        tables: list[list[dict[int, int]]],
        firsts: frozenset[int],
        score: float,
    ) -> list[int]:
        """The first placement, in Textual's order (by offsets), that reaches `score`."""
        wanted = {
            (groups, hits)
            for table in tables[0]
            for groups, hits in table.items()
            if _score(self.size, hits, groups) == score
        }
        offsets: list[int] = []
        previous = -1
        hit = apart = 0
        for letter, positions in enumerate(letter_positions):
            for position, table in zip(positions, tables[letter], strict=True):
                if position <= previous:
                    continue
                if letter:
                    apart = int(position != previous + 1)
                reachable = {
                    (groups - apart, hits - hit)
                    for groups, hits in wanted
                    if table.get(groups - apart) == hits - hit
                }
                if reachable:
                    wanted = reachable
                    offsets.append(position)
                    previous = position
                    hit = int(position in firsts)
                    break
        return offsets
