"""Against a real Flowise: the files of stored messages read back as attachments, `ask --lead`,
and speech inside the prediction stream (flows from tests/live/lab_uploads.py and
tests/live/lab_overrides.py)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from flowise_tui.conversation import conversation_from_server
from flowise_tui.flowise import Chatflow, PredictionRequest
from flowise_tui.flowise.events import TTSEvent
from flowise_tui.flowise.stream_speech import StreamedSpeech
from tests.live import settings
from tests.live.conftest import client

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
"""One red pixel."""


def role(name: str):
    return pytest.mark.parametrize("flow", [name], indirect=True)


def needs_key() -> None:
    if not settings.API_KEY:
        pytest.skip("reading server history needs FLOWISE_API_KEY")


def ask(live_env: dict[str, str], tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flowise_tui", "ask", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **live_env, "FLOWISE_TUI_CONFIG": str(tmp_path / "c.toml")},
    )


@role("image_upload")
def test_an_image_sent_comes_back_in_history_by_name(flow: Chatflow) -> None:
    needs_key()
    picture = f"data:image/png;base64,{PNG}"
    request = PredictionRequest("What is in the picture?", chat_id=f"tui-live-{uuid.uuid4()}")
    request.uploads = [{"data": picture, "type": "file", "name": "dot.png", "mime": "image/png"}]

    async def run():
        async with client() as c:
            await c.predict(flow.id, request)
            return await c.chat_messages(flow.id, chat_id=request.chat_id)

    messages = asyncio.run(run())
    conversation = conversation_from_server(flow.id, flow.name, request.chat_id, messages)
    assert [a.label for a in conversation.turns[0].attachments] == ["dot.png (image, image/png)"]


@role("leads")
def test_ask_sends_the_lead_first_or_says_how(
    flow: Chatflow, live_env: dict[str, str], tmp_path: Path
) -> None:
    needs_key()
    session = f"tui-live-lead-{uuid.uuid4().hex[:12]}"
    leads = ("--lead", "name=Live Suite", "--lead", "email=live@example.com")
    done = ask(live_env, tmp_path, "--session", session, *leads, flow.id, "hello")
    assert done.returncode == 0, done.stderr
    assert "contact details sent" in done.stderr
    stored = httpx.get(
        f"{settings.URL}/api/v1/chatmessage/{flow.id}",
        params={"chatId": session},
        headers={"Authorization": f"Bearer {settings.API_KEY}"},
    ).json()
    assert [m["leadEmail"] for m in stored if m["role"] == "userMessage"] == ["live@example.com"]
    plain = ask(live_env, tmp_path, flow.id, "hello")
    assert plain.returncode == 0 and "asks for contact details (name, email)" in plain.stderr


@role("speech_autoplay")
def test_speech_in_the_stream(flow: Chatflow, live_env: dict[str, str], tmp_path: Path) -> None:
    async def run() -> tuple[list[str], StreamedSpeech]:
        heard = StreamedSpeech(max_bytes=32 * 1024 * 1024)
        names = []
        async with client() as c:
            async for event in c.stream_prediction(flow.id, PredictionRequest("Say hello")):
                heard.feed(event)
                if isinstance(event, TTSEvent):
                    names.append(event.event)
        return names, heard

    names, heard = asyncio.run(run())
    assert names[0] == "tts_start" and names[-1] == "tts_end"
    target = tmp_path / "answer.mp3"
    done = ask(live_env, tmp_path, "--speech", str(target), flow.id, "Say hello")
    if heard.speech is not None:  # a Flowise that reaches its provider
        assert done.returncode == 0 and target.stat().st_size > 0
    else:  # the lab: the provider fails, Flowise ends the speech without audio
        assert heard.problem and "sent no audio" in done.stderr
        assert done.returncode == 1 and not target.exists()
