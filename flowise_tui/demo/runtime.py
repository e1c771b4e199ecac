"""The demo's runtime overrides, lead capture and text to speech, in Flowise 3.1.4's wire format.

"Tunable Chat" lets a caller override the model's `temperature`, the chain's
`systemMessagePrompt` and the variable `team` (its `apiConfig`), and speaks its answers (on
request, and inside every streamed answer: its text to speech has auto-play);
"Leads Desk" asks for a name and an email before the first message. Every other demo flow
has no `apiConfig`, so Flowise would drop every override sent to it.
"""

from __future__ import annotations

import base64
import io
import math
import struct
import uuid
import wave
from typing import TYPE_CHECKING

from starlette.responses import Response, StreamingResponse

from .clock import iso_timestamp
from .flows import LEADS_FLOW_ID, TUNABLE_FLOW_ID, find_flow
from .routes.common import demo_state, json_body, management_denied
from .wire import compact_json, error_response, json_response

if TYPE_CHECKING:
    from starlette.requests import Request

    from .output import Output

API_CONFIGS: dict[str, dict[str, object]] = {
    TUNABLE_FLOW_ID: {
        "overrideConfig": {
            "status": True,
            "nodes": {
                "Deterministic Demo Model": [
                    {
                        "label": "Temperature",
                        "name": "temperature",
                        "type": "number",
                        "enabled": True,
                    },
                    {
                        "label": "Model Name",
                        "name": "modelName",
                        "type": "string",
                        "enabled": False,
                    },
                ],
                "Conversation Chain": [
                    {
                        "label": "System Message",
                        "name": "systemMessagePrompt",
                        "type": "string",
                        "enabled": True,
                    }
                ],
            },
            "variables": [
                {"id": "", "name": "team", "type": "static", "enabled": True},
                {"id": "", "name": "secret", "type": "static", "enabled": False},
            ],
        }
    }
}
LEADS: dict[str, dict[str, object]] = {
    LEADS_FLOW_ID: {
        "status": True,
        "title": "Before we start: who are you?",
        "name": True,
        "email": True,
        "phone": False,
        "successMessage": "Thanks, we will be in touch.",
    }
}
SPEAKING_FLOWS = frozenset({TUNABLE_FLOW_ID})
AUTOPLAY_FLOWS = frozenset({TUNABLE_FLOW_ID})
"""Flows whose answers are spoken inside the prediction stream (`tts_*` events)."""
_CHUNK = 640  # Flowise sends the audio in small pieces
_LEAD_FIELDS = ("chatflowid", "chatId", "name", "email", "phone")


def kept_overrides(flow_id: str, override: dict[str, object]) -> dict[str, object]:
    """What of `override` Flowise hands to the flow's nodes: nothing unless the flow's
    override config is on, then each enabled parameter and each enabled variable."""
    config = API_CONFIGS.get(flow_id, {}).get("overrideConfig")
    if not isinstance(config, dict) or config.get("status") is not True:
        return {}
    nodes = config.get("nodes")
    enabled = {
        param["name"]
        for params in (nodes.values() if isinstance(nodes, dict) else [])
        for param in params
        if param.get("enabled")
    }
    variables = {v["name"] for v in config.get("variables", []) if v.get("enabled")}
    kept = {key: value for key, value in override.items() if key in enabled}
    given_vars = override.get("vars")
    if isinstance(given_vars, dict):
        kept_vars = {name: value for name, value in given_vars.items() if name in variables}
        if kept_vars:
            kept["vars"] = kept_vars
    return kept


def api_config(flow_id: str) -> str | None:
    config = API_CONFIGS.get(flow_id)
    return None if config is None else compact_json(config)


def leads_config(flow_id: str) -> dict[str, object]:
    return {"leads": LEADS[flow_id]} if flow_id in LEADS else {}


def text_to_speech(flow_id: str) -> str | None:
    if flow_id not in SPEAKING_FLOWS:
        return None
    auto = flow_id in AUTOPLAY_FLOWS
    return compact_json({"openai": {"status": True, "voice": "alloy", "autoPlay": auto}})


async def speak_in_stream(out: Output, flow_id: str, message_id: str | None, text: str) -> None:
    """Auto-play: the answer spoken inside its stream, after the tokens and before
    `metadata`, as Flowise 3.1.4's `generateTTSForResponseStream` sends it (recording
    `speech_autoplay_stream`; the audio pieces as its source cuts them)."""
    if flow_id not in AUTOPLAY_FLOWS or not text:
        return
    audio = _tone(text)
    await out.event("tts_start", {"chatMessageId": message_id, "format": "wav"})
    for i in range(0, len(audio), _CHUNK):
        chunk = base64.b64encode(audio[i : i + _CHUNK]).decode()
        await out.event("tts_data", {"chatMessageId": message_id, "audioChunk": chunk})
    await out.event("tts_end", {"chatMessageId": message_id})


async def create_lead(request: Request) -> Response:
    body, problem = await json_body(request)
    if problem is not None:
        return problem
    stored = {key: body[key] for key in _LEAD_FIELDS if isinstance(body.get(key), str)}
    stored.setdefault("chatId", "demo-lead-chat")
    stored.update(id=str(uuid.uuid4()), createdDate=iso_timestamp())
    demo_state(request).store.leads.append(stored)
    return json_response(stored)


async def list_leads(request: Request) -> Response:
    """`GET /api/v1/leads/{flow}`: the leads a chatflow stored, oldest first (an API key)."""
    if denied := management_denied(request):
        return denied
    flow_id = request.path_params["flow_id"]
    leads = demo_state(request).store.leads
    return json_response([lead for lead in leads if lead.get("chatflowid") == flow_id])


async def generate_speech(request: Request) -> Response:
    body, problem = await json_body(request)
    if problem is not None:
        return problem
    text = body.get("text")
    if not isinstance(text, str) or not text:
        return error_response(
            400, "Error: textToSpeechController.generateTextToSpeech - text not provided!"
        )
    flow = find_flow(str(body.get("chatflowId", "")))
    message_id = body.get("chatMessageId")
    if flow is None or flow.id not in SPEAKING_FLOWS:
        events = [
            _tts(
                "tts_error",
                {
                    "error": "Error: textToSpeechController.generateTextToSpeech - "
                    "no active TTS provider configured in chatflow!"
                },
            )
        ]
    else:
        audio = _tone(text)
        events = [_tts("tts_start", {"chatMessageId": message_id, "format": "wav"})]
        events += [
            _tts(
                "tts_data",
                {
                    "chatMessageId": message_id,
                    "audioChunk": base64.b64encode(audio[i : i + _CHUNK]).decode(),
                },
            )
            for i in range(0, len(audio), _CHUNK)
        ]
        events.append(_tts("tts_end", {"chatMessageId": message_id}))
    return StreamingResponse(iter(events), media_type="text/event-stream")


def _tts(event: str, data: dict[str, object]) -> bytes:
    payload = compact_json({"event": event, "data": data})
    return f"event: {event}\ndata: {payload}\n\n".encode()


def _tone(text: str) -> bytes:
    """A short WAV that any player plays: one soft beep per word, up to eight."""
    rate, beeps = 8000, min(8, max(1, len(text.split())))
    frames = bytearray()
    for beep in range(beeps):
        pitch = 440 + 60 * (beep % 4)
        for i in range(rate // 8):
            frames += struct.pack("<h", int(6000 * math.sin(2 * math.pi * pitch * i / rate)))
        frames += b"\0\0" * (rate // 16)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return out.getvalue()
