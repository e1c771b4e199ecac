"""`ask` with saved per-chatflow overrides, warnings for the ones a flow drops, and
`--speech FILE`, against the demo server over loopback."""

from __future__ import annotations

import os
import wave
from pathlib import Path

import pytest

from flowise_tui.cli import main
from flowise_tui.config import load_config, update_config
from flowise_tui.config_overrides import FlowSettings, set_flow_settings
from flowise_tui.demo.flows import CHAT_FLOW_ID, TUNABLE_FLOW_ID


def save(profile: str, flow_id: str, settings: FlowSettings) -> None:
    config = load_config(Path(os.environ["FLOWISE_TUI_CONFIG"]))
    update_config(config, set_flow_settings(profile, flow_id, settings))


def ask(capsys: pytest.CaptureFixture[str], demo_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["ask", "--url", demo_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_saved_overrides_are_sent_and_flags_replace_them(capsys, demo_url: str) -> None:
    saved = FlowSettings(vars={"team": "ops"}, override={"temperature": 0.2})
    save("default", TUNABLE_FLOW_ID, saved)
    code, out, err = ask(capsys, demo_url, "--var", "secret=x", TUNABLE_FLOW_ID, "hi")
    assert code == 0, err
    assert 'reached the model: `temperature=0.2`, `vars={"team":"ops"}`.' in out
    assert "vars.secret is sent but Flowise will ignore it" in err
    code, out, err = ask(
        capsys, demo_url, "--override", '{"temperature": 0.7}', "Tunable Chat", "hi"
    )
    assert "`temperature=0.7`" in out and "ignore" not in err


def test_a_flow_without_override_config_is_named_for_each_key(capsys, demo_url: str) -> None:
    code, _, err = ask(capsys, demo_url, "--override", '{"temperature": 1}', CHAT_FLOW_ID, "hi")
    assert code == 0
    assert "temperature is sent but Flowise will ignore it" in err
    assert "its override config is off" in err


def test_overrides_of_another_profile_are_not_used(capsys, demo_url: str) -> None:
    save("elsewhere", TUNABLE_FLOW_ID, FlowSettings(override={"temperature": 0.2}))
    code, out, _ = ask(capsys, demo_url, TUNABLE_FLOW_ID, "hi")
    assert code == 0 and "reached the model: none." in out


def test_speech_is_saved_to_the_file(capsys, demo_url: str, tmp_path: Path) -> None:
    target = tmp_path / "answer.wav"
    code, _, err = ask(capsys, demo_url, "--speech", str(target), TUNABLE_FLOW_ID, "hi there")
    assert code == 0, err
    with wave.open(str(target)) as audio:
        assert audio.getnframes() > 0
    assert f"audio (spoken with the answer) to {target}" in err  # the flow auto-plays


def test_an_answer_not_streamed_is_spoken_after(capsys, demo_url: str, tmp_path: Path) -> None:
    target = tmp_path / "answer.wav"
    argv = ("--no-stream", "--speech", str(target), TUNABLE_FLOW_ID, "hi there")
    code, _, err = ask(capsys, demo_url, *argv)
    assert code == 0, err
    assert f"audio (spoken by the flow) to {target}" in err
    with wave.open(str(target)) as audio:
        assert audio.getnframes() > 0


def test_speech_refused_by_the_flow_says_why(capsys, demo_url: str, tmp_path: Path) -> None:
    target = tmp_path / "answer.mp3"
    code, out, err = ask(capsys, demo_url, "--speech", str(target), CHAT_FLOW_ID, "hi")
    assert code == 1 and out
    assert "no active TTS provider configured" in err
    assert not target.exists()
