"""Uploads replayed from a real Flowise 3.1.4: settings, attachments, upserts, predictions.

(Named to run before test_replay_endpoints, whose last test checks every recording is replayed.)
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from flowise_tui.flowise import FlowiseClient, FlowiseServerError, PredictionRequest
from flowise_tui.flowise.attach import UploadRefusedError, build_uploads
from flowise_tui.flowise.events import TokenEvent
from flowise_tui.flowise.uploads import LocalFile, UploadChoice, choose_kind, describe_file
from tests.client.test_replay_endpoints import flow_of, replay

NOTE = b"Flowise Lab note: the spare key is under the blue flowerpot.\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def sent_body(recording_body: bytes) -> dict[str, object]:
    return json.loads(recording_body)


def local(tmp_path: Path, name: str, data: bytes) -> LocalFile:
    (tmp_path / name).write_bytes(data)
    file = describe_file(tmp_path / name)
    assert isinstance(file, LocalFile)
    return file


@pytest.mark.parametrize(
    ("name", "image", "rag", "full"),
    [
        ("uploads_config_image", True, False, False),
        ("uploads_config_rag", False, True, False),
        ("uploads_config_file", False, False, False),
        ("uploads_config_plain", False, False, False),
        ("public_chatbot_config_file_upload", False, False, True),
    ],
)
async def test_upload_settings(name: str, image: bool, rag: bool, full: bool) -> None:
    async with replay(name) as server, FlowiseClient(server.url) as client:
        settings = await client.upload_settings(flow_of(server))
    assert (bool(settings.image_types), bool(settings.rag_types)) == (image, rag)
    assert settings.full_file_enabled is full


async def test_an_image_goes_in_the_prediction_as_flowise_took_it(tmp_path: Path) -> None:
    dot = local(tmp_path, "red-dot.png", PNG)
    async with replay("upload_image_prediction") as server, FlowiseClient(server.url) as client:
        flow = flow_of(server)
        recorded = sent_body(server.recording.request_body)
        uploads = await build_uploads(client, flow, "c", [UploadChoice(dot, "file")])
        assert uploads == recorded["uploads"]
        request = PredictionRequest(str(recorded["question"]), uploads=uploads)
        events = await client.predict(flow, request)
    assert json.loads(server.requests[-1][2])["uploads"] == recorded["uploads"]
    assert any(isinstance(e, TokenEvent) and "Fake LLM answer" in e.text for e in events)


async def test_a_document_is_read_by_the_attachments_endpoint(tmp_path: Path) -> None:
    note = local(tmp_path, "lab-note.txt", NOTE)
    async with replay("attachments_text") as server, FlowiseClient(server.url) as client:
        flow, chat = server.recording.path.rsplit("/", 2)[1:]
        uploads = await build_uploads(client, flow, chat, [UploadChoice(note, "file:full")])
    method, target, body = server.requests[-1]
    assert (method, target) == ("POST", server.recording.path)
    assert b'name="files"; filename="lab-note.txt"' in body and NOTE in body
    recorded = sent_body(load_request("upload_file_full_prediction"))
    assert uploads == recorded["uploads"]


def load_request(name: str) -> bytes:
    from tests.replay import load

    return load(name).request_body


async def test_the_document_prediction_replays() -> None:
    async with replay("upload_file_full_prediction") as server, FlowiseClient(server.url) as client:
        recorded = sent_body(server.recording.request_body)
        request = PredictionRequest("Where is the spare key?", uploads=recorded["uploads"])  # type: ignore[arg-type]
        events = await client.predict(flow_of(server), request)
    text = "".join(e.text for e in events if isinstance(e, TokenEvent))
    assert "<doc name='lab-note.txt'>" in text


@pytest.mark.parametrize(
    ("name", "said"),
    [
        (
            "attachments_type_refused",
            "File type 'image/png' is not allowed. Allowed types: text/plain",
        ),
        ("attachments_upload_off", "File upload is not enabled for this chatflow"),
    ],
)
async def test_a_refused_document_says_why(name: str, said: str, tmp_path: Path) -> None:
    dot = local(tmp_path, "red-dot.png", PNG)
    async with replay(name) as server, FlowiseClient(server.url) as client:
        flow, chat = server.recording.path.rsplit("/", 2)[1:]
        with pytest.raises(UploadRefusedError) as caught:
            await build_uploads(client, flow, chat, [UploadChoice(dot, "file:full")])
    assert str(caught.value).startswith("The chatflow refused red-dot.png: ")
    assert said in str(caught.value) and "attachmentService" not in str(caught.value)


async def test_a_rag_document_is_upserted_with_the_chat_id_first(tmp_path: Path) -> None:
    note = local(tmp_path, "lab-note.txt", NOTE)
    async with replay("vector_upsert_rag_file") as server, FlowiseClient(server.url) as client:
        uploads = await build_uploads(
            client, flow_of(server), "chat-7", [UploadChoice(note, "file:rag")]
        )
    body = server.requests[-1][2]
    assert b'name="chatId"\r\n\r\nchat-7' in body and b'filename="lab-note.txt"' in body
    rag_prediction = sent_body(load_request("upload_file_rag_prediction"))
    assert uploads == rag_prediction["uploads"]
    async with replay("upload_file_rag_prediction") as server, FlowiseClient(server.url) as client:
        events = await client.predict(flow_of(server), PredictionRequest("Where?", uploads=uploads))
    assert events


async def test_audio_without_speech_to_text_is_ignored_by_flowise_so_refused_here(
    tmp_path: Path,
) -> None:
    async with replay("upload_audio_no_stt") as server, FlowiseClient(server.url) as client:
        recorded = sent_body(server.recording.request_body)
        events = await client.predict(
            flow_of(server), PredictionRequest("", uploads=recorded["uploads"])
        )  # type: ignore[arg-type]
    # Flowise answered as if nothing was said: the audio never reached the model.
    assert "Fake LLM answer to: ." in "".join(e.text for e in events if isinstance(e, TokenEvent))
    async with replay("uploads_config_plain") as server, FlowiseClient(server.url) as client:
        settings = await client.upload_settings(flow_of(server))
    voice = local(tmp_path, "audio.webm", b"\x1aE\xdf\xa3")
    refusal = choose_kind(settings, voice)
    assert not isinstance(refusal, UploadChoice)


async def test_a_name_that_does_not_fit_the_type_is_the_flows_refusal() -> None:
    async with replay("upload_image_name_mismatch") as server, FlowiseClient(server.url) as client:
        recorded = sent_body(server.recording.request_body)
        request = PredictionRequest("And this?", uploads=recorded["uploads"])  # type: ignore[arg-type]
        with pytest.raises(FlowiseServerError, match='file extension "txt" does not match'):
            await client.predict(flow_of(server), request)
