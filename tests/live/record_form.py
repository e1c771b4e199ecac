"""Record the lab's form-start traffic into tests/fixtures/flowise-wire (run by hand).

    python tests/live/lab_form.py          # makes sure `TUI Lab Form Start` exists
    python tests/live/record_form.py FLOW_ID

Writes NAME.request / NAME.headers / NAME.json|.sse in the folder's format (keys redacted,
the install folder in node icon paths written as /opt/flowise) and prints INDEX.tsv rows.
"""

from __future__ import annotations

import http.client
import json
import sys
import time
import uuid
from pathlib import Path

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "flowise-wire"
LAB_DATA = Path.home() / ".cache" / "flowise-lab" / "data"
INSTALL = str(Path.home() / ".cache" / "flowise-lab")
REDACTED = "FLOWISE_API_KEY_REDACTED"
FORM = {"userName": "Ada", "age": 36, "subscribe": True, "topic": "support"}


def record(name: str, method: str, path: str, body: dict | None, key: str | None) -> bytes:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    payload = json.dumps(body).encode() if body is not None else b""
    conn = http.client.HTTPConnection("127.0.0.1", 3000, timeout=60)
    started = time.monotonic()
    conn.request(method, path, body=payload or None, headers=headers)
    response = conn.getresponse()
    first_byte = time.monotonic() - started
    data = response.read()
    total = time.monotonic() - started
    data = data.replace(INSTALL.encode(), b"/opt/flowise")
    shown = {k: (f"Bearer {REDACTED}" if k == "Authorization" else v) for k, v in headers.items()}
    request = [f"{method} http://127.0.0.1:3000{path}", *(f"{k}: {v}" for k, v in shown.items())]
    (WIRE / f"{name}.request").write_bytes(("\n".join(request) + "\n\n").encode() + payload)
    reason = response.reason
    head = [f"HTTP/1.1 {response.status} {reason}"]
    for k, v in response.getheaders():
        if k.lower() == "content-length":
            v = str(len(data))
        head.append(f"{k}: {v}")
    (WIRE / f"{name}.headers").write_bytes(("\r\n".join(head) + "\r\n\r\n").encode())
    ctype = response.getheader("Content-Type", "")
    suffix = ".sse" if "event-stream" in ctype else ".json" if "json" in ctype else ".txt"
    if data:
        (WIRE / f"{name}{suffix}").write_bytes(data)
    print(
        f"{name}\t{method}\t{path}\t{response.status}\t{ctype}\t{first_byte:.6f}\t{total:.6f}\t",
        file=sys.stderr,
    )
    return data


def main() -> None:
    flow = sys.argv[1]
    key = json.loads((LAB_DATA / "lab_api_key.json").read_text())["apiKey"]
    record("form_chatbot_config", "GET", f"/api/v1/public-chatbotConfig/{flow}", None, None)
    record("form_chatflow_get", "GET", f"/api/v1/chatflows/{flow}", None, key)
    chat = str(uuid.uuid4())
    streamed = {
        "question": "",
        "form": FORM,
        "chatId": chat,
        "streaming": True,
        "overrideConfig": {"sessionId": chat},
    }
    record("form_stream", "POST", f"/api/v1/prediction/{flow}", streamed, None)
    turn2 = {
        "question": "And what next?",
        "chatId": chat,
        "streaming": True,
        "overrideConfig": {"sessionId": chat},
    }
    record("form_stream_turn2", "POST", f"/api/v1/prediction/{flow}", turn2, None)
    record("form_chatmessage", "GET", f"/api/v1/chatmessage/{flow}?chatId={chat}", None, key)
    other = str(uuid.uuid4())
    whole = {"question": "", "form": FORM, "chatId": other, "streaming": False}
    record("form_nonstream", "POST", f"/api/v1/prediction/{flow}", whole, None)
    both = {"question": "Hi", "form": FORM, "streaming": False}
    record("form_question_and_form", "POST", f"/api/v1/prediction/{flow}", both, None)


if __name__ == "__main__":
    main()
