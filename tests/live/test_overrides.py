"""Runtime overrides, leads and text to speech against a real Flowise (flows from
tests/live/lab_overrides.py). Where the lab's fake model logs what it received, the test also
checks that an allowed override reached the model and a locked one did not."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from flowise_tui.flowise import Chatflow
from flowise_tui.flowise.leads import LeadForm
from flowise_tui.flowise.overrides import dropped_overrides
from flowise_tui.flowise.speech import SpeechError
from tests.live import settings
from tests.live.conftest import client

MODEL_LOG = Path.home() / ".cache" / "flowise-lab" / "data" / "fake_llm_requests.jsonl"
ASKED = {"temperature": 0.9, "modelName": "gpt-locked", "vars": {"team": "ops", "secret": "s"}}


def role(name: str):
    return pytest.mark.parametrize("flow", [name], indirect=True)


def needs_key() -> None:
    if not settings.API_KEY:
        pytest.skip("reading a flow's override settings needs FLOWISE_API_KEY")


@role("overrides")
def test_the_flow_names_what_it_drops(flow: Chatflow) -> None:
    needs_key()

    async def policy():
        async with client() as c:
            return await c.override_policy(flow.id)

    policy = asyncio.run(policy())
    assert policy.known and policy.enabled
    assert [d.name for d in dropped_overrides(policy, ASKED)] == ["modelName", "vars.secret"]


@role("overrides_off")
def test_a_flow_without_override_config_drops_all(flow: Chatflow) -> None:
    needs_key()

    async def policy():
        async with client() as c:
            return await c.override_policy(flow.id)

    dropped = dropped_overrides(asyncio.run(policy()), ASKED)
    assert [d.name for d in dropped] == ["temperature", "modelName", "vars.team", "vars.secret"]


@role("overrides")
def test_without_a_key_nothing_is_claimed(flow: Chatflow) -> None:
    async def policy():
        async with client(api_key=None) as c:
            return await c.override_policy(flow.id)

    assert not asyncio.run(policy()).known


@role("overrides")
def test_ask_warns_and_only_allowed_overrides_reach_the_model(
    flow: Chatflow, live_env: dict[str, str], tmp_path: Path
) -> None:
    needs_key()
    seen = MODEL_LOG.stat().st_size if MODEL_LOG.exists() else None
    question = f"live override probe {uuid.uuid4().hex[:8]}"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "flowise_tui", "ask", "--no-stream", flow.id, question),
            *("--override", json.dumps({k: v for k, v in ASKED.items() if k != "vars"})),
            *("--var", "team=ops", "--var", "secret=s"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **live_env, "FLOWISE_TUI_CONFIG": str(tmp_path / "c.toml")},
    )
    assert result.returncode == 0, result.stderr
    assert "modelName is sent but Flowise will ignore it" in result.stderr
    assert "vars.secret is sent but Flowise will ignore it" in result.stderr
    assert "temperature is sent" not in result.stderr
    if seen is None:
        return  # not the lab: what the model received cannot be read
    with MODEL_LOG.open("rb") as log:
        log.seek(seen)
        bodies = [json.loads(line).get("body") or {} for line in log]
    [sent] = [b for b in bodies if question in json.dumps(b.get("messages"))]
    assert sent["temperature"] == 0.9
    assert sent["model"] != "gpt-locked"


@role("leads")
def test_the_lead_form_and_its_endpoint(flow: Chatflow) -> None:
    async def run() -> tuple[LeadForm | None, None]:
        async with client(api_key=None) as c:
            config = await c.chatbot_config(flow.id)
            await c.add_lead(
                flow.id, f"tui-live-{uuid.uuid4()}", {"name": "Live", "email": "l@x.io"}
            )
            return LeadForm.from_chatbot_config(config.raw), None

    form, _ = asyncio.run(run())
    assert form is not None and form.fields == ("name", "email")


@role("speech")
def test_speech_failure_carries_flowise_message(flow: Chatflow) -> None:
    async def run() -> bytes:
        async with client() as c:
            assert (await c.chatbot_config(flow.id)).raw.get("isTTSEnabled") is True
            return (await c.speech(flow.id, "Hello from the live suite", "tui-live", "m-1")).audio

    try:
        assert asyncio.run(run())  # a Flowise that reaches its provider: audio
    except SpeechError as exc:
        assert exc.server_message  # the lab reaches no provider: Flowise says why
