"""The live conformance suite: the client, the CLI and the app against a real Flowise.

Skipped unless FLOWISE_URL is set; see tests/live/settings.py and the README.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowise_tui.flowise import Chatflow, FlowiseClient, FlowiseError, Limits
from tests.live import settings

LIVE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if LIVE not in Path(item.path).parents:
            continue
        if not settings.URL:
            item.add_marker(pytest.mark.skip(reason="no live Flowise: set FLOWISE_URL"))
        elif item.get_closest_marker("minutes") and not settings.LONG:
            item.add_marker(pytest.mark.skip(reason="takes minutes: set FLOWISE_LIVE_LONG=1"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "minutes: a live case that takes minutes")


@pytest.fixture(scope="session")
def flows() -> dict[str, Chatflow | str]:
    """Each role's chatflow, or why it could not be found."""

    async def find() -> dict[str, Chatflow | str]:
        found: dict[str, Chatflow | str] = {}
        async with FlowiseClient(settings.URL, settings.API_KEY) as client:
            for role in settings.ROLES:
                name = settings.wanted(role)
                try:
                    found[role] = await client.find_chatflow(name)
                except FlowiseError as exc:
                    found[role] = f"{role} flow {name!r}: {exc} (set FLOWISE_LIVE_{role.upper()})"
        return found

    return asyncio.run(find())


@pytest.fixture
def flow(request: pytest.FixtureRequest, flows: dict[str, Chatflow | str]) -> Chatflow:
    """`@pytest.mark.parametrize("flow", ["rag"], indirect=True)` picks the role."""
    found = flows[request.param]
    if isinstance(found, str):
        pytest.skip(found)
    return found


@pytest.fixture
def live_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The environment a person running `flowise-tui` against this server would have."""
    env = {"FLOWISE_URL": settings.URL}
    if settings.API_KEY:
        env["FLOWISE_API_KEY"] = settings.API_KEY
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    yield env


def client(api_key: str | None = settings.API_KEY, **limits: float) -> FlowiseClient:
    return FlowiseClient(settings.URL, api_key, limits=Limits(**limits))  # type: ignore[arg-type]
