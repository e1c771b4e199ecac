"""The files of an answer as text and on disk: HTML never interpreted, nothing overwritten
without being asked, the same files after a turn is stored and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowise_tui.conversation import Conversation, Turn
from flowise_tui.export import to_markdown
from flowise_tui.returned_files import (
    ReturnedFile,
    as_markdown,
    fenced,
    free_path,
    html_to_text,
    returned_files,
    save_file,
)

PAGE = {"type": "html", "data": "<p>a &amp; b</p><style>x{}</style>"}
CHART = {"type": "png", "data": "FILE-STORAGE::c.png"}
TABLE = {"filePath": "FILE-STORAGE::d.csv", "fileName": "d.csv"}
EVENTS = [
    {"event": "artifacts", "data": [PAGE, CHART]},
    {"event": "fileAnnotations", "data": [TABLE]},
]


def test_html_becomes_its_text_only() -> None:
    html = '<h1>T</h1><script>alert("x")</script><p onclick="x()">a &lt;b&gt; <i>c</i></p>'
    assert html_to_text(html) == "T\n\na <b> c"


def test_a_fence_no_line_of_the_code_can_close() -> None:
    block = fenced("x\n````\ny", "js")
    assert block.startswith("`````js\n") and block.endswith("\n`````")


def test_a_stored_turn_gives_the_same_files_back() -> None:
    turn = Turn.replay("q", EVENTS, text="answer")
    files = returned_files(turn.answer)
    assert [(f.name, f.kind, f.stored) for f in files] == [
        ("artifact-1.html", "html", False),
        ("c.png", "png", True),
        ("d.csv", "file", True),
    ]
    assert as_markdown(files[0]) == "```text\na & b\n```"
    exported = to_markdown_of(turn)
    assert "`c.png · png image · on the server`" in exported and "FILE-STORAGE" not in exported


def to_markdown_of(turn: Turn) -> str:
    conversation = Conversation(chatflow_id="f", chatflow_name="F")
    conversation.turns.append(turn)
    return to_markdown(conversation)


def test_saving_never_replaces_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "x.txt"
    assert save_file(target, b"one") == target and target.read_bytes() == b"one"
    with pytest.raises(FileExistsError):
        save_file(target, b"two")
    assert target.read_bytes() == b"one"
    save_file(target, b"two", overwrite=True)
    assert target.read_bytes() == b"two"
    assert free_path(target.parent, "x.txt") == target.parent / "x-2.txt"
    with pytest.raises(ValueError):
        save_file(tmp_path / "..", b"x")
    assert [p.name for p in target.parent.iterdir()] == ["x.txt"]  # no temporary file left


def test_describe_names_type_and_size() -> None:
    assert ReturnedFile("a.md", "markdown", "text/plain", "é").describe() == "a.md · markdown · 2 B"
