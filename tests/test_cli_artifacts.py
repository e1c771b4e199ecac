"""`ask --show artifacts` and `ask --save-files DIR` against the demo's Artifacts flow."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowise_tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_show_artifacts_prints_them_as_text(capsys, demo_url: str) -> None:
    code, out, err = run(capsys, "ask", "--url", demo_url, "--show", "artifacts", "Artifacts", "x")
    assert code == 0, err
    files = out.split("**Files**", 1)[1]
    assert "| Sat | 41 |" in files  # the Markdown report, as Markdown
    assert "plt.bar(sales.keys(), sales.values())" in files  # the code, fenced
    assert "Best day: Saturday (41 loaves)." in files  # the page's text
    assert "<script>" not in files and "alert" not in files  # never the page's code
    assert "weekly-sales.png · png image · on the server" in files


def test_save_files_saves_each_under_a_free_name(capsys, demo_url: str, tmp_path: Path) -> None:
    (tmp_path / "weekly-sales.csv").write_text("mine\n")
    argv = ["ask", "--url", demo_url, "--save-files", str(tmp_path), "Artifacts", "x"]
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    assert (tmp_path / "weekly-sales.csv").read_text() == "mine\n"  # never overwritten
    assert (tmp_path / "weekly-sales-2.csv").read_text().startswith("day,loaves\n")
    assert (tmp_path / "weekly-sales.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert "<script>" in (tmp_path / "artifact-3.html").read_text()  # saved as sent
    assert err.count("saved ") == 5
