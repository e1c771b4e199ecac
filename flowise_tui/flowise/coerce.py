"""Lenient readers for server JSON: wrong shapes degrade to empty values, never raise.

Flowise stores many list-valued fields as JSON text, and some (followUpPrompts) are
encoded twice, so `json_value` unwraps strings that hold JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_JSON_DEPTH = 100
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_constant(name: str) -> None:
    """NaN, Infinity and -Infinity are not JSON; JavaScript writes them as null."""
    return None


_scan_value = json.JSONDecoder(parse_constant=_no_constant).scan_once


def load_json(text: str | bytes) -> Any:
    """`json.loads` for untrusted text: raises only ValueError.

    NaN, Infinity and -Infinity, which are not JSON, are read as None (null), as
    JavaScript's `JSON.stringify`, and so Flowise, writes them.

    Nesting deeper than MAX_JSON_DEPTH is refused (it would exhaust the stack later,
    when the value is printed or saved), and escaped lone surrogates, which no terminal,
    file or database can encode, become U+FFFD.
    """
    value = scan_exactly(text) if isinstance(text, str) else NOT_SCANNED
    if value is NOT_SCANNED:
        try:
            value = json.loads(text, parse_constant=_no_constant)
        except RecursionError:
            raise ValueError("nested too deeply") from None
    if (
        len(text) > MAX_JSON_DEPTH
        and isinstance(value, (dict, list))
        and _too_deep_text(text, value)
    ):
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        value = _scrub(value)
    return value


NOT_SCANNED = object()


def scan_exactly(text: str) -> Any:
    """The value when `text` is exactly one JSON value, read by json's C scanner without
    `json.loads`'s layers (a stream holds thousands of small ones); anything else, such
    as surrounding whitespace or an error, is left to `json.loads` and its messages."""
    try:
        value, end = _scan_value(text, 0)
    except (StopIteration, ValueError, RecursionError):
        return NOT_SCANNED
    return value if end == len(text) else NOT_SCANNED


def _too_deep_text(text: str | bytes, value: dict[str, Any] | list[Any]) -> bool:
    """Nesting that deep needs that many opening brackets; counting them is cheap."""
    if isinstance(text, bytes):
        brackets = text.count(b"[") + text.count(b"{")
    else:
        brackets = text.count("[") + text.count("{")
    return brackets > MAX_JSON_DEPTH and _too_deep(value)


def _too_deep(value: Any) -> bool:
    level: list[Any] = [value]
    for _ in range(MAX_JSON_DEPTH):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, (dict, list))
        ]
        if not level:
            return False
    return True


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {_scrub(key): _scrub(item) for key, item in value.items()}
    return value


def as_str(value: Any, default: str = "") -> str:
    if value is None:
        return default
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def opt_str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return as_str(value)


def as_dict(value: Any) -> dict[str, Any]:
    value = json_value(value)
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    value = json_value(value)
    if isinstance(value, list):
        return value
    return []


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def json_value(value: Any, depth: int = 2) -> Any:
    """Decode strings that hold JSON objects or arrays, up to `depth` times."""
    while depth > 0 and isinstance(value, str):
        text = value.strip()
        if not text or text[0] not in '[{"':
            return value
        try:
            value = load_json(text)
        except ValueError:
            return value
        depth -= 1
    return value


def string_list(value: Any) -> list[str]:
    """A list of strings from a list, a JSON string of a list, or one encoded twice."""
    return [as_str(item) for item in as_list(json_value(value, depth=3)) if item is not None]
