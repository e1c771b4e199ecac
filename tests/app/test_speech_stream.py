"""An answer spoken in its stream (the demo's "Tunable Chat" auto-plays), in the real app:
kept as a file, shown under the answer with Save and Open, named in history and exports."""

from __future__ import annotations

import wave

from flowise_tui.app.screens.history import HistoryScreen
from flowise_tui.app.widgets.speech import SpeechLine
from flowise_tui.demo.flows import TUNABLE_FLOW_ID
from flowise_tui.export import to_markdown
from tests.app.conftest import SIZE, ask, wait_for
from tests.app.scenes import open_flow
from tests.faults.helpers import notifications


async def test_streamed_speech_is_kept_shown_and_saved(make_app, tmp_path, monkeypatch) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    app = make_app()
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_flow(pilot, TUNABLE_FLOW_ID)
        turn = await ask(pilot, "Say it out loud")
        speech = turn.speech
        assert speech is not None and speech.format == "wav"
        kept = tmp_path / "speech" / speech.name
        with wave.open(str(kept)) as audio:
            assert audio.getnframes() > 0
        assert speech.size == kept.stat().st_size
        line = app.chat.query_one(SpeechLine)
        shown = str(line.query_one("#speech-file").render())
        name = f"{speech.name[:21]}…{speech.name[-21:]}"  # 55 characters, cut to 43
        assert shown == f"Speech: {name} ({speech.size / 1024:.1f} KB)"
        await pilot.click("#speech-save")
        await wait_for(pilot, lambda: (here / speech.name).is_file())
        assert (here / speech.name).read_bytes() == kept.read_bytes()
        await wait_for(pilot, lambda: any("bytes of audio" in n for n in notifications(app)))
        await pilot.click("#speech-open")
        assert opened == [kept.as_uri()]
        conversation_id = app.chat.conversation.id  # type: ignore[union-attr]
    assert [e["event"] for e in turn.events if e["event"].startswith(("tts", "speech"))] == [
        "speechFile"
    ]
    conversation = app.history.load(conversation_id)
    assert conversation.turns[-1].speech == speech
    assert f"- Speech: {speech.label}" in to_markdown(conversation)


async def test_deleting_a_conversation_deletes_its_kept_audio(make_app, tmp_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_flow(pilot, TUNABLE_FLOW_ID)
        spoken = [await ask(pilot, question) for question in ("Say it", "Say it again")]
        kept = [tmp_path / "speech" / turn.speech.name for turn in spoken if turn.speech]
        assert len(kept) == 2 and all(path.is_file() for path in kept)
        unrelated = tmp_path / "speech" / "not-from-this-chat.wav"
        unrelated.write_bytes(b"RIFF")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.entries)
        await pilot.press("f8", "f8")
        await wait_for(pilot, lambda: any("Deleted" in n for n in notifications(app)))
        assert not any(path.exists() for path in kept)
        assert unrelated.is_file()
