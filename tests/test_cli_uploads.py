"""`ask --file` against the demo server: the right upload kind, or a refusal before the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowise_tui.cli import EXIT_USAGE, main
from flowise_tui.demo import DemoServer
from flowise_tui.demo.flows import DEMO_FLOWS
from flowise_tui.demo.store import MessageQuery

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005050200"
    "5fc8f1d20000000049454e44ae426082"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def messages(server: DemoServer) -> int:
    """How many messages the demo server stored, over every flow."""
    return sum(len(server.state.store.messages(MessageQuery(flow.id))) for flow in DEMO_FLOWS)


def test_files_reach_the_flow_as_the_kind_it_takes(capsys, demo_url: str, tmp_path: Path) -> None:
    (tmp_path / "dot.png").write_bytes(PNG)
    (tmp_path / "note.md").write_text("# Shopping\n- flour\n")
    code, out, err = run(
        capsys, "ask", "--url", demo_url, "Attachments", "What are these?",
        "--file", str(tmp_path / "dot.png"), "--file", str(tmp_path / "note.md"),
    )  # fmt: skip
    assert code == 0, err
    assert "an image, **dot.png** (image/png, 70 bytes)" in out
    assert "a document, **note.md** (text/markdown, 19 characters): “# Shopping”" in out


@pytest.mark.parametrize(
    ("flow", "name", "said"),
    [
        ("Demo Chat", "dot.png", "This chatflow takes no uploads, so dot.png cannot be sent."),
        ("Attachments", "paper.pdf", "does not accept paper.pdf (application/pdf). This chatflow "
         "accepts: images (image/gif, image/jpeg, image/png, image/webp) up to 5 MB; documents "
         "(text/plain, text/markdown, text/csv, application/json); audio"),
        ("Attachments", "missing.png", "No file at "),
    ],
)  # fmt: skip
def test_a_refused_file_stops_before_the_model(
    capsys, demo_server: DemoServer, tmp_path: Path, flow: str, name: str, said: str
) -> None:
    (tmp_path / "dot.png").write_bytes(PNG)
    (tmp_path / "paper.pdf").write_bytes(b"%PDF-1.4\n")
    before = messages(demo_server)
    code, out, err = run(
        capsys, "ask", "--url", demo_server.url, flow, "Q", "--file", str(tmp_path / name)
    )
    assert code == EXIT_USAGE and out == ""
    assert said in err
    assert messages(demo_server) == before  # no prediction ran
