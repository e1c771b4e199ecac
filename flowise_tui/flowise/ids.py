"""Which ids the client puts in a URL path: checked at the door, never percent-encoded.

A chatflow id from a server or a person goes into paths such as `/prediction/{id}`. An id
with a `/`, `?`, `#`, a space or a control character would reach another route, or make
httpx raise before any request. Flowise's ids are UUIDs; look-alike servers use other
short names, so the rule is wider: 1 to 200 of the characters a URL path carries as they
are (RFC 3986's unreserved: letters, digits, `.`, `_`, `~`, `-`), and never `.` or `..`
alone, which a URL resolves as the folder or its parent.
"""

from __future__ import annotations

import re

MAX_ID_LENGTH = 200
_SAFE_ID = re.compile(rf"(?!\.\.?\Z)[A-Za-z0-9._~-]{{1,{MAX_ID_LENGTH}}}\Z")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
ID_RULE = f"1 to {MAX_ID_LENGTH} letters, digits, '.', '_', '~' or '-'"


def is_safe_id(text: str) -> bool:
    """Whether `text` may go into a URL path as it is."""
    return _SAFE_ID.match(text) is not None


def looks_like_id(text: str) -> bool:
    """Whether `text` (spaces around it aside) is a UUID, the shape of Flowise's ids."""
    return _UUID.match(text.strip()) is not None
