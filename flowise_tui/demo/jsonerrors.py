"""Turn Python JSON parse errors into the messages of Node's JSON.parse (Flowise runs on Node)."""

from __future__ import annotations

import json


def parse_json_body(raw: bytes) -> object:
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        return {}
    return json.loads(text)


def node_style_message(err: json.JSONDecodeError) -> str:
    doc, pos, msg = err.doc, err.pos, err.msg
    if msg == "Expecting value":
        if not doc[pos:].strip():
            return "Unexpected end of JSON input"
        return f"Unexpected token '{doc[pos]}', \"{_excerpt(doc)}\" is not valid JSON"
    if msg == "Expecting ',' delimiter":
        if _innermost_container(doc, pos) == "[":
            return f"Expected ',' or ']' after array element in JSON at position {pos}"
        return f"Expected ',' or '}}' after property value in JSON at position {pos}"
    if msg.startswith("Expecting property name"):
        return f"Expected double-quoted property name in JSON at position {pos}"
    if msg == "Expecting ':' delimiter":
        return f"Expected ':' after property name in JSON at position {pos}"
    if msg == "Extra data":
        return f"Unexpected non-whitespace character after JSON at position {pos}"
    if msg.startswith("Unterminated string"):
        return f"Unterminated string in JSON at position {len(doc)}"
    return f"{msg} in JSON at position {pos}"


def _excerpt(doc: str) -> str:
    return doc if len(doc) <= 30 else doc[:10] + "..." + doc[-10:]


def _innermost_container(doc: str, pos: int) -> str | None:
    stack: list[str] = []
    in_string = escaped = False
    for char in doc[:pos]:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            stack.append(char)
        elif char in "]}" and stack:
            stack.pop()
    return stack[-1] if stack else None
