"""An answer spoken inside its prediction stream, when the flow's text to speech has auto-play.

Flowise 3.1.4 (`buildChatflow.generateTTSForResponseStream`, recording
`speech_autoplay_stream`) sends, after the answer's tokens and before `metadata`:

    {"event": "tts_start", "data": {"chatMessageId": "...", "format": "mp3"}}
    {"event": "tts_data",  "data": {"chatMessageId": "...", "audioChunk": "<base64>"}}   (many)
    {"event": "tts_end",   "data": {"chatMessageId": "..."}}

A provider that fails still ends with `tts_end`, without audio. `tts_abort` `{chatMessageId}`
ends the speech early (someone asked `POST /text-to-speech/abort`).

`StreamedSpeech` joins the chunks into one `Speech`, bounded; what an answer keeps of it is a
`SpeechFile` (the name of the file the audio went to, its size and format), never the audio.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from flowise_tui.flowise.coerce import as_dict, as_str
from flowise_tui.flowise.events import FlowiseEvent, TTSEvent
from flowise_tui.flowise.speech import FORMATS, Speech
from flowise_tui.flowise.uploads import human_size

_MAX_NAME = 120


class StreamedSpeech:
    """Collects the `tts_*` events of one stream; `feed` gives the speech at `tts_end`.

    `problem` says, for a person, why a finished speech has no audio; None while all is well.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.problem: str | None = None
        self.message_id = ""
        self._format = "audio"
        self._audio = bytearray()
        self._too_large = False
        self.started = False
        self.speech: Speech | None = None
        """The last whole speech `feed` gave."""

    def feed(self, event: FlowiseEvent) -> Speech | None:
        """Take one event (any kind; only `tts_*` count); the whole speech on `tts_end`."""
        if not isinstance(event, TTSEvent):
            return None
        match event.event:
            case "tts_start":
                self._restart(event)
            case "tts_data":
                self._add(event.audio_chunk)
            case "tts_end":
                return self._finish(event)
            case "tts_abort":
                self._audio.clear()
                self.problem = "The server stopped speaking the answer (tts_abort)."
        return None

    def _restart(self, event: TTSEvent) -> None:
        named = event.audio_format.lower()
        self._format = named if named in FORMATS else "audio"
        self.message_id = event.message_id
        self._audio.clear()
        self._too_large = False
        self.problem = None
        self.started = True

    def _add(self, chunk: str) -> None:
        if self._too_large or self.problem:
            return
        if len(chunk) * 3 // 4 > self.max_bytes - len(self._audio):
            self._too_large = True
            self._audio.clear()
            limit = human_size(self.max_bytes)
            self.problem = f"The answer's audio is larger than {limit}; it was not kept."
            return
        try:
            self._audio += base64.b64decode(chunk, validate=True)
        except (binascii.Error, ValueError):
            self._audio.clear()
            self.problem = "The server sent audio that is not base64; it was not kept."

    def _finish(self, event: TTSEvent) -> Speech | None:
        self.message_id = self.message_id or event.message_id
        if self.problem:
            return None
        if not self._audio:
            self.problem = (
                "The flow's text to speech sent no audio (its provider failed: the server's "
                "log says why)."
            )
            return None
        self.speech = Speech(bytes(self._audio), self._format)
        self._audio = bytearray()
        return self.speech


@dataclass(frozen=True, slots=True)
class SpeechFile:
    """Where an answer's streamed speech was kept: a file name (no folder), size, format."""

    name: str
    size: int
    format: str

    @property
    def label(self) -> str:
        return f"{self.name} ({human_size(self.size)})"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "format": self.format}

    @classmethod
    def from_json(cls, data: Any) -> SpeechFile | None:
        """From `to_json`'s dict, or None when it names no usable file."""
        data = as_dict(data)
        name = safe_file_name(as_str(data.get("name")))
        size = data.get("size")
        if not name or not isinstance(size, int) or isinstance(size, bool) or size < 0:
            return None
        fmt = as_str(data.get("format")).lower()
        return cls(name, size, fmt if fmt in FORMATS else "audio")


def speech_file_name(speech: Speech, message_id: str, chat_id: str = "") -> str:
    """`flowise-answer-<message id>.<format>`, the name the palette's "Save answer audio"
    gives too; only letters, digits, `-` and `_` of the id are kept."""
    wanted = (message_id or chat_id)[:36]
    stem = "".join(c for c in wanted if c.isascii() and (c.isalnum() or c in "-_"))
    return f"flowise-answer-{stem or 'answer'}.{speech.format}"


def safe_file_name(name: str) -> str:
    """`name` when it is a plain file name (no folder, no control character, not hidden),
    else ""."""
    if (
        not name
        or len(name) > _MAX_NAME
        or name.startswith(".")
        or any(c in "/\\:" or not c.isprintable() for c in name)
    ):
        return ""
    return name
