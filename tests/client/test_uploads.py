"""Uploads: what a flow accepts, which kind a file is, and sending files to the demo server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowise_tui.conversation import Turn
from flowise_tui.demo.flows import ATTACH_FLOW_ID, CHAT_FLOW_ID
from flowise_tui.flowise import (
    FlowiseClient,
    FlowiseNotFoundError,
    FlowiseServerError,
    PredictionRequest,
)
from flowise_tui.flowise.attach import UploadRefusedError, build_uploads
from flowise_tui.flowise.uploads import (
    Attachment,
    LocalFile,
    UploadChoice,
    UploadRefusal,
    UploadSettings,
    choose_kind,
    describe_file,
)
from tests.replay import WIRE

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005050200"
    "5fc8f1d20000000049454e44ae426082"
)


def recorded(name: str) -> object:
    return json.loads((WIRE / f"{name}.json").read_bytes())


def settings_of(uploads: str, config: str | None = None) -> UploadSettings:
    return UploadSettings.from_json(recorded(uploads), recorded(config) if config else None)


def local(tmp_path: Path, name: str, data: bytes) -> LocalFile:
    (tmp_path / name).write_bytes(data)
    file = describe_file(tmp_path / name)
    assert isinstance(file, LocalFile)
    return file


def test_recorded_settings_read_as_flowise_meant_them() -> None:
    image = settings_of("uploads_config_image")
    assert image.image_types == ("image/gif", "image/jpeg", "image/png", "image/webp")
    assert image.image_max_bytes == 5 * 1024 * 1024
    rag = settings_of("uploads_config_rag")
    assert ".md" in rag.rag_types and rag.rag_max_bytes == 500 * 1024 * 1024
    full = settings_of("uploads_config_file", "public_chatbot_config_file_upload")
    assert full.full_file_enabled and "application/pdf" in full.full_file_types
    assert not settings_of("uploads_config_plain").accepts_anything


def test_each_file_gets_the_kind_its_flow_takes(tmp_path: Path) -> None:
    png = local(tmp_path, "dot.png", PNG)
    note = local(tmp_path, "note.md", b"# A note\n")
    audio = local(tmp_path, "voice.webm", b"\x1aE\xdf\xa3")
    image = settings_of("uploads_config_image")
    full = settings_of("uploads_config_file", "public_chatbot_config_file_upload")
    rag = settings_of("uploads_config_rag")
    assert choose_kind(image, png) == UploadChoice(png, "file")
    assert choose_kind(full, note) == UploadChoice(note, "file:full")
    assert choose_kind(rag, note) == UploadChoice(note, "file:rag")
    refused = choose_kind(image, note)
    assert isinstance(refused, UploadRefusal)
    assert "does not accept note.md (text/markdown)" in refused.message
    assert "image/png" in refused.message
    no_stt = choose_kind(image, audio)
    assert isinstance(no_stt, UploadRefusal) and "speech-to-text" in no_stt.reason
    plain = choose_kind(settings_of("uploads_config_plain"), png)
    assert isinstance(plain, UploadRefusal) and "takes no uploads" in plain.reason


def test_too_big_and_missing_files_are_refused(tmp_path: Path) -> None:
    big = local(tmp_path, "big.png", PNG + bytes(5 * 1024 * 1024))
    refused = choose_kind(settings_of("uploads_config_image"), big)
    assert isinstance(refused, UploadRefusal) and "larger than the 5 MB" in refused.reason
    missing = describe_file(tmp_path / "nothing.png")
    assert isinstance(missing, UploadRefusal) and "No file at" in missing.reason
    folder = describe_file(tmp_path)
    assert isinstance(folder, UploadRefusal) and "is not a file" in folder.reason


def test_a_file_without_a_known_extension_is_typed_by_its_content(tmp_path: Path) -> None:
    assert local(tmp_path, "picture", PNG).mime == "image/png"
    assert local(tmp_path, "blob", b"\x00\x01").mime == "application/octet-stream"


async def test_demo_flow_receives_image_document_and_audio(demo_url: str, tmp_path: Path) -> None:
    files = [
        local(tmp_path, "dot.png", PNG),
        local(tmp_path, "note.txt", b"The spare key is under the blue pot.\n"),
        local(tmp_path, "voice.webm", b"\x1aE\xdf\xa3" + bytes(40)),
    ]
    async with FlowiseClient(demo_url) as client:
        settings = await client.upload_settings(ATTACH_FLOW_ID)
        choices = [choose_kind(settings, file) for file in files]
        assert [c.kind for c in choices if isinstance(c, UploadChoice)] == [
            "file",
            "file:full",
            "audio",
        ]
        request = PredictionRequest("What is this?")
        request.uploads = await build_uploads(client, ATTACH_FLOW_ID, request.chat_id, choices)  # type: ignore[arg-type]
        turn = Turn(request.question)
        async for event in client.stream_prediction(ATTACH_FLOW_ID, request):
            turn.apply(event)
    text = turn.answer.text
    assert "**dot.png** (image/png, 70 bytes)" in text
    assert (
        "**note.txt** (text/plain, 37 characters): “The spare key is under the blue pot.”" in text
    )
    assert "heard 44 bytes of voice.webm" in text
    assert request.uploads[1]["data"] == "The spare key is under the blue pot.\n"


async def test_demo_refuses_what_the_flow_does_not_allow(demo_url: str, tmp_path: Path) -> None:
    pdf = local(tmp_path, "paper.pdf", b"%PDF-1.4\n")
    forced = UploadChoice(pdf, "file:full")
    async with FlowiseClient(demo_url) as client:
        with pytest.raises(
            UploadRefusedError,
            match=r"refused paper\.pdf: File type 'application/pdf' is not allowed",
        ):
            await build_uploads(client, ATTACH_FLOW_ID, "c1", [forced])
        with pytest.raises(UploadRefusedError, match="not enabled for this chatflow"):
            await build_uploads(client, CHAT_FLOW_ID, "c1", [forced])
        assert not (await client.upload_settings(CHAT_FLOW_ID)).accepts_anything


async def test_demo_refuses_an_image_whose_name_lies(demo_url: str, tmp_path: Path) -> None:
    liar = local(tmp_path, "dot.txt", PNG)
    forced = UploadChoice(LocalFile(liar.path, liar.name, "image/png", liar.size), "file")
    async with FlowiseClient(demo_url) as client:
        request = PredictionRequest("And this?")
        request.uploads = await build_uploads(client, ATTACH_FLOW_ID, request.chat_id, [forced])
        with pytest.raises(FlowiseServerError, match='file extension "txt" does not match'):
            await client.predict(ATTACH_FLOW_ID, request)


def test_an_attachment_is_shown_by_name_type_and_size() -> None:
    attachment = Attachment("dot.png", "image/png", 70, "file")
    assert attachment.label == "dot.png (image, image/png, 70 B)"
    assert Attachment.from_json(attachment.to_json()) == attachment
    odd = Attachment.from_json({"name": "a\x1b[31mb\n.png", "size": -4, "mime": "x" * 300})
    assert (odd.name, odd.size, odd.mime) == ("a [31mb .png", None, "x" * 100)
    assert odd.label == f"a [31mb .png ({'x' * 100})"  # a size not known is not shown


async def test_an_unknown_chatflow_is_said_as_such(demo_url: str) -> None:
    async with FlowiseClient(demo_url) as client:
        with pytest.raises(FlowiseNotFoundError, match="was not found"):
            await client.upload_settings("00000000-0000-4000-8000-000000000000")
