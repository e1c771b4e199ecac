"""The settings every fuzz test runs with (see conftest.py)."""

from __future__ import annotations

import os

from hypothesis import settings

import tests.fuzz.conftest  # noqa: F401 - registers the profiles

FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz-quick"))
