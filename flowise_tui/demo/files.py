"""The chat's file storage of the demo server, and the files its Artifacts flow makes.

Flowise keeps the files a flow makes under the chatflow and the chat (`FILE-STORAGE::<name>`
in artifacts and file annotations) and serves them by those three names; so does this.
"""

from __future__ import annotations

import re
import struct
import zlib

_UNSAFE_NAME = re.compile(r"\.\.|%2e%2e|%2f|%5c|[\x00-\x1f]|^/[^/]|^[a-zA-Z]:\\|^\\\\", re.I)


def is_unsafe_file_name(name: str) -> bool:
    """Flowise's own test for a file name it refuses (HTTP 400) before reading storage."""
    return not name or _UNSAFE_NAME.search(name) is not None


class FileStorage:
    def __init__(self) -> None:
        self._files: dict[tuple[str, str, str], bytes] = {}

    def put(self, flow_id: str, chat_id: str, name: str, data: bytes) -> str:
        self._files[(flow_id, chat_id, name)] = data
        return "FILE-STORAGE::" + name

    def get(self, flow_id: str, chat_id: str, name: str) -> bytes | None:
        return self._files.get((flow_id, chat_id, name))


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + data))
    return struct.pack(">I", len(data)) + kind + data + crc


def bar_chart_png(values: list[int], bar: int = 8, height: int = 48) -> bytes:
    """A small RGB bar chart, drawn here so the demo needs no image library or file."""
    width = bar * len(values)
    top = max(values) or 1
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for index, value in enumerate(values):
            filled = height - y <= value * height // top
            colour = (40, 120 + 20 * (index % 4), 200) if filled else (250, 248, 240)
            for x in range(bar):
                row += bytes((235, 235, 235)) if x == bar - 1 else bytes(colour)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + _chunk(b"IEND", b"")
    )
