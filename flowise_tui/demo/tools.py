"""The Tool Agent's tools: a calculator parsed with `ast` (never eval) and a UTC clock."""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable
from datetime import UTC, datetime

MAX_EXPONENT = 512
MAX_MAGNITUDE = 10**100


class CalculatorError(ValueError):
    pass


_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}

_WORD_OPERATORS = (
    (r"\bto the power of\b", "**"),
    (r"\bmultiplied by\b", "*"),
    (r"\bdivided by\b", "/"),
    (r"\btimes\b", "*"),
    (r"\bplus\b", "+"),
    (r"\bminus\b", "-"),
    ("×", "*"),
    ("÷", "/"),
    (r"\^", "**"),
)
_CANDIDATE = re.compile(r"[\d.()+\-*/%\s]+")
_HAS_OPERATION = re.compile(r"[\d)]\s*(\*\*|//|[-+*/%])\s*[-+(]*\s*[\d(.]")


def calculate(expression: str) -> int | float:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        raise CalculatorError(f"cannot parse {expression!r}") from exc
    return _evaluate(tree.body)


def _evaluate(node: ast.expr) -> int | float:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and (
            abs(right) > MAX_EXPONENT or abs(left) > MAX_MAGNITUDE
        ):
            raise CalculatorError("number too large")
        try:
            result = _BINARY[type(node.op)](left, right)
        except ZeroDivisionError as exc:
            raise CalculatorError("division by zero") from exc
        except OverflowError as exc:
            raise CalculatorError("number too large") from exc
        if isinstance(result, complex) or abs(result) > MAX_MAGNITUDE:
            raise CalculatorError("number too large")
        return result
    raise CalculatorError(f"unsupported element {type(node).__name__}")


def format_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return format(value, ".12g")
    return str(value)


def find_expression(question: str) -> str | None:
    text = question
    for pattern, symbol in _WORD_OPERATORS:
        text = re.sub(pattern, symbol, text, flags=re.IGNORECASE)
    candidates = [match.strip() for match in _CANDIDATE.findall(text)]
    arithmetic = [c for c in candidates if _HAS_OPERATION.search(c)]
    for candidate in sorted(arithmetic, key=len, reverse=True):
        try:
            ast.parse(candidate, mode="eval")
        except SyntaxError:
            continue
        return candidate
    return None


def wants_clock(question: str) -> bool:
    return re.search(r"\b(time|clock|date|today|now|utc)\b", question, re.IGNORECASE) is not None


def utc_now_text(now: datetime | None = None) -> str:
    moment = now or datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
