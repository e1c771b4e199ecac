"""`flowise-tui` as a person runs it against a real Flowise: real processes, real exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from flowise_tui.flowise import Chatflow
from tests.live import settings


def role(name: str):
    return pytest.mark.parametrize("flow", [name], indirect=True)


def flowise_tui(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flowise_tui", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def clean(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    if settings.API_KEY:
        assert settings.API_KEY not in result.stdout + result.stderr


@role("plain")
def test_ask_by_name_streams_the_answer(flow: Chatflow, live_env: dict[str, str]) -> None:
    if not settings.API_KEY:
        pytest.skip("finding a chatflow by name needs FLOWISE_API_KEY")
    result = flowise_tui("ask", flow.name, "Hello from the command line", env=live_env)
    clean(result)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


@role("rag")
def test_ask_json_gives_envelopes_with_sources(flow: Chatflow, live_env: dict[str, str]) -> None:
    result = flowise_tui("ask", "--json", flow.id, "When does the bakery open?", env=live_env)
    clean(result)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    names = [e["event"] for e in events]
    assert names[-1] == "end" and "sourceDocuments" in names and "metadata" in names


@role("plain")
def test_session_continues(flow: Chatflow, live_env: dict[str, str]) -> None:
    session = f"live-cli-{os.getpid()}"
    for question in ("first", "second"):
        result = flowise_tui("ask", "--json", "--session", session, flow.id, question, env=live_env)
        assert result.returncode == 0, result.stderr
    metadata = next(json.loads(x) for x in result.stdout.splitlines() if '"metadata"' in x)["data"]
    assert metadata["chatId"] == session and metadata["sessionId"] == session


@role("error")
def test_failing_flow_exits_1_with_the_reason(flow: Chatflow, live_env: dict[str, str]) -> None:
    result = flowise_tui("ask", flow.id, "Please fail.", env=live_env)
    clean(result)
    assert result.returncode == 1
    assert result.stderr.startswith("flowise-tui: the chatflow failed: ")


@role("protected")
def test_protected_flow_without_its_key(flow: Chatflow, live_env: dict[str, str]) -> None:
    result = flowise_tui("ask", flow.id, "Let me in.", env=live_env)
    clean(result)
    assert result.returncode == 1 and "has its own API key" in result.stderr
    if settings.FLOW_KEY:
        env = {**live_env, "FLOWISE_API_KEY": settings.FLOW_KEY}
        result = flowise_tui("ask", flow.id, "Let me in.", env=env)
        assert result.returncode == 0 and result.stdout.strip()
        assert settings.FLOW_KEY not in result.stdout + result.stderr


def test_chatflows_lists_the_server(live_env: dict[str, str], flows: dict) -> None:
    if not settings.API_KEY:
        pytest.skip("listing chatflows needs FLOWISE_API_KEY")
    result = flowise_tui("chatflows", "--json", env=live_env)
    clean(result)
    listed = {row["id"] for row in json.loads(result.stdout)}
    assert {f.id for f in flows.values() if not isinstance(f, str)} <= listed


def test_wrong_key_is_a_clear_message(live_env: dict[str, str]) -> None:
    env = {**live_env, "FLOWISE_API_KEY": "wrong-key-0123456789"}
    result = flowise_tui("chatflows", env=env)
    assert result.returncode == 1 and "refused the API key" in result.stderr
    assert "wrong-key-0123456789" not in result.stderr


@role("slow")
def test_interrupt_stops_the_answer(flow: Chatflow, live_env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "flowise_tui", "ask", flow.id, "A long story, please."],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **live_env},
        # A shell's background job starts with SIGINT ignored; the child must not inherit it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    process.stdout.read(10)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "stopped" in err and "Traceback" not in err
