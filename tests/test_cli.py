"""The headless CLI against the demo server: answers on stdout, clear errors, no tracebacks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

from flowise_tui.cli import main
from flowise_tui.demo import DemoServer
from flowise_tui.demo.answers import slow_story
from flowise_tui.demo.flows import CHAT_FLOW_ID, PROTECTED_FLOW_KEY, SLOW_FLOW_ID


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flowise_tui", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_ask_streams_the_answer_by_name(capsys, demo_url: str) -> None:
    code, out, err = run(capsys, "ask", "--url", demo_url, "Demo Chat", "What is Flowise?")
    assert code == 0, err
    assert out.startswith("## ")
    assert "```python" in out
    assert out.endswith("\n")


def test_ask_json_prints_only_envelopes(capsys, demo_url: str) -> None:
    code, out, _ = run(capsys, "ask", "--json", "--url", demo_url, "Bakery Docs (RAG)", "hours?")
    assert code == 0
    events = [json.loads(line) for line in out.splitlines()]
    assert all(set(e) == {"event", "data"} for e in events)
    names = [e["event"] for e in events]
    assert names[0] == "start" and names[-1] == "end"
    assert names.index("sourceDocuments") < names.index("metadata")
    metadata = next(e["data"] for e in events if e["event"] == "metadata")
    assert metadata["chatId"] and metadata["chatMessageId"]
    assert isinstance(metadata.get("followUpPrompts", []), list)


def test_session_continues_server_memory(capsys, demo_url: str) -> None:
    run(capsys, "ask", "--url", demo_url, "--session", "cli-s1", CHAT_FLOW_ID, "first question")
    code, out, _ = run(
        capsys, "ask", "--url", demo_url, "--session", "cli-s1", CHAT_FLOW_ID, "second"
    )
    assert code == 0
    assert 'Earlier you asked: "first question"' in out
    _, fresh, _ = run(capsys, "ask", "--url", demo_url, CHAT_FLOW_ID, "second")
    assert "Earlier you asked" not in fresh


def test_no_stream_gives_the_same_answer(capsys, demo_url: str) -> None:
    _, streamed, _ = run(capsys, "ask", "--url", demo_url, CHAT_FLOW_ID, "same words")
    code, whole, _ = run(
        capsys, "ask", "--no-stream", "--url", demo_url, CHAT_FLOW_ID, "same words"
    )
    assert code == 0
    assert whole == streamed


def test_flow_that_cannot_stream(capsys, demo_url: str) -> None:
    code, out, _ = run(capsys, "ask", "--url", demo_url, "No Streaming", "hello")
    assert code == 0 and out.strip()


def test_chatflows_lists_and_filters(capsys, demo_url: str) -> None:
    code, out, _ = run(capsys, "chatflows", "--url", demo_url)
    assert code == 0
    assert f"{CHAT_FLOW_ID}  CHATFLOW" in out
    code, out, _ = run(capsys, "chatflows", "--json", "--type", "agentflow", "--url", demo_url)
    rows = json.loads(out)
    assert rows and {r["type"] for r in rows} == {"AGENTFLOW"}


def test_flow_error_exits_non_zero(capsys, demo_url: str) -> None:
    code, out, err = run(capsys, "ask", "--url", demo_url, "Always Fails", "hi")
    assert code == 1
    assert "the chatflow failed" in err
    code, out, err = run(capsys, "ask", "--json", "--url", demo_url, "Always Fails", "hi")
    assert code == 1
    assert [json.loads(line)["event"] for line in out.splitlines()] == ["error", "end"]


def test_protected_flow_needs_its_key(capsys, demo_url: str) -> None:
    code, _, err = run(capsys, "ask", "--url", demo_url, "Protected", "hi")
    assert code == 1 and "has its own API key" in err
    assert "Set that key with --api-key, FLOWISE_API_KEY or a profile." in err
    code, out, _ = run(
        capsys, "ask", "--url", demo_url, "--api-key", PROTECTED_FLOW_KEY, "Protected", "hi"
    )
    assert code == 0 and out.strip()


def test_unknown_chatflow(capsys, demo_url: str) -> None:
    code, _, err = run(
        capsys, "ask", "--url", demo_url, "00000000-0000-4000-8000-000000000000", "hi"
    )
    assert code == 1 and "was not found" in err
    code, _, err = run(capsys, "ask", "--url", demo_url, "No Such Flow", "hi")
    assert code == 1 and "No chatflow is named 'No Such Flow'" in err


def test_wrong_key_and_missing_key(capsys, make_demo_server: Callable[..., DemoServer]) -> None:
    server = make_demo_server(api_key="right-key")
    code, _, err = run(capsys, "chatflows", "--url", server.url)
    assert code == 1 and "Listing chatflows needs an API key" in err
    assert "Set one with --api-key, FLOWISE_API_KEY or a profile." in err
    code, _, err = run(capsys, "chatflows", "--url", server.url, "--api-key", "wrong-key")
    assert code == 1 and "refused the API key" in err
    assert "Check the key in --api-key, FLOWISE_API_KEY or the profile." in err
    assert "wrong-key" not in err
    code, out, _ = run(capsys, "chatflows", "--url", server.url, "--api-key", "right-key")
    assert code == 0 and "Demo Chat" in out


def test_server_text_cannot_drive_the_terminal(capsys, demo_url: str) -> None:
    code, out, _ = run(
        capsys, "ask", "--url", demo_url, CHAT_FLOW_ID, "hi \x1b]0;pwned\x07 \x1b[2J"
    )
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out


def test_env_url_and_flag_precedence(capsys, demo_url: str, monkeypatch) -> None:
    monkeypatch.setenv("FLOWISE_URL", demo_url)
    code, out, _ = run(capsys, "chatflows")
    assert code == 0 and "Demo Chat" in out
    code, _, err = run(capsys, "chatflows", "--url", "http://127.0.0.1:9")
    assert code == 1 and "127.0.0.1:9" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chatflows", "--url", "http://127.0.0.1:9"], "connection refused"),
        (["chatflows", "--url", "http://no-such-host.invalid"], "does not resolve"),
        (["ask", "--url", "ftp://example.com", "x", "y"], "only http and https"),
    ],
)
def test_bad_urls_give_a_message_not_a_traceback(argv: list[str], message: str) -> None:
    result = run_process(*argv)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_corrupt_config_is_reported_and_untouched(isolated_settings) -> None:
    config = isolated_settings / "config.toml"
    config.write_bytes(b"[profiles.x\nurl = 1\n")
    result = run_process("chatflows")
    assert result.returncode == 2
    assert str(config) in result.stderr and "line 1" in result.stderr
    assert "Traceback" not in result.stderr
    assert config.read_bytes() == b"[profiles.x\nurl = 1\n"


def test_interrupt_stops_cleanly(make_demo_server: Callable[..., DemoServer]) -> None:
    server = make_demo_server(token_delay=0.05)
    argv = ["ask", "--url", server.url, "--session", "cli-stop", "Slow Story", "go"]
    process = subprocess.Popen(
        [sys.executable, "-m", "flowise_tui", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    process.stdout.read(20)
    process.send_signal(2)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert "stopped" in err and "Traceback" not in err
    stored = httpx.get(f"{server.url}/api/v1/chatmessage/{SLOW_FLOW_ID}?chatId=cli-stop").json()
    answers = [m["content"] for m in stored if m["role"] == "apiMessage"]
    assert len(answers) == 1, "the server stored the answer cut short by the abort"
    full = slow_story("go")
    assert len(answers[0]) < len(full)


def test_show_prints_what_the_flow_did_after_the_answer(capsys, demo_url: str) -> None:
    question = "When does the bakery open on Sunday?"
    code, plain_out, _ = run(capsys, "ask", "--url", demo_url, "Bakery Docs (RAG)", question)
    assert code == 0 and "Sources" not in plain_out, "without --show, only the answer"
    code, out, err = run(
        capsys,
        *("ask", "--url", demo_url, "Bakery Docs (RAG)", question),
        *("--show", "sources,tools"),
    )
    assert code == 0, err
    answer, _, panes = out.partition("\n\n**Sources**\n\n1. **crumb-and-co-hours.txt**")
    assert answer == plain_out.rstrip("\n") and panes, out
    assert panes.endswith("\n\nNo tools.\n")


def test_show_session_names_the_session_to_continue(capsys, demo_url: str) -> None:
    code, out, err = run(
        capsys, "ask", "--url", demo_url, "--show", "session", "Demo Chat", "apples"
    )
    assert code == 0, err
    session = out.rsplit("\nSession: ", 1)[1].split()[0]
    code, again, err = run(
        capsys, "ask", "--url", demo_url, "--session", session, "Demo Chat", "and now?"
    )
    assert code == 0, err
    assert 'Earlier you asked: "apples"' in again


def test_show_refuses_what_it_does_not_know(capsys, demo_url: str) -> None:
    with pytest.raises(SystemExit):
        main(["ask", "--url", demo_url, "--show", "sources,bogus", "Demo Chat", "hi"])
    assert "not something to show: bogus" in capsys.readouterr().err


def test_demo_server_on_a_busy_port_says_so(capsys) -> None:
    with DemoServer() as busy:
        code, out, err = run(capsys, "demo-server", "--port", str(busy.port))
    assert code == 1 and out == ""
    assert err.startswith(f"flowise-tui: cannot listen on 127.0.0.1:{busy.port}")
    assert "try another --port" in err
