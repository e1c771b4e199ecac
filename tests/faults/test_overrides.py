"""`ask --var` and `--override` reach the server as `overrideConfig`, next to the session."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from flowise_tui.cli import main
from tests.faults.hostile import FLOW_ID, HostileServer


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def sent(capsys: pytest.CaptureFixture[str], hostile: HostileServer, *options: str) -> dict:
    code = main(["ask", "--url", hostile.url("echo"), *options, FLOW_ID, "hi"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_vars_and_overrides_are_sent(capsys, hostile: HostileServer) -> None:
    body = sent(
        capsys,
        hostile,
        *("--override", '{"temperature": 0.1, "vars": {"team": "ops"}}'),
        *("--var", "mood=calm", "--var", "note=a=b"),
        *("--session", "s-1"),
    )
    assert body["overrideConfig"] == {
        "temperature": 0.1,
        "vars": {"team": "ops", "mood": "calm", "note": "a=b"},
        "sessionId": "s-1",
    }


def test_without_options_only_the_session_is_sent(capsys, hostile: HostileServer) -> None:
    body = sent(capsys, hostile)
    assert set(body["overrideConfig"]) == {"sessionId"}


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--var", "no-equals", "not KEY=VALUE"),
        ("--override", "{broken", "not JSON"),
        ("--override", "[1, 2]", "must be a JSON object"),
    ],
)
def test_bad_values_are_refused_before_asking(
    option: str, value: str, says: str, capsys, hostile: HostileServer
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["ask", "--url", hostile.url("echo"), option, value, FLOW_ID, "hi"])
    assert exit_.value.code == 2 and says in capsys.readouterr().err
