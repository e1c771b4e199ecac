"""Attaching files in the app: the path screen, chips, refusals, pasted paths, sending."""

from __future__ import annotations

from pathlib import Path

from textual import events

from flowise_tui.app.widgets.attachments import AttachmentTray, Chip
from flowise_tui.demo.flows import ATTACH_FLOW_ID, CHAT_FLOW_ID
from flowise_tui.flowise.uploads import Attachment
from tests.app.conftest import SIZE, ask, opened, wait_for
from tests.faults.helpers import notifications

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005050200"
    "5fc8f1d20000000049454e44ae426082"
)


def chips(app) -> list[str]:
    return [str(chip.label) for chip in app.chat.query(Chip)]


async def test_attach_by_key_with_completion_then_send(make_app, tmp_path: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    (files / "shopping-list.md").write_text("# Flour, eggs\n")
    app = make_app(chatflow=ATTACH_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, ATTACH_FLOW_ID)
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: app.screen.query("#path"))
        await pilot.press(*f"{files}/sho")
        await wait_for(pilot, lambda: app.screen.query_one("#path")._suggestion)
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: chips(app))
        assert chips(app) == ["✕ shopping-list.md · document · text/markdown · 14 B"]
        turn = await ask(pilot, "What is on my list?")
        assert turn.attachments == [
            Attachment("shopping-list.md", "text/markdown", 14, "file:full")
        ]
        assert "“# Flour, eggs”" in turn.answer.text
        assert not app.chat.query_one(AttachmentTray).display
        stored = app.history.load(app.chat.conversation.id).turns[0]
        assert stored.attachments == turn.attachments


async def test_a_dragged_file_becomes_a_chip_and_a_click_removes_it(
    make_app, tmp_path: Path
) -> None:
    (tmp_path / "my photo.png").write_bytes(PNG)
    app = make_app(chatflow=ATTACH_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, ATTACH_FLOW_ID)
        prompt = app.chat.prompt
        prompt.focus()
        app.post_message(events.Paste(f"'{tmp_path}/my photo.png' "))
        await wait_for(pilot, lambda: chips(app))
        assert chips(app) == ["✕ my photo.png · image · image/png · 70 B"]
        assert prompt.text == ""
        app.post_message(events.Paste("not/a/file.png"))
        await wait_for(pilot, lambda: prompt.text)
        assert prompt.text == "not/a/file.png"
        await pilot.click(Chip)
        await wait_for(pilot, lambda: not chips(app))
        assert not app.chat.query_one(AttachmentTray).display


async def test_what_the_flow_does_not_take_is_refused_before_sending(
    make_app, tmp_path: Path
) -> None:
    (tmp_path / "dot.png").write_bytes(PNG)
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.4\n")
    app = make_app(chatflow=CHAT_FLOW_ID)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await opened(pilot, CHAT_FLOW_ID)
        app.chat.query_one(AttachmentTray).attach([tmp_path / "dot.png"])
        await wait_for(pilot, lambda: notifications(app))
        assert notifications(app) == [
            "Not attached: This chatflow takes no uploads, so dot.png cannot be sent."
        ]
        app.chat.open_chatflow(next(f for f in app.chat.chatflows if f.id == ATTACH_FLOW_ID))
        await opened(pilot, ATTACH_FLOW_ID)
        app.chat.query_one(AttachmentTray).attach([tmp_path / "paper.pdf"])
        await wait_for(pilot, lambda: len(notifications(app)) == 2)
        refusal = notifications(app)[1]
        assert refusal.startswith(
            "Not attached: This chatflow does not accept paper.pdf (application/pdf)."
        )
        assert "documents (text/plain, text/markdown, text/csv, application/json)" in refusal
        assert chips(app) == []


async def test_a_question_that_could_not_go_gets_its_files_back(make_app, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Buy flour.\n")
    app = make_app(chatflow=ATTACH_FLOW_ID)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, ATTACH_FLOW_ID)
        app.chat.query_one(AttachmentTray).attach([note])
        await wait_for(pilot, lambda: chips(app))
        note.unlink()  # gone between attaching and sending
        turn = await ask(pilot, "What does it say?")
        assert turn.answer.error == "Cannot read note.txt: No such file or directory."
        assert app.chat.prompt.text == "What does it say?"
        assert chips(app) == ["✕ note.txt · document · text/plain · 11 B"]
