"""Speech inside a prediction stream (auto-play text to speech), replayed over loopback: the
real 3.1.4 recording (the lab's provider fails: no audio) and a stream derived from Flowise's
source with audio (tests/fixtures/flowise-derived)."""

from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

from flowise_tui.conversation import Turn
from flowise_tui.flowise import FlowiseClient, PredictionRequest
from flowise_tui.flowise.events import TTSEvent, build_event
from flowise_tui.flowise.speech import Speech
from flowise_tui.flowise.stream_speech import SpeechFile, StreamedSpeech, speech_file_name
from tests.replay import ReplayServer, load

DERIVED = Path(__file__).parents[1] / "fixtures" / "flowise-derived"
FLOW = "1b3f9f2a-4aaa-4a8e-8ce6-480fa30890ab"


async def stream(body: bytes | None = None) -> tuple[Turn, StreamedSpeech, list[TTSEvent]]:
    recording = load("speech_autoplay_stream")
    if body is not None:
        recording = dataclasses.replace(recording, name="derived", body=body)
    heard = StreamedSpeech(max_bytes=1_000_000)
    turn = Turn("Say hello")
    tts = []
    async with ReplayServer(recording) as server, FlowiseClient(server.url) as client:
        async for event in client.stream_prediction(FLOW, PredictionRequest("Say hello")):
            turn.apply(event)
            heard.feed(event)
            if isinstance(event, TTSEvent):
                tts.append(event)
    return turn, heard, tts


async def test_the_lab_stream_speaks_without_audio() -> None:
    turn, heard, tts = await stream()
    assert [e.event for e in tts] == ["tts_start", "tts_end"]
    assert tts[0].audio_format == "mp3" and tts[0].message_id == tts[1].message_id
    assert heard.speech is None and heard.started
    assert heard.problem is not None and "sent no audio" in heard.problem
    assert turn.answer.text.startswith("Fake LLM answer to: ")
    assert not [e for e in turn.events if e["event"].startswith("tts")]


async def test_audio_in_the_stream_is_joined_not_kept_in_the_turn() -> None:
    turn, heard, tts = await stream((DERIVED / "speech_autoplay_audio.sse").read_bytes())
    assert [e.event for e in tts] == ["tts_start", "tts_data", "tts_data", "tts_data", "tts_end"]
    chunks = [base64.b64decode(e.audio_chunk) for e in tts if e.event == "tts_data"]
    assert [len(c) for c in chunks] == [640, 640, 100]
    assert heard.speech is not None
    assert heard.speech.audio == b"".join(chunks) and heard.speech.format == "mp3"
    name = speech_file_name(heard.speech, heard.message_id)
    assert name == f"flowise-answer-{tts[0].message_id}.mp3"
    turn.keep_speech(SpeechFile(name, len(heard.speech.audio), "mp3"))
    kept = Turn.replay(turn.question, turn.events, text=turn.answer.text)
    assert kept.speech == SpeechFile(name, 1380, "mp3")
    assert "audioChunk" not in repr(turn.events)


def tts(name: str, **data: object) -> TTSEvent:
    event = build_event(name, {"chatMessageId": "m-1", **data})
    assert isinstance(event, TTSEvent)
    return event


def test_speech_is_bounded_aborted_and_checked() -> None:
    big = base64.b64encode(bytes(3000)).decode()
    heard = StreamedSpeech(max_bytes=2000)
    for event in (tts("tts_start", format="wav"), tts("tts_data", audioChunk=big)):
        heard.feed(event)
    assert heard.feed(tts("tts_end")) is None
    assert heard.problem is not None and "larger than" in heard.problem
    heard = StreamedSpeech(max_bytes=2000)
    heard.feed(tts("tts_start", format="wav"))
    heard.feed(tts("tts_data", audioChunk="SUQz"))
    heard.feed(tts("tts_abort"))
    assert heard.feed(tts("tts_end")) is None and "tts_abort" in (heard.problem or "")
    heard = StreamedSpeech(max_bytes=2000)
    heard.feed(tts("tts_start", format="../../x"))
    heard.feed(tts("tts_data", audioChunk="***"))
    assert heard.feed(tts("tts_end")) is None and "not base64" in (heard.problem or "")
    heard.feed(tts("tts_start", format="../../x"))
    heard.feed(tts("tts_data", audioChunk="SUQz"))
    speech = heard.feed(tts("tts_end"))
    assert speech is not None and speech.format == "audio"


def test_a_server_cannot_name_the_speech_file() -> None:
    turn = Turn("q")
    turn.apply(build_event("speechFile", {"name": "x.mp3", "size": 1, "format": "mp3"}))
    assert turn.speech is None and turn.events == []
    for hostile in ("../x.mp3", ".hidden", "a/b.mp3", "a\x1b.mp3", "x" * 500):
        stored = [{"event": "speechFile", "data": {"name": hostile, "size": 1, "format": "mp3"}}]
        assert Turn.replay("q", stored).speech is None
    assert speech_file_name(Speech(b"", "mp3"), "../../etc") == "flowise-answer-etc.mp3"
