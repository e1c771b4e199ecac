"""Text to speech: Flowise 3.1.4's `POST /api/v1/text-to-speech/generate`.

The request names the chatflow (whose `textToSpeech` setting picks the provider, credential and
voice) and the text: `{"chatflowId", "chatId", "chatMessageId", "text"}`. The reply is an
event stream, even for errors:

    event: tts_start  data: {"event": "tts_start", "data": {"chatMessageId", "format": "mp3"}}
    event: tts_data   data: {"event": "tts_data", "data": {"chatMessageId", "audioChunk": <base64>}}
    event: tts_end    data: {"event": "tts_end", "data": {"chatMessageId"}}
    event: tts_error  data: {"event": "tts_error", "data": {"error": "<message>"}}

The public chatbot config says whether a flow has it (`isTTSEnabled`). Without an API key
Flowise only speaks for public flows.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from flowise_tui.flowise.coerce import as_dict, as_str, load_json
from flowise_tui.flowise.errors import Cause, FlowiseProtocolError

FORMATS = ("mp3", "wav", "ogg", "opus", "aac", "flac", "pcm")
"""Audio formats a file name may end in; any other the server names is saved as `.audio`."""
_BLANK_LINE = re.compile(r"\r\n\r\n|\n\n|\r\r")


@dataclass(frozen=True, slots=True)
class Speech:
    audio: bytes
    format: str
    """The file extension for the audio ("mp3"), from the server's `tts_start`."""


class SpeechError(FlowiseProtocolError):
    """The server said it could not speak (`tts_error`), or the stream ended without audio."""


def speech_request(chatflow_id: str, text: str, chat_id: str, message_id: str) -> dict[str, Any]:
    return {
        "chatflowId": chatflow_id,
        "chatId": chat_id,
        "chatMessageId": message_id,
        "text": text,
    }


def speech_from_stream(body: str) -> Speech:
    """The audio of a whole `tts_*` event stream; a `SpeechError` with the server's message
    when it sent `tts_error`, or when no `tts_end` came."""
    audio = bytearray()
    fmt = "audio"
    ended = False
    for block in _BLANK_LINE.split(body):
        data = "\n".join(
            line[5:].removeprefix(" ") for line in block.splitlines() if line.startswith("data:")
        )
        if not data:
            continue
        try:
            message = as_dict(load_json(data))
        except ValueError:
            continue
        event, payload = as_str(message.get("event")), as_dict(message.get("data"))
        if event == "tts_start":
            named = as_str(payload.get("format")).lower()
            fmt = named if named in FORMATS else "audio"
        elif event == "tts_data":
            try:
                audio += base64.b64decode(as_str(payload.get("audioChunk")), validate=True)
            except (binascii.Error, ValueError):
                raise SpeechError(
                    "The server sent audio that is not base64.", cause=Cause.BAD_SHAPE
                ) from None
        elif event == "tts_error":
            said = as_str(payload.get("error")) or "no reason given"
            raise SpeechError(
                f"The server could not speak the answer: {said}",
                cause=Cause.SERVER_FAILED,
                server_message=said,
            )
        elif event == "tts_end":
            ended = True
            break
    if not ended or not audio:
        raise SpeechError("The server's speech stream ended without audio.", cause=Cause.BAD_SHAPE)
    return Speech(bytes(audio), fmt)
