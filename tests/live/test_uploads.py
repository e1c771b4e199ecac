"""Uploads against a real Flowise: the flows of tests/live/lab_uploads.py (run it once first).

Skipped without FLOWISE_URL; each flow by exact name (FLOWISE_LIVE_IMAGE_UPLOAD, ...).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowise_tui.conversation import Turn
from flowise_tui.flowise import FlowiseClient, PredictionRequest
from flowise_tui.flowise.attach import UploadRefusedError, build_uploads
from flowise_tui.flowise.uploads import LocalFile, UploadChoice, choose_kind, describe_file
from tests.live import settings

pytestmark = pytest.mark.skipif(not settings.URL, reason="FLOWISE_URL is not set")

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005050200"
    "5fc8f1d20000000049454e44ae426082"
)


def local(tmp_path: Path, name: str, data: bytes) -> LocalFile:
    (tmp_path / name).write_bytes(data)
    file = describe_file(tmp_path / name)
    assert isinstance(file, LocalFile)
    return file


async def ask(client: FlowiseClient, role: str, question: str, files: list[LocalFile]) -> str:
    flow = (await client.find_chatflow(settings.wanted(role))).id
    upload_settings = await client.upload_settings(flow)
    choices = [choose_kind(upload_settings, file) for file in files]
    assert all(isinstance(c, UploadChoice) for c in choices), choices
    request = PredictionRequest(question)
    request.uploads = await build_uploads(client, flow, request.chat_id, choices)  # type: ignore[arg-type]
    turn = Turn(question)
    async for event in client.stream_prediction(flow, request):
        turn.apply(event)
    assert not turn.answer.error, turn.answer.error
    return turn.answer.text


async def test_an_image_reaches_the_model(tmp_path: Path) -> None:
    async with FlowiseClient(settings.URL, settings.API_KEY) as client:
        text = await ask(client, "image_upload", "What is this?", [local(tmp_path, "dot.png", PNG)])
    assert text.startswith("Fake LLM answer")


async def test_a_document_reaches_the_model_whole(tmp_path: Path) -> None:
    note = local(tmp_path, "live-note.txt", b"The live spare key is in the shed.\n")
    async with FlowiseClient(settings.URL, settings.API_KEY) as client:
        text = await ask(client, "file_upload", "Where is the key?", [note])
    assert "<doc name='live-note.txt'>The live spare key is in the shed. </doc>" in text


async def test_a_document_for_search_is_accepted(tmp_path: Path) -> None:
    note = local(tmp_path, "live-note.md", b"# Shed\nThe key is in the shed.\n")
    async with FlowiseClient(settings.URL, settings.API_KEY) as client:
        text = await ask(client, "rag_upload", "Where is the key?", [note])
    assert text.startswith("Fake LLM answer")


async def test_what_a_flow_does_not_take_is_refused(tmp_path: Path) -> None:
    dot = local(tmp_path, "dot.png", PNG)
    async with FlowiseClient(settings.URL, settings.API_KEY) as client:
        flow = (await client.find_chatflow(settings.wanted("file_upload"))).id
        assert not isinstance(choose_kind(await client.upload_settings(flow), dot), UploadChoice)
        with pytest.raises(UploadRefusedError, match="File type 'image/png' is not allowed"):
            await build_uploads(client, flow, "live-refusal", [UploadChoice(dot, "file:full")])
        plain = (await client.find_chatflow(settings.wanted("plain"))).id
        voice = local(tmp_path, "voice.webm", b"\x1aE\xdf\xa3")
        refusal = choose_kind(await client.upload_settings(plain), voice)
        assert not isinstance(refusal, UploadChoice)
