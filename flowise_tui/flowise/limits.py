"""How much and how long the client accepts from a server: one place, settable by callers."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Every bound on what a server can make the client wait for or hold.

    Sizes count bytes after decompression. `reply_timeout` bounds the whole wait for a reply
    that is not streamed (headers and body); `first_byte_timeout` bounds the wait for the
    headers of a stream; `idle_timeout` bounds every gap between two events of a stream,
    heartbeats not counted. `max_file_bytes` bounds a file downloaded from the server.
    """

    connect_timeout: float = 10.0
    reply_timeout: float = 120.0
    first_byte_timeout: float = 30.0
    idle_timeout: float = 300.0
    max_reply_bytes: int = 16 * MIB
    max_event_bytes: int = 16 * MIB
    max_stream_bytes: int = 256 * MIB
    max_file_bytes: int = 64 * MIB
    max_speech_bytes: int = 32 * MIB
    """The most audio kept of an answer spoken in its stream (`tts_data`)."""
