"""The benchmark harness runs (tiny answers, one run): no timing is asserted here."""

from __future__ import annotations

import pytest

from benchmarks import history, parse, stream, tmux
from benchmarks.server import SENTINEL, answer_text, demo_server, tokens_with_sentinel
from benchmarks.subjects import PRINTER, flowise_tui


def test_the_sentinel_ends_an_answer_of_exactly_n_tokens() -> None:
    tokens = tokens_with_sentinel(500)
    assert len(tokens) == 500 and tokens[-1] == f"{SENTINEL}500."
    assert answer_text(500).count(SENTINEL) == 1


def test_parse_readers_agree_on_the_number_of_events() -> None:
    with demo_server() as url:
        rates = parse.measure(url, 50, runs=1)
    assert {rate.events for rate in rates} == {53}


@pytest.mark.skipif(not tmux.available(), reason="needs tmux")
def test_stream_timing_sees_the_last_token() -> None:
    with demo_server() as url:
        for subject in (PRINTER, flowise_tui()):
            timing = stream.time_answers(subject, url, 50, runs=1)
            assert timing.median > 0


def test_history_probe_finds_the_rare_word_in_its_three_conversations() -> None:
    probe = history.probe("this tree", history.ROOT, "--conversations", "20", "--answers", "3")
    assert [key["typed"] for key in probe.keys][-1] == "stratovolcano"
    assert probe.keys[-1]["found"] == 3
    assert probe.answer_bytes > probe.answer_text_bytes > 5000
