"""What the command line prints carries no control or escape character from a server, and
every `--json` is strict, ASCII-only JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowise_tui.cli import main
from flowise_tui.terminal_text import for_terminal, strict_json
from tests.faults.hostile import ESCAPES, FLOW_ID, HostileServer
from tests.fuzz.profile import FUZZ
from tests.fuzz.strategies import json_values

# What a terminal could act on, or show other than as it is stored.
CONTROLS = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} - {"\n", "\t"}
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
SEPARATORS = {"\u2028", "\u2029"}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def inert(text: str) -> bool:
    return not (set(text) & (CONTROLS | BIDI | SEPARATORS))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def strict_loads(line: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not JSON")

    assert line.isascii(), line
    assert inert(line), line
    return json.loads(line, parse_constant=refuse)


@FUZZ
@given(st.text())
def test_for_terminal_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    shown = for_terminal(text)
    assert inert(shown)
    one_line = for_terminal(text, one_line=True)
    assert inert(one_line) and "\n" not in one_line and "\t" not in one_line
    plain = "".join(ch for ch in text if ch not in CONTROLS | BIDI | SEPARATORS | {"\t", "\n"})
    if plain == text:
        assert one_line == text, "printable text is shown as it is"


@FUZZ
@given(json_values)
def test_strict_json_is_ascii_rfc_8259(value: object) -> None:
    text = strict_json(value)
    loaded = strict_loads(text)
    assert strict_json(loaded) == text, "what it wrote reads back the same"


def test_chatflows_shows_escapes_as_text(
    hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "chatflows", "--url", hostile.url("escapes"))
    assert code == 0, err
    assert inert(out + err)
    (line,) = out.splitlines()
    assert line.startswith(FLOW_ID)
    assert "\\x1b]2;pwned title\\x07" in line  # visible, so a reader sees it was there
    assert "\\u202egnp.exe" in line and "\\u2028" in line


def test_chatflows_json_is_strict_and_keeps_the_text(
    hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "chatflows", "--url", hostile.url("escapes"), "--json")
    assert code == 0
    rows = strict_loads(out)
    assert isinstance(rows, list) and rows[0]["name"] == f"Name {ESCAPES} end"


def test_ask_shows_an_answer_split_across_tokens_as_text(
    hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """An escape sequence split across tokens is shown, not assembled; CRLF is a newline."""
    code, out, err = run(capsys, "ask", "--url", hostile.url("escapes"), FLOW_ID, "q")
    assert code == 0, err
    assert out == "plain \\x1b]2;pwned\\x07 \\x9b2J \\u202eevil end\n"
    assert inert(err)


def test_ask_json_is_strict_for_hostile_text(
    hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "ask", "--url", hostile.url("escapes"), "--json", FLOW_ID, "q")
    assert code == 0
    envelopes = [strict_loads(line) for line in out.splitlines()]
    tokens = "".join(e["data"] for e in envelopes if e["event"] == "token")  # type: ignore[index]
    assert tokens == "plain \x1b]2;pwned\x07 \x9b2J \u202eevil end\r\n", "nothing lost"


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "no-stream"])
def test_ask_json_never_prints_nan(
    stream: bool, hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = [] if stream else ["--no-stream"]
    code, out, err = run(capsys, "ask", "--url", hostile.url("nan"), "--json", *flags, FLOW_ID, "q")
    assert code == 0, err
    assert out.strip()
    for line in out.splitlines():
        strict_loads(line)
    assert "NaN" not in out and "Infinity" not in out


def test_chatflows_json_never_prints_nan(
    hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "chatflows", "--url", hostile.url("nan"), "--json")
    assert code == 0
    assert strict_loads(out.replace("\n", " ")) == [
        {"id": "nan-flow", "name": "NaN", "type": "CHATFLOW", "deployed": False}
    ]


def test_an_error_message_shows_server_text_as_text(
    hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("ask", "--url", hostile.url("escapes"), "--no-stream", FLOW_ID, "q")
    code, out, err = run(capsys, *argv)
    assert code == 1 and "boom" in err
    assert inert(out + err)


def test_a_content_type_in_an_error_is_quoted_as_text(
    hostile: HostileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "ask", "--url", hostile.url("escaped-content-type"), FLOW_ID, "q")
    assert code == 1 and "instead of JSON" in err
    assert "'text/x-\\x9b31m-" in err
    assert inert(err)


def test_a_real_process_prints_no_escape_and_bounds_a_dripping_reply(
    hostile: HostileServer, tmp_path: Path
) -> None:
    """The installed entry point, in a process of its own: `--timeout 3` bounds a JSON reply
    sent one byte a second (the process is given far longer: a limit, not a speed test)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FLOWISE_TUI_CONFIG": str(tmp_path / "c.toml")}
    command = [sys.executable, "-m", "flowise_tui"]
    drip = subprocess.run(
        [*command, "ask", "--url", hostile.url("drip-json"), "--timeout", "3", FLOW_ID, "q"],
        capture_output=True,
        timeout=60,
        env=env,
    )
    assert drip.returncode == 1
    assert b"within 3 s" in drip.stderr and b"--timeout" in drip.stderr
    listing = subprocess.run(
        [*command, "chatflows", "--url", hostile.url("escapes")],
        capture_output=True,
        timeout=60,
        env=env,
    )
    assert listing.returncode == 0
    for stream in (drip.stdout, drip.stderr, listing.stdout, listing.stderr):
        assert inert(stream.decode("utf-8")) and b"Traceback" not in stream
