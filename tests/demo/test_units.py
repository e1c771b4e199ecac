"""Pure helpers: tokenizer, /long generator, BM25 chunks, calculator safety, JSON error messages."""

from __future__ import annotations

import json

import pytest

from flowise_tui.demo.jsonerrors import node_style_message
from flowise_tui.demo.longtext import long_answer_tokens, parse_long_command
from flowise_tui.demo.retrieval import bakery_index, corpus_chunks, split_into_chunks, terms
from flowise_tui.demo.tokens import tokenize
from flowise_tui.demo.tools import CalculatorError, calculate, find_expression, format_number


@pytest.mark.parametrize(
    "text",
    ["", "one", "a b\n\nc  d\n", "```python\n    x = 1\n```\n", "  leading", "tail  \n  \n"],
)
def test_tokenize_round_trips(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert all(tokens)


def test_tokens_are_word_sized() -> None:
    assert tokenize("Hello world.\n\nBye") == ["Hello ", "world.", "\n\n", "Bye"]


@pytest.mark.parametrize("count", [0, 1, 2, 5, 17, 100, 1234])
def test_long_answer_has_exactly_n_tokens(count: int) -> None:
    tokens = long_answer_tokens(count)
    assert len(tokens) == count and all(tokens)
    assert "".join(tokens).count("```") % 2 == 0


def test_long_command_parsing() -> None:
    assert parse_long_command("/long 8000") == 8000
    assert parse_long_command(" /long   12 ") == 12
    assert parse_long_command("/long") is None
    assert parse_long_command("please /long 5") is None
    assert parse_long_command("/long 99999999") == 100_000


def test_chunks_keep_line_ranges() -> None:
    text = "alpha one\nalpha two\n\nbeta\n"
    [chunk] = split_into_chunks("x.txt", text)
    assert (chunk.line_from, chunk.line_to) == (1, 4)
    assert chunk.text == "alpha one\nalpha two\n\nbeta"
    for chunk in corpus_chunks():
        assert chunk.line_from <= chunk.line_to and chunk.text.strip()


def test_bm25_prefers_rarer_terms() -> None:
    results = bakery_index().search("Marta Lindqvist Lyon")
    assert results[0][0].source == "crumb-and-co-team.txt"
    assert results[0][1] > 0
    assert terms("The Deliveries are made") == ["delivery", "made"]


@pytest.mark.parametrize(
    ("expression", "value"),
    [("2+2", "4"), ("12*(3+4)", "84"), ("10 / 4", "2.5"), ("2**10", "1024"), ("-3 + 5", "2")],
)
def test_calculator(expression: str, value: str) -> None:
    assert format_number(calculate(expression)) == value


@pytest.mark.parametrize(
    "expression",
    ["__import__('os').system('true')", "(1).__class__", "[1, 2]", "9**9**9", "1/0", "True + 1"],
)
def test_calculator_refuses_anything_but_arithmetic(expression: str) -> None:
    with pytest.raises(CalculatorError):
        calculate(expression)


def test_expression_extraction() -> None:
    assert find_expression("What is 7 times 6?") == "7 * 6"
    assert find_expression("no numbers here") is None
    assert find_expression("in 2026 we") is None


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            '{"question": "hi", "streaming": true',
            "Expected ',' or '}' after property value in JSON at position 36",
        ),
        ('{"question": "hi",', "Expected double-quoted property name in JSON at position 18"),
        ('{"a" 1}', "Expected ':' after property name in JSON at position 5"),
        ("{} x", "Unexpected non-whitespace character after JSON at position 3"),
        ('{"a": ', "Unexpected end of JSON input"),
    ],
)
def test_node_style_json_errors(doc: str, message: str) -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(doc)
    assert node_style_message(caught.value) == message
