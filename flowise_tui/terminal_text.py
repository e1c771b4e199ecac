"""What the command line writes to a terminal: server text made inert, JSON made strict.

`for_terminal` shows every character a terminal could act on as a visible escape rather
than dropping it, so that text split across many writes (an answer streamed token by token)
cannot assemble an escape sequence, and so that a reader sees that something was there:
C0 and C1 controls but tab and newline, DEL, the bidi embeddings, overrides and isolates
that make text read differently from what it is, and lone surrogates. Right-to-left letters,
zero-width joiners and emoji stay as they are.

`strict_json` writes RFC 8259 JSON that is plain ASCII: every control, separator and bidi
character is a `\\uXXXX` escape, and NaN or an infinity (which JSON cannot hold) is `null`,
as JavaScript's `JSON.stringify`, and so Flowise itself, writes them.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_SHOWN_AS_IS = {"\n": "\n", "\r\n": "\n", "\u2028": "\n", "\u2029": "\n"}
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_IN_TEXT = re.compile(f"\r\n|[{_CONTROLS}\u2028\u2029]")
_IN_LINE = re.compile(f"[\t\n{_CONTROLS}\u2028\u2029]")


def _escape(character: str) -> str:
    named = _NAMED.get(character)
    if named is not None:
        return named
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _in_text(match: re.Match[str]) -> str:
    found = match.group()
    shown = _SHOWN_AS_IS.get(found)
    return shown if shown is not None else _escape(found)


def for_terminal(text: str, *, one_line: bool = False) -> str:
    """`text` with every character a terminal could act on shown as a visible escape
    (`\\x1b`, `\\u202e`). Tabs and newlines stay, CRLF and the Unicode line separators
    become newlines, unless `one_line`: then they are escaped too (`\\t`, `\\n`), for a
    value that must stay on its line, such as an id or a name in a table."""
    if text.isprintable():
        return text
    if one_line:
        return _IN_LINE.sub(lambda match: _escape(match.group()), text)
    return _IN_TEXT.sub(_in_text, text)


def strict_json(value: Any, *, indent: int | None = None) -> str:
    """`value` as strict, ASCII-only JSON; non-finite numbers become `null`."""
    try:
        text = json.dumps(value, ensure_ascii=True, allow_nan=False, indent=indent)
    except ValueError:
        text = json.dumps(_finite(value), ensure_ascii=True, allow_nan=False, indent=indent)
    # DEL is ASCII, so json leaves it raw; only strings can hold it.
    return text.replace("\x7f", "\\u007f") if "\x7f" in text else text


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value
