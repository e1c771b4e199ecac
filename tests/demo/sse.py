"""Raw-HTTP helpers for the demo server tests: byte-exact SSE blocks and their events."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

EVENT_PREFIX = b"message:\ndata:"


@dataclass
class StreamResult:
    status: int
    headers: httpx.Headers
    raw: bytes
    blocks: list[bytes] = field(default_factory=list)

    @property
    def events(self) -> list[dict[str, Any]]:
        return [
            json.loads(b[len(EVENT_PREFIX) :]) for b in self.blocks if b.startswith(EVENT_PREFIX)
        ]

    @property
    def names(self) -> list[str]:
        return [str(event["event"]) for event in self.events]

    def of(self, name: str) -> list[Any]:
        return [event["data"] for event in self.events if event["event"] == name]

    def first(self, name: str) -> Any:
        return self.of(name)[0]

    @property
    def answer(self) -> str:
        return "".join(str(token) for token in self.of("token"))

    @property
    def metadata(self) -> dict[str, Any]:
        data: dict[str, Any] = self.first("metadata")
        return data


def split_blocks(raw: bytes) -> list[bytes]:
    assert raw.endswith(b"\n\n"), raw[-50:]
    return [block + b"\n\n" for block in raw[:-2].split(b"\n\n")]


def collapse(names: list[str]) -> list[str]:
    collapsed: list[str] = []
    for name in names:
        if name == "token" and collapsed and collapsed[-1] == "token":
            continue
        collapsed.append(name)
    return collapsed


async def stream(
    client: httpx.AsyncClient, flow_id: str, body: dict[str, object], **kwargs: object
) -> StreamResult:
    payload = {"streaming": True, **body}
    async with client.stream("POST", f"/api/v1/prediction/{flow_id}", json=payload, **kwargs) as r:
        raw = await r.aread()
    blocks = split_blocks(raw) if r.headers.get("content-type") == "text/event-stream" else []
    return StreamResult(r.status_code, r.headers, raw, blocks)


async def predict(
    client: httpx.AsyncClient, flow_id: str, body: dict[str, object], **kwargs: object
) -> httpx.Response:
    return await client.post(f"/api/v1/prediction/{flow_id}", json=body, **kwargs)
