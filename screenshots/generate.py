"""Regenerate the SVG screenshots in this folder from the demo server.

    python screenshots/generate.py

Each screenshot is one of the scenes the snapshot tests use (tests/app/scenes.py), so
what the README shows is what the tests check.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from flowise_tui.demo import DemoServer  # noqa: E402
from tests.app.conftest import build_app  # noqa: E402
from tests.app.scenes import SCENES, SIZE, SMALL  # noqa: E402
from tests.app.test_pictures import image_in_the_log  # noqa: E402

SMALL_SCENES = ("streaming", "connect")
"""Also shown at 80x24, as `NAME_80x24.svg`."""


async def shoot(name: str, url: str, size: tuple[int, int] = SIZE, suffix: str = "") -> Path:
    scene, options = SCENES[name]
    options = {"url": url, **options}
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), **options)  # type: ignore[arg-type]
        async with app.run_test(size=size) as pilot:
            await scene(pilot)
            return Path(app.save_screenshot(filename=f"{name}{suffix}.svg", path=str(HERE)))


async def main() -> None:
    with DemoServer(token_delay=0) as server:
        for name in SCENES:
            print(await shoot(name, server.url))
        for name in SMALL_SCENES:
            print(await shoot(name, server.url, SMALL, "_80x24"))
        print(await shoot_images(server.url))


async def shoot_images(url: str) -> Path:
    """The chart in the log, drawn with half blocks (the snapshot in tests/app/test_pictures)."""
    os.environ["FLOWISE_TUI_IMAGES"] = "halfcell"
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp), url=url)
        async with app.run_test(size=SIZE) as pilot:
            await image_in_the_log(pilot)
            return Path(app.save_screenshot(filename="images.svg", path=str(HERE)))


if __name__ == "__main__":
    asyncio.run(main())
