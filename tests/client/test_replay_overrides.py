"""Override settings, leads and text to speech from real Flowise 3.1.4 recordings, replayed
over loopback, and the pure checks on them."""

from __future__ import annotations

import json

import pytest

from flowise_tui.flowise import FlowiseClient, PredictionRequest
from flowise_tui.flowise.leads import LeadForm, lead_problem
from flowise_tui.flowise.overrides import OverridePolicy, dropped_overrides
from flowise_tui.flowise.speech import SpeechError, speech_from_stream
from tests.replay import ReplayServer, load

REPLAYED = frozenset(
    {
        "overrides_chatflow",
        "overrides_off_chatflow",
        "overrides_chatflow_no_key",
        "overrides_public_chatflow_private",
        "overrides_prediction",
        "public_chatbot_config_leads",
        "public_chatbot_config_speech",
        "leads_create",
        "speech_generate_no_provider",
    }
)
"""The recordings these tests serve over loopback (test_replay_endpoints counts them)."""
ASKED = {
    "temperature": 0.9,
    "modelName": "gpt-not-allowed",
    "systemMessagePrompt": "x",
    "vars": {"team": "ops", "secret": "s"},
    "sessionId": "s-1",
}


def replay(name: str) -> ReplayServer:
    assert name in REPLAYED
    return ReplayServer(load(name))


def flow_of(server: ReplayServer) -> str:
    return server.recording.path.rsplit("/", 1)[1]


async def policy_from(name: str) -> OverridePolicy:
    recording = load(name)
    async with replay(name) as server:
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


@pytest.mark.parametrize("name", ["overrides_chatflow_no_key", "overrides_public_chatflow_private"])
async def test_without_a_key_the_policy_is_unknown_and_nothing_is_claimed(name: str) -> None:
    policy = await policy_from(name)
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


async def test_dropped_overrides_still_get_an_answer_and_no_word() -> None:
    async with replay("overrides_prediction") as server:
        sent = json.loads(server.recording.request_body)["overrideConfig"]
        request = PredictionRequest("q", override_config=sent)
        async with FlowiseClient(server.url, "key") as client:
            events = await client.predict(flow_of(server), request)
    assert any(e.event == "token" and "Fake LLM answer" in str(e.payload) for e in events)
    assert not any(e.event == "error" for e in events)


async def chatbot_config_from(name: str) -> dict:
    async with replay(name) as server:
        async with FlowiseClient(server.url) as client:
            return (await client.chatbot_config(flow_of(server))).raw


async def test_recorded_lead_form_and_lead() -> None:
    form = LeadForm.from_chatbot_config(await chatbot_config_from("public_chatbot_config_leads"))
    assert form is not None and form.fields == ("name", "email")
    assert form.success_message == "Thanks, we will be in touch."
    async with replay("leads_create") as server:
        recorded_body = json.loads(server.recording.request_body)
        answers = {"name": " Ada Lovelace ", "email": recorded_body["email"]}
        async with FlowiseClient(server.url) as client:
            await client.add_lead(recorded_body["chatflowid"], recorded_body["chatId"], answers)
        method, path, body = server.requests[-1]
    assert (method, path, json.loads(body)) == ("POST", "/api/v1/leads", recorded_body)
    speech_config = await chatbot_config_from("public_chatbot_config_speech")
    assert LeadForm.from_chatbot_config(speech_config) is None
    assert speech_config["isTTSEnabled"] is True


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [("name", " ", "empty"), ("email", "ada", "address"), ("phone", "call me", "digits")],
)
def test_lead_answers_are_checked(field: str, value: str, says: str) -> None:
    assert says in (lead_problem(field, value) or "")
    assert lead_problem("email", "ada@example.com") is None


async def test_recorded_speech_error_carries_flowise_message() -> None:
    async with replay("speech_generate_no_provider") as server:
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
