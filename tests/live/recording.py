"""Writing recordings of a live Flowise into tests/fixtures/flowise-wire, for the record_*.py
developer tools (run by hand against the lab, never in CI).

A case is NAME.request (the request line, its Content-Type and Authorization, a blank line,
its body), NAME.headers (the status line and headers as sent) and the body (NAME.sse for a
prediction's stream, .json, .png or .txt), with the API key redacted and the lab's install
folder written as /opt/flowise; its row is replaced in, or added to, INDEX.tsv.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "flowise-wire"
LAB = Path.home() / ".cache" / "flowise-lab"
MODEL_LOG = LAB / "data" / "fake_llm_requests.jsonl"
REDACTED = "FLOWISE_API_KEY_REDACTED"
SHOWN_REQUEST_HEADERS = ("content-type", "authorization")
BODY_SUFFIXES = (".sse", ".json", ".txt", ".html", ".png")


def body_suffix(content_type: str, body: bytes, path: str) -> str:
    """.sse holds prediction streams only (the stream tests take every .sse)."""
    if "event-stream" in content_type:
        return ".sse" if "/prediction/" in path else ".txt"
    if "json" in content_type:
        return ".json"
    return ".png" if body.startswith(b"\x89PNG") else ".txt"


class Recorder:
    """Sends requests to the lab and writes each exchange as a recording."""

    def __init__(self, url: str | None = None, key: str | None = None) -> None:
        self.url = (url or os.environ.get("FLOWISE_URL") or "http://127.0.0.1:3000").rstrip("/")
        self.key = key if key is not None else os.environ.get("FLOWISE_API_KEY", "")
        self.rows: list[str] = []

    def flow_ids(self) -> dict[str, str]:
        """The lab's chatflows, by name."""
        headers = {"Authorization": f"Bearer {self.key}"}
        flows = httpx.get(f"{self.url}/api/v1/chatflows", headers=headers, timeout=60).json()
        return {flow["name"]: flow["id"] for flow in flows}

    def record(
        self, name: str, method: str, path: str, note: str = "", key: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """One request (httpx's `json=`, `files=`, `params=`...), sent with the API key unless
        `key` is false, and written as the recording NAME."""
        headers = {"Accept-Encoding": "identity"}
        if key and self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        with httpx.Client(base_url=self.url, timeout=60) as http:
            request = http.build_request(method, path, headers=headers, **kwargs)
            request.read()
            started = time.monotonic()
            response = http.send(request, stream=True)
            first_byte = time.monotonic() - started
            response.read()
            total = time.monotonic() - started
        self._write(name, request, response)
        content_type = response.headers.get("content-type", "")
        row = [name, method, request.url.path, str(response.status_code), content_type]
        self.rows.append("\t".join([*row, f"{first_byte:.6f}", f"{total:.6f}", note]))
        _add_to_index(name, self.rows[-1])
        print(response.status_code, name, response.text[:200])
        return response

    def _redact(self, data: bytes) -> bytes:
        return data.replace(self.key.encode(), REDACTED.encode()) if self.key else data

    def _write(self, name: str, request: httpx.Request, response: httpx.Response) -> None:
        shown = [f"{k}: {v}" for k, v in request.headers.items() if k in SHOWN_REQUEST_HEADERS]
        text = f"{request.method} {request.url}\n" + "\n".join(shown) + "\n\n"
        (WIRE / f"{name}.request").write_bytes(self._redact(text.encode() + request.content))
        body = response.content.replace(str(LAB).encode(), b"/opt/flowise")
        head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
        for k, v in response.headers.raw:
            if k.lower() == b"etag" and body != response.content:
                continue  # it named the body as sent, not as written
            value = str(len(body)).encode() if k.lower() == b"content-length" else v
            head += f"{k.decode('latin-1')}: {value.decode('latin-1')}\r\n"
        (WIRE / f"{name}.headers").write_bytes(self._redact((head + "\r\n").encode("latin-1")))
        for suffix in BODY_SUFFIXES:
            (WIRE / f"{name}{suffix}").unlink(missing_ok=True)
        content_type = response.headers.get("content-type", "")
        suffix = body_suffix(content_type, body, request.url.path)
        (WIRE / f"{name}{suffix}").write_bytes(self._redact(body))

    def print_rows(self) -> None:
        print("\n".join(self.rows))


def _add_to_index(name: str, row: str) -> None:
    index = WIRE / "INDEX.tsv"
    rows = [r for r in index.read_text().splitlines() if not r.startswith(f"{name}\t")]
    index.write_text("\n".join([*rows, row]) + "\n")
