"""`flowise-tui ask` meets every fault: a clear message on stderr, what arrived on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from flowise_tui.cli import main
from flowise_tui.cli_hints import HINTS
from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import CHAT_FLOW_ID
from tests.faults.cases import CASES, FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, Case
from tests.faults.conftest import fault_url

TIMEOUTS = ("--timeout", str(FIRST_BYTE_TIMEOUT), "--idle-timeout", str(IDLE_TIMEOUT))


def ask(capsys: pytest.CaptureFixture[str], url: str, *options: str) -> tuple[int, str, str]:
    code = main(["ask", "--url", url, *TIMEOUTS, *options, CHAT_FLOW_ID, "question"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", CASES, ids=Case.id.fget)
def test_ask_outcome(case: Case, fault_server: DemoServer, capsys) -> None:
    code, out, err = ask(capsys, fault_url(fault_server, case.fault))
    failed = case.error is not None or case.flow_error
    assert code == (1 if failed else 3 if case.empty else 0), err
    if case.empty:
        assert err == "flowise-tui: the chatflow ended without an answer: no text came back.\n"
    if failed:
        assert err.startswith("flowise-tui: ") and err.endswith("\n")
        for fragment in case.says:
            assert fragment in err
        if case.cause in HINTS:
            assert err.rstrip().endswith(HINTS[case.cause]), "the command line's own advice"
    assert case.answer in out
    if case.partial:
        assert out.strip(), "the part of the answer that arrived was printed"
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "Traceback" not in err


@pytest.mark.parametrize("case", CASES, ids=Case.id.fget)
def test_ask_json_outcome(case: Case, fault_server: DemoServer, capsys) -> None:
    code, out, err = ask(capsys, fault_url(fault_server, case.fault), "--json")
    failed = case.error is not None or case.flow_error
    assert code == (1 if failed else 3 if case.empty else 0), err
    lines = out.splitlines()  # as any line reader splits them: U+2028 included
    envelopes = [json.loads(line) for line in lines]
    assert all(set(envelope) <= {"event", "data", "duration"} for envelope in envelopes)
    if case.error is None:
        assert envelopes[-1] == {"event": "end", "data": "[DONE]"}
    assert "\x1b" not in out and "\x9b" not in out


@pytest.mark.parametrize("fault", ["drop-mid-event", "garbage", "never-end", "http-500-html"])
def test_a_real_process_prints_no_traceback(fault: str, fault_server: DemoServer) -> None:
    argv = ["ask", "--url", fault_url(fault_server, fault), *TIMEOUTS, CHAT_FLOW_ID, "hi"]
    result = subprocess.run(
        [sys.executable, "-m", "flowise_tui", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "error::ResourceWarning"},
    )
    assert result.returncode == 1
    assert result.stderr.startswith("flowise-tui: ")
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr
