"""What `ask` adds around a prediction for runtime overrides and text to speech: the saved
per-chatflow overrides joined by the command line's, a warning for each one the flow drops,
and the answer's audio saved to a file (as it streamed with the answer, or spoken after)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowise_tui.config_overrides import FlowSettings, flow_settings
from flowise_tui.flowise.errors import FlowiseError
from flowise_tui.flowise.overrides import dropped_overrides

if TYPE_CHECKING:
    from flowise_tui.config import Config
    from flowise_tui.flowise.client import FlowiseClient
    from flowise_tui.flowise.limits import Limits
    from flowise_tui.flowise.stream_speech import StreamedSpeech


def saved_settings(config: Config | None, profile: str, chatflow_id: str) -> FlowSettings:
    return FlowSettings() if config is None else flow_settings(config, profile, chatflow_id)


async def checked_overrides(
    client: FlowiseClient,
    chatflow_id: str,
    settings: FlowSettings,
    given: dict[str, Any],
    warn: Callable[[str], None],
) -> dict[str, Any]:
    """The overrideConfig to send (saved, then `given`); each key the flow will drop is
    named through `warn`. The flow's settings are read only when there is something to check."""
    override = settings.override_config(given)
    if not override:
        return override
    try:
        policy = await client.override_policy(chatflow_id)
    except FlowiseError:
        return override  # the prediction will say what is wrong with the server
    for item in dropped_overrides(policy, override):
        warn(f"{item.name} is sent but Flowise will ignore it: {item.reason}.")
    return override


def speech_listener(wanted: Path | None, limits: Limits) -> StreamedSpeech | None:
    """What keeps the audio of an answer spoken in its stream, when `--speech` wants it."""
    if wanted is None:
        return None
    from flowise_tui.flowise.stream_speech import StreamedSpeech

    return StreamedSpeech(limits.max_speech_bytes)


async def save_speech(
    client: FlowiseClient,
    chatflow_id: str,
    text: str,
    chat_id: str,
    message_id: str,
    path: Path,
    streamed: StreamedSpeech | None = None,
) -> str:
    """The answer's audio into `path`, what was written in words: the audio spoken in the
    stream (auto-play), else `text` spoken now by the flow's text to speech. A FlowiseError
    (with the server's message) when the server could not speak."""
    if streamed is not None and streamed.speech is not None:
        speech = streamed.speech
        how = "spoken with the answer"
    elif streamed is not None and streamed.started:  # it spoke in the stream, and failed
        from flowise_tui.flowise.speech import SpeechError

        raise SpeechError(streamed.problem or "The answer was spoken without audio.")
    else:
        speech = await client.speech(chatflow_id, text, chat_id, message_id)
        how = "spoken by the flow"
    path.write_bytes(speech.audio)
    return f"saved {len(speech.audio)} bytes of {speech.format} audio ({how}) to {path}"
