"""One SVG per key screen state, compared with the accepted snapshot in __snapshots__/.

Update after an intended change with `python -m pytest tests/app/test_snapshots.py
--snapshot-update`, and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tests.app.scenes import SCENES, SIZE, SMALL


@pytest.mark.parametrize("name", list(SCENES))
def test_screen(name: str, snap_compare, make_app) -> None:
    scene, options = SCENES[name]
    assert snap_compare(make_app(**options), terminal_size=SIZE, run_before=scene)


@pytest.mark.parametrize("name", list(SCENES))
def test_small_screen(name: str, snap_compare, make_app) -> None:
    scene, options = SCENES[name]
    assert snap_compare(make_app(**options), terminal_size=SMALL, run_before=scene)
