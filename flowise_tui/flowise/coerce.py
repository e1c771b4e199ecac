"""Lenient readers for server JSON: wrong shapes degrade to empty values, never raise.

Flowise stores many list-valued fields as JSON text, and some (followUpPrompts) are
encoded twice, so `json_value` unwraps strings that hold JSON.
"""

from __future__ import annotations

import json
from typing import Any


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
            value = json.loads(text)
        except ValueError:
            return value
        depth -= 1
    return value


def string_list(value: Any) -> list[str]:
    """A list of strings from a list, a JSON string of a list, or one encoded twice."""
    return [as_str(item) for item in as_list(json_value(value, depth=3)) if item is not None]
