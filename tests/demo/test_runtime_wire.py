"""The demo's override settings, leads and text to speech speak Flowise 3.1.4's wire format
(compared with the recordings in tests/fixtures/flowise-wire)."""

from __future__ import annotations

import json

import httpx

from flowise_tui.demo.flows import CHAT_FLOW_ID, LEADS_FLOW_ID, TUNABLE_FLOW_ID
from tests.replay import WIRE, recorded_events


def recorded(name: str) -> dict:
    return json.loads((WIRE / f"{name}.json").read_bytes())


def test_api_config_is_a_json_string_of_the_recorded_shape(demo_url: str) -> None:
    flow = httpx.get(f"{demo_url}/api/v1/chatflows/{TUNABLE_FLOW_ID}").json()
    real = recorded("overrides_chatflow")
    assert set(flow) == set(real)
    mine, theirs = json.loads(flow["apiConfig"]), json.loads(real["apiConfig"])
    assert set(mine["overrideConfig"]) == set(theirs["overrideConfig"])
    plain = httpx.get(f"{demo_url}/api/v1/chatflows/{CHAT_FLOW_ID}").json()
    assert plain["apiConfig"] is recorded("overrides_off_chatflow")["apiConfig"] is None


def test_leads_config_and_reply_match_the_recordings(demo_url: str) -> None:
    config = httpx.get(f"{demo_url}/api/v1/public-chatbotConfig/{LEADS_FLOW_ID}").json()
    assert config["leads"] == recorded("public_chatbot_config_leads")["leads"]
    body = {"chatflowid": LEADS_FLOW_ID, "chatId": "c-1", "name": "Ada", "email": "a@b.io"}
    reply = httpx.post(f"{demo_url}/api/v1/leads", json=body).json()
    assert set(reply) == set(recorded("leads_create"))
    assert {key: reply[key] for key in body} == body


def test_speech_streams_the_recorded_events(demo_url: str) -> None:
    ask = {"chatflowId": TUNABLE_FLOW_ID, "chatId": "c", "chatMessageId": "m", "text": "Hi there"}
    spoken = httpx.post(f"{demo_url}/api/v1/text-to-speech/generate", json=ask)
    assert spoken.headers["content-type"].startswith("text/event-stream")
    names = [name for name, _ in recorded_events(spoken.content)]
    assert names[0] == "tts_start" and names[-1] == "tts_end"
    assert set(names[1:-1]) == {"tts_data"}
    refused = httpx.post(
        f"{demo_url}/api/v1/text-to-speech/generate", json={**ask, "chatflowId": CHAT_FLOW_ID}
    )
    [(name, data)] = recorded_events(refused.content)
    real = dict(recorded_events((WIRE / "speech_generate_no_provider.txt").read_bytes()))
    assert name == "tts_error" and set(data) == set(real["tts_error"])
