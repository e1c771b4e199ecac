"""Searching the local history as the user types, and what an answer costs on disk:
this tree against an earlier commit (771cb36 scanned every answer with casefold and kept
every token as an event).

Each version runs `history_probe` in its own process, with that version's flowise_tui first
on the path (an earlier commit is taken out with `git archive`)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "771cb36"


@dataclass
class Probe:
    version: str
    keys: list[dict]
    fill_seconds: float
    answer_bytes: float
    answer_text_bytes: float

    @property
    def key_ms(self) -> list[float]:
        return [key["ms"] for key in self.keys]


def probe(version: str, code_root: Path, *options: str) -> Probe:
    """Run the probe with `code_root`'s flowise_tui, the benchmarks of this tree."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code_root), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.history_probe", *options],
        cwd=code_root,  # first on sys.path with -m
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(done.stdout)
    answer = data["answer_1000"]
    return Probe(version, data["keys"], data["fill_seconds"], answer["bytes"], answer["text_bytes"])


def compare(baseline: str = BASELINE, *options: str) -> list[Probe]:
    with tempfile.TemporaryDirectory() as scratch:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", baseline, "flowise_tui"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(scratch, filter="data")
        old = probe(baseline, Path(scratch), *options)
    return [old, probe("this tree", ROOT, *options)]
