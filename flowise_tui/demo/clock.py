"""Timestamps in the shape Flowise's database returns them."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_timestamp(moment: datetime | None = None) -> str:
    value = moment or datetime.now(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def epoch_millis(moment: datetime | None = None) -> int:
    value = moment or datetime.now(UTC)
    return int(value.timestamp() * 1000)
