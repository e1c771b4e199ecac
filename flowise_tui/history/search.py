"""What the user types in the history's search box, as a full-text query.

Every word typed is the start of a word in one turn (its question or its answer), or in a
conversation's title and chatflow name; case and accents do not count. Each word goes to
FTS5 as a quoted string, so nothing typed is ever read as query syntax.
"""

from __future__ import annotations

from flowise_tui.history.rows import TURN_BITS

MATCHING_CONVERSATION = f"""+c.number IN (
    SELECT rowid >> {TURN_BITS} FROM turns_search WHERE turns_search MATCH :words
    UNION ALL
    SELECT rowid FROM conversations_search WHERE conversations_search MATCH :words
)"""
"""The condition on `conversations c` for a `:words` query. The unary `+` keeps SQLite
from looking each hit up by number: walking the conversations newest first, it stops as
soon as the page is full, which is what keeps a one-letter query fast."""


def words_query(typed: str) -> str | None:
    """The FTS5 query for `typed`, or None if nothing was typed."""
    words = typed.replace("\0", " ").split()  # FTS5 reads a NUL as the end of the query
    if not words:
        return None
    return " ".join(_prefix(word) for word in words)


def _prefix(word: str) -> str:
    quoted = word.replace('"', '""')
    return f'"{quoted}"*'
