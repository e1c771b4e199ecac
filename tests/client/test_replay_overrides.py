"""Override settings, leads and text to speech from real Flowise 3.1.4 recordings, replayed
over loopback, and the pure checks on them."""

from __future__ import annotations

import json

import pytest

from flowise_tui.flowise import FlowiseClient
from flowise_tui.flowise.leads import LeadForm, lead_body, lead_problem
from flowise_tui.flowise.overrides import OverridePolicy, dropped_overrides
from flowise_tui.flowise.speech import SpeechError, speech_from_stream
from tests.replay import WIRE, ReplayServer, load

ASKED = {
    "temperature": 0.9,
    "modelName": "gpt-not-allowed",
    "systemMessagePrompt": "x",
    "vars": {"team": "ops", "secret": "s"},
    "sessionId": "s-1",
}


def recorded(name: str) -> object:
    return json.loads((WIRE / f"{name}.json").read_bytes())


async def policy_from(name: str) -> OverridePolicy:
    recording = load(name)
    async with ReplayServer(recording) as server:
        async with FlowiseClient(server.url, "key") as client:
            return await client.override_policy(recording.path.rsplit("/", 1)[1])


async def test_the_recorded_flow_names_what_it_drops() -> None:
    policy = await policy_from("overrides_chatflow")
    assert policy.known and policy.enabled
    assert dict(policy.params) == {
        "temperature": ("OpenAI",),
        "systemMessagePrompt": ("Conversation Chain",),
    }
    assert [d.name for d in dropped_overrides(policy, ASKED)] == ["modelName", "vars.secret"]


async def test_a_flow_without_api_config_drops_everything_but_the_session() -> None:
    policy = await policy_from("overrides_off_chatflow")
    dropped = dropped_overrides(policy, ASKED)
    assert [d.name for d in dropped] == [
        "temperature",
        "modelName",
        "systemMessagePrompt",
        "vars.team",
        "vars.secret",
    ]
    assert "override config is off" in dropped[0].reason


async def test_without_a_key_the_policy_is_unknown_and_nothing_is_claimed() -> None:
    policy = await policy_from("overrides_chatflow_no_key")
    assert not policy.known
    assert dropped_overrides(policy, ASKED) == []


@pytest.mark.parametrize(
    "api_config",
    [None, "not json", "[1]", {"overrideConfig": "yes"}, {"overrideConfig": {"nodes": [1]}}],
)
def test_odd_api_configs_count_as_off(api_config: object) -> None:
    policy = OverridePolicy.from_chatflow({"apiConfig": api_config})
    assert policy.known and not policy.enabled and not policy.params


def test_enabled_node_params_and_variables_only() -> None:
    config = {
        "overrideConfig": {
            "status": True,
            "nodes": {"A": [{"name": "x", "enabled": True}, {"name": "y", "enabled": False}]},
            "variables": [{"name": "v", "enabled": True}, {"name": "w"}],
        }
    }
    policy = OverridePolicy.from_chatflow({"apiConfig": json.dumps(config)})
    asked = {"x": 1, "y": 2, "vars": {"v": "1", "w": "2"}, "analytics": {}}
    assert [d.name for d in dropped_overrides(policy, asked)] == ["y", "vars.w"]


def test_recorded_lead_config_and_body() -> None:
    form = LeadForm.from_chatbot_config(recorded("public_chatbot_config_leads"))
    assert form is not None and form.fields == ("name", "email")
    assert form.success_message == "Thanks, we will be in touch."
    sent = json.loads(load("leads_create").request_body)
    assert (
        lead_body(
            sent["chatflowid"], sent["chatId"], {"name": " Ada Lovelace ", "email": sent["email"]}
        )
        == sent
    )
    assert LeadForm.from_chatbot_config(recorded("public_chatbot_config_speech")) is None


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [("name", " ", "empty"), ("email", "ada", "address"), ("phone", "call me", "digits")],
)
def test_lead_answers_are_checked(field: str, value: str, says: str) -> None:
    assert says in (lead_problem(field, value) or "")
    assert lead_problem("email", "ada@example.com") is None


async def test_recorded_speech_error_carries_flowise_message() -> None:
    recording = load("speech_generate_no_provider")
    async with ReplayServer(recording) as server:
        async with FlowiseClient(server.url) as client:
            with pytest.raises(SpeechError) as caught:
                await client.speech("d730b7ad-da9e-499c-94ac-f2e47de211de", "Hello", "c", "m")
    assert caught.value.server_message == "Connection error."


def test_speech_audio_is_joined_and_bad_streams_refused() -> None:
    start = 'event: tts_start\ndata: {"event":"tts_start","data":{"format":"mp3"}}\n\n'
    chunk = 'event: tts_data\ndata: {"event":"tts_data","data":{"audioChunk":"%s"}}\n\n'
    end = 'event: tts_end\ndata: {"event":"tts_end","data":{}}\n\n'
    speech = speech_from_stream(start + chunk % "SUQz" + chunk % "BAA=" + end)
    assert (speech.audio, speech.format) == (b"ID3\x04\x00", "mp3")
    with pytest.raises(SpeechError, match="without audio"):
        speech_from_stream(start + chunk % "SUQz")
    with pytest.raises(SpeechError, match="not base64"):
        speech_from_stream(start + chunk % "***" + end)
    odd = start.replace("mp3", "../x") + chunk % "SUQz" + end
    assert speech_from_stream(odd).format == "audio"
