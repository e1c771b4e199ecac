"""What the user types in the history's search box, as a full-text search.

Every word typed is the start of a word in one turn (its question or its answer), or in a
conversation's title and chatflow name; case and accents do not count. Each word goes to
FTS5 as a quoted string, so nothing typed is ever read as query syntax.

A page of results is the newest conversations that match. A short prefix matches nearly
every turn, so the search first looks only at the newest conversations, a few times the
page: if they fill the page, that is the answer, and its cost does not grow with the
history. Otherwise (few conversations match) every hit is collected, which is cheap then.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from flowise_tui.history.rows import TURN_BITS, TURNS_PER_CONVERSATION

NEWEST_FIRST = "ORDER BY c.updated DESC, c.created DESC"

WINDOW_PAGES = 4
"""How many pages of the newest conversations are searched before the whole history."""

RANGES = 16
"""At most this many ranges of conversation numbers are searched in the window (the newest
conversations are mostly numbered in a row; one reopened from long ago stands apart)..."""
SPLIT_OVER = 64
"""...split where more than this many numbers lie between two of the window's."""

_HITS_IN_RANGE = f"""
    SELECT rowid >> {TURN_BITS} FROM turns_search
    WHERE turns_search MATCH :words AND rowid BETWEEN :first << {TURN_BITS} AND :last_turn
    UNION
    SELECT rowid FROM conversations_search
    WHERE conversations_search MATCH :words AND rowid BETWEEN :first AND :last
"""

_EVERY_HIT = f"""+c.number IN (
    SELECT rowid >> {TURN_BITS} FROM turns_search WHERE turns_search MATCH :words
    UNION ALL
    SELECT rowid FROM conversations_search WHERE conversations_search MATCH :words
)"""
"""The unary `+` keeps SQLite walking the conversations newest first (and stopping when the
page is full) instead of looking each hit up and sorting them all."""


def words_query(typed: str) -> str | None:
    """The FTS5 query for `typed`, or None if nothing was typed."""
    words = typed.replace("\0", " ").split()  # FTS5 reads a NUL as the end of the query
    if not words:
        return None
    return " ".join(_prefix(word) for word in words)


def _prefix(word: str) -> str:
    quoted = word.replace('"', '""')
    return f'"{quoted}"*'


def newest_matching(
    db: sqlite3.Connection, words: str, chatflow_id: str | None, limit: int
) -> list[int]:
    """The numbers of the newest `limit` conversations that match `words`, newest first."""
    scope = "WHERE c.chatflow_id = :chatflow_id" if chatflow_id is not None else ""
    params = {"words": words, "chatflow_id": chatflow_id}
    window = limit * WINDOW_PAGES
    newest = [
        number
        for (number,) in db.execute(
            f"SELECT c.number FROM conversations c {scope} {NEWEST_FIRST} LIMIT :window",
            {**params, "window": window},
        )
    ]
    hits = _hits(db, words, newest)
    found = [number for number in newest if number in hits]
    if len(found) >= limit or len(newest) < window:
        return found[:limit]
    where = f"{scope} AND {_EVERY_HIT}" if scope else f"WHERE {_EVERY_HIT}"
    rows = db.execute(
        f"SELECT c.number FROM conversations c {where} {NEWEST_FIRST} LIMIT :limit",
        {**params, "limit": limit},
    )
    return [number for (number,) in rows]


def _hits(db: sqlite3.Connection, words: str, numbers: list[int]) -> set[int]:
    """Which of the conversations `numbers` (and others numbered between) match."""
    hits: set[int] = set()
    for first, last in _ranges(numbers):
        last_turn = last << TURN_BITS | (TURNS_PER_CONVERSATION - 1)
        params = {"words": words, "first": first, "last": last, "last_turn": last_turn}
        hits.update(number for (number,) in db.execute(_HITS_IN_RANGE, params))
    return hits


def _ranges(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """At most RANGES ranges that cover `numbers`, split at the widest gaps between them."""
    ordered = sorted(numbers)
    if not ordered:
        return []
    wide = [i for i in range(1, len(ordered)) if ordered[i] - ordered[i - 1] > SPLIT_OVER]
    wide.sort(key=lambda i: ordered[i] - ordered[i - 1])
    splits = sorted(wide[max(0, len(wide) - (RANGES - 1)) :])
    starts = [0, *splits]
    ends = [*(split - 1 for split in splits), len(ordered) - 1]
    return [(ordered[start], ordered[end]) for start, end in zip(starts, ends, strict=True)]
