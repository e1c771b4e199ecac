"""The files of server-kept messages (`fileUploads`), from Flowise 3.1.4 recordings replayed
over loopback to the conversation, the local history and the exports."""

from __future__ import annotations

import json

import pytest

from flowise_tui.conversation import conversation_from_server
from flowise_tui.demo.flows import ATTACH_FLOW_ID
from flowise_tui.export import to_json, to_markdown
from flowise_tui.flowise import FlowiseClient, PredictionRequest
from flowise_tui.flowise.stored_uploads import MAX_STORED_UPLOADS, stored_attachments
from flowise_tui.history import HistoryStore
from tests.replay import ReplayServer, load


async def server_conversation(name: str):  # type: ignore[no-untyped-def]
    async with ReplayServer(load(name)) as server, FlowiseClient(server.url, "k") as client:
        flow_id = server.recording.path.split("?")[0].rsplit("/", 1)[1]
        messages = await client.chat_messages(flow_id)
    chat_id = messages[0].chat_id or ""
    return conversation_from_server(flow_id, "Lab", chat_id, messages)


async def test_images_and_links_of_stored_messages_are_attachments() -> None:
    conversation = await server_conversation("uploads_chatmessage_image")
    first, second = conversation.turns
    assert [a.label for a in first.attachments] == ["red dot.png (image, image/png)"]
    assert [a.label for a in second.attachments] == ["cat.jpg (image link, image/jpeg)"]
    markdown = to_markdown(conversation)
    assert "- Attached: red dot.png (image, image/png)" in markdown
    assert "example.com" not in markdown  # a link's URL is data, not a name
    exported = json.dumps(to_json(conversation))
    assert '"name": "red dot.png"' in exported and '"size": null' in exported


async def test_a_whole_document_is_named_not_its_text(tmp_path) -> None:
    conversation = await server_conversation("uploads_chatmessage_document")
    [turn] = conversation.turns
    assert [a.label for a in turn.attachments] == ["notes.txt (document, text/plain)"]
    store = HistoryStore(tmp_path / "history.sqlite3")
    store.save_conversation(conversation)
    store.save_turn(conversation, 0, turn)
    [kept] = store.load(conversation.id).turns
    assert kept.attachments == turn.attachments


async def test_the_demo_keeps_uploads_as_flowise_does(demo_url: str) -> None:
    png = "data:image/png;base64,iVBORw0KGgo="
    request = PredictionRequest("What is this?")
    request.uploads = [
        {"data": png, "type": "file", "name": "dot.png", "mime": "image/png"},
        {"data": "Some notes.", "type": "file:full", "name": "n.txt", "mime": "text/plain"},
    ]
    async with FlowiseClient(demo_url) as client:
        await client.predict(ATTACH_FLOW_ID, request)
        messages = await client.chat_messages(ATTACH_FLOW_ID, chat_id=request.chat_id)
    conversation = conversation_from_server(ATTACH_FLOW_ID, "Attach", request.chat_id, messages)
    labels = [a.label for a in conversation.turns[0].attachments]
    assert labels == ["dot.png (image, image/png)", "n.txt (document, text/plain)"]


@pytest.mark.parametrize(
    ("stored", "label"),
    [
        ('[{"type":"stored-file","name":"../../etc/passwd","mime":"text/plain"}]', "passwd"),
        (
            [{"type": "stored-file", "name": "a\x1b[31mb\nc.png", "mime": "image/png"}],
            "a [31mb c.png",
        ),
        ([{"type": "stored-file", "name": "x" * 5000, "mime": "audio/ogg"}], "x" * 200),
        ([{"type": "stored-file", "name": "..", "mime": "image/png"}], "file"),
        ([{"type": "stored-file", "name": {"no": "str"}, "mime": 7}], "file"),
    ],
)
def test_stored_names_are_bounded_and_made_safe(stored: object, label: str) -> None:
    [attachment] = stored_attachments(stored)
    assert attachment.name == label


def test_malformed_file_uploads_read_as_none_or_are_cut() -> None:
    assert stored_attachments(None) == []
    assert stored_attachments("not json") == []
    assert stored_attachments('{"name": "x"}') == []
    assert stored_attachments([1, "a", None, []]) == []
    many = [{"type": "stored-file", "name": f"{i}.png", "mime": "image/png"} for i in range(500)]
    assert len(stored_attachments(many)) == MAX_STORED_UPLOADS
    kinds = stored_attachments(
        [
            {"type": "stored-file", "name": "a.webm", "mime": "audio/webm"},
            {"type": "stored-file", "name": "b.txt", "mime": "text/plain"},
        ]
    )
    assert [a.kind for a in kinds] == ["audio", "file:rag"]
