"""Artifacts and file annotations: parsed defensively, files downloaded within bounds
(recordings of a real Flowise 3.1.4 replayed over loopback)."""

from __future__ import annotations

import pytest

from flowise_tui.flowise import (
    FlowiseClient,
    FlowiseHTTPError,
    FlowiseInvalidIdError,
    FlowiseProtocolError,
    FlowiseServerError,
    Limits,
    PredictionRequest,
)
from flowise_tui.flowise.artifacts import (
    Artifact,
    FileAnnotation,
    parse_artifacts,
    parse_file_annotations,
    safe_file_name,
)
from flowise_tui.flowise.events import ArtifactsEvent
from tests.replay import ReplayServer, load

FLOW = "6bca0340-66d7-41e8-9983-bbfcbbd57d6e"
CHAT = "d8693d36-b0e1-4c62-97cc-35c79ed712c6"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REPLAYED = {
    "artifacts_prediction",
    "artifacts_get_upload_file",
    "artifacts_get_upload_file_missing",
    "artifacts_get_upload_file_traversal",
    "artifacts_assistant_file_download",
    "artifacts_chatmessage",
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("chart.png", "chart.png"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("..", None),
        ("", None),
        ("\x1b[31mred\x1b[0m.txt", "[31mred[0m.txt"),
        ("a\u202egnp.exe", "agnp.exe"),
        (".bashrc", "bashrc"),
        ("NUL.txt", None),
        ("report. ", "report"),
        ('a<b>:c"d|e?f*.md', "abcdef.md"),
        (42, None),
    ],
)
def test_file_names_from_a_server_are_made_safe(name: object, expected: str | None) -> None:
    assert safe_file_name(name) == expected


def test_a_long_name_is_cut_keeping_its_extension() -> None:
    name = safe_file_name("x" * 500 + ".png")
    assert name is not None and len(name) <= 120 and name.endswith(".png")


def test_artifacts_parse_inline_and_stored_and_skip_the_rest() -> None:
    parsed = parse_artifacts(
        [
            {"type": "PNG", "data": "FILE-STORAGE::../chart.png"},
            {"type": "markdown", "data": "# hi"},
            {"type": "html", "data": "<b>x</b>"},
            {"type": "png", "data": "FILE-STORAGE::.."},
            {"type": "bad type!", "data": "x"},
            {"type": "text"},
            "junk",
            None,
        ]
    )
    assert parsed == [
        Artifact("png", "", "chart.png"),
        Artifact("markdown", "# hi"),
        Artifact("html", "<b>x</b>"),
    ]
    assert parsed[0].is_image and parsed[0].mime == "image/png" and parsed[0].size is None
    assert parsed[1].is_markdown and parsed[1].name == "artifact.md" and parsed[1].size == 4


def test_file_annotations_take_the_name_or_the_stored_path() -> None:
    parsed = parse_file_annotations(
        [
            {"fileName": "data.csv", "filePath": "FILE-STORAGE::data.csv"},
            {"filePath": "FILE-STORAGE::sub/out.txt"},
            {"fileName": "..", "filePath": "nowhere"},
            [],
        ]
    )
    assert parsed == [FileAnnotation("data.csv"), FileAnnotation("out.txt")]


async def test_the_recorded_stream_and_reply_carry_four_artifacts() -> None:
    for name in ("artifacts_stream", "artifacts_prediction"):
        recording = load(name)
        async with ReplayServer(recording) as server, FlowiseClient(server.url) as client:
            request = PredictionRequest(question="Draw the chart")
            if name.endswith("stream"):
                events = [e async for e in client.stream_prediction(FLOW, request)]
            else:
                events = await client.predict(FLOW, request)
        found = [e for e in events if isinstance(e, ArtifactsEvent)]
        assert len(found) == 1, name
        parsed = parse_artifacts(found[0].artifacts)
        assert [a.kind for a in parsed] == ["markdown", "html", "javascript", "png"]
        assert parsed[3].file_name == "tui-lab-chart.png"


@pytest.mark.parametrize(
    ("name", "annotation"),
    [("artifacts_get_upload_file", False), ("artifacts_assistant_file_download", True)],
)
async def test_a_stored_file_downloads_through_either_route(name: str, annotation: bool) -> None:
    async with ReplayServer(load(name)) as server, FlowiseClient(server.url) as client:
        data = await client.download_file(FLOW, CHAT, "tui-lab-chart.png", annotation=annotation)
    assert data.startswith(PNG_SIGNATURE) and data == load(name).body
    method, target, body = server.requests[-1]
    if annotation:
        assert (method, target) == ("POST", "/api/v1/openai-assistants-file/download")
        assert b'"fileName":"tui-lab-chart.png"' in body.replace(b" ", b"")
    else:
        assert method == "GET" and target.startswith("/api/v1/get-upload-file?")
        assert f"chatflowId={FLOW}&chatId={CHAT}&fileName=tui-lab-chart.png" in target


async def test_a_missing_file_is_the_servers_message() -> None:
    recording = load("artifacts_get_upload_file_missing")
    async with ReplayServer(recording) as server, FlowiseClient(server.url) as client:
        with pytest.raises(FlowiseServerError, match=r"File nope\.png not found"):
            await client.download_file(FLOW, CHAT, "nope.png")


async def test_a_name_the_server_refuses_is_an_http_error() -> None:
    recording = load("artifacts_get_upload_file_traversal")
    async with ReplayServer(recording) as server, FlowiseClient(server.url) as client:
        with pytest.raises(FlowiseHTTPError, match="HTTP 400") as caught:
            await client.download_file(FLOW, CHAT, "x")
    assert caught.value.status_code == 400


@pytest.mark.parametrize(
    ("flow", "chat", "file_name"),
    [
        (FLOW, CHAT, "../x"),
        (FLOW, CHAT, "a/b.png"),
        (FLOW, CHAT, ""),
        ("a/b", CHAT, "x.png"),
        (FLOW, "?x", "x.png"),
    ],
)
async def test_unsafe_ids_and_names_never_reach_the_server(
    flow: str, chat: str, file_name: str
) -> None:
    async with ReplayServer(load("artifacts_get_upload_file")) as server:
        async with FlowiseClient(server.url) as client:
            with pytest.raises(FlowiseInvalidIdError):
                await client.download_file(flow, chat, file_name)
    assert server.requests == []


async def test_a_file_larger_than_the_limit_is_not_read() -> None:
    limits = Limits(max_file_bytes=64)
    async with ReplayServer(load("artifacts_get_upload_file")) as server:
        async with FlowiseClient(server.url, limits=limits) as client:
            with pytest.raises(FlowiseProtocolError, match="larger than 64 bytes"):
                await client.download_file(FLOW, CHAT, "tui-lab-chart.png")


async def test_stored_history_gives_the_artifacts_back() -> None:
    async with ReplayServer(load("artifacts_chatmessage")) as server:
        async with FlowiseClient(server.url, "k") as client:
            messages = await client.chat_messages(FLOW, chat_id=CHAT)
    answers = [m for m in messages if m.role == "apiMessage"]
    assert [a.kind for a in parse_artifacts(answers[0].artifacts)][-1] == "png"
