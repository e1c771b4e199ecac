"""Hypothesis settings for the fuzz tests.

By default (and in CI) a quick run; `HYPOTHESIS_PROFILE=thorough` runs at least 10,000
examples of every property:

    HYPOTHESIS_PROFILE=thorough python -m pytest tests/fuzz -p no:logging
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz-quick",
    max_examples=150,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None if os.environ.get("CI") else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The thorough run takes minutes per property: no per-test timeout for it."""
    if os.environ.get("HYPOTHESIS_PROFILE") != "thorough":
        return
    for item in items:
        if "tests/fuzz/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.timeout(0))
