"""The config file's `[limits]` table: how much and how long the client accepts from a server.

    [limits]
    reply_timeout = 60      # seconds
    max_reply_mb = 32       # MiB, counted after decompression
    answer_chars = 500000   # characters of one answer the app shows

Each key maps to one field of `flowise_tui.flowise.limits.Limits` (or, for `answer_chars`,
to `Config.answer_limit`); a new bound is one more line in `LIMIT_KEYS`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from flowise_tui.flowise.limits import MIB, Limits

DEFAULT_ANSWER_LIMIT = 2_000_000
ANSWER_KEY = "answer_chars"


@dataclass(frozen=True)
class LimitKey:
    """A key of `[limits]` and the `Limits` field it sets: `scale` units of the field per
    unit of the key (bytes per MiB for sizes, 1 for seconds)."""

    field: str
    scale: int = 1

    def to_field(self, value: float) -> float | int:
        return float(value) if self.scale == 1 else max(1, round(value * self.scale))

    def to_key(self, value: float | int) -> float | int:
        if self.scale == 1:
            return value
        whole, rest = divmod(value, self.scale)
        return int(whole) if rest == 0 else value / self.scale


LIMIT_KEYS: dict[str, LimitKey] = {
    "connect_timeout": LimitKey("connect_timeout"),
    "reply_timeout": LimitKey("reply_timeout"),
    "first_byte_timeout": LimitKey("first_byte_timeout"),
    "idle_timeout": LimitKey("idle_timeout"),
    "max_reply_mb": LimitKey("max_reply_bytes", MIB),
    "max_event_mb": LimitKey("max_event_bytes", MIB),
    "max_stream_mb": LimitKey("max_stream_bytes", MIB),
    "max_file_mb": LimitKey("max_file_bytes", MIB),
    "max_speech_mb": LimitKey("max_speech_bytes", MIB),
}


class LimitError(ValueError):
    """A `[limits]` value of the wrong type or out of range; the message names the key."""


def limits_from_table(table: Mapping[str, Any]) -> tuple[Limits, int]:
    """The limits and the answer limit a `[limits]` table sets; keys it leaves out keep their
    defaults and keys it does not know are ignored (`unknown_limit_keys` lists them)."""
    changes: dict[str, float | int] = {}
    for key, spec in LIMIT_KEYS.items():
        if key in table:
            changes[spec.field] = spec.to_field(_positive_number(key, table[key]))
    answer_limit = DEFAULT_ANSWER_LIMIT
    if ANSWER_KEY in table:
        answer_limit = _positive_integer(ANSWER_KEY, table[ANSWER_KEY])
    return replace(Limits(), **changes), answer_limit


def limits_to_table(limits: Limits, answer_limit: int, read: Mapping[str, Any]) -> dict[str, Any]:
    """The `[limits]` table to write: the table as it was `read`, with each value the program
    changed since put in, and each value that differs from its default added. A file that
    had no table and keeps the defaults gets none."""
    table = dict(read)
    was, _ = limits_from_table(read) if read else (Limits(), DEFAULT_ANSWER_LIMIT)
    default = Limits()
    for key, spec in LIMIT_KEYS.items():
        value = getattr(limits, spec.field)
        if value != (getattr(was, spec.field) if key in read else getattr(default, spec.field)):
            table[key] = spec.to_key(value)
    read_answer = read.get(ANSWER_KEY, DEFAULT_ANSWER_LIMIT)
    if answer_limit != read_answer:
        table[ANSWER_KEY] = answer_limit
    return table


def unknown_limit_keys(table: Mapping[str, Any]) -> list[str]:
    return [key for key in table if key not in LIMIT_KEYS and key != ANSWER_KEY]


def _positive_number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LimitError(f"'limits.{key}' must be a positive number, not {_kind(value)}")
    if not math.isfinite(value) or value <= 0:
        raise LimitError(f"'limits.{key}' must be a positive number, not {value!r}")
    return value


def _positive_integer(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise LimitError(f"'limits.{key}' must be a positive whole number, not {_kind(value)}")
    if value <= 0:
        raise LimitError(f"'limits.{key}' must be a positive whole number, not {value!r}")
    return value


def _kind(value: Any) -> str:
    """A number as written (the range is what is wrong), anything else by its TOML type."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    return toml_type(value)


def toml_type(value: Any) -> str:
    """What a TOML value is, as a message names it ("a string", "a table")."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.date | dt.time):
        return "a date/time"
    return type(value).__name__
