"""Record the override, lead and speech traffic of the lab into tests/fixtures/flowise-wire
(a developer tool, run by hand).

    eval "$(python tests/live/lab_env.py)" && python tests/live/lab_overrides.py
    python tests/live/record_overrides.py

Writes NAME.request / NAME.headers / NAME.json|.sse in the recordings' format (keys redacted,
the lab's install folder read as /opt/flowise), prints an INDEX.tsv row per case, and prints
what the fake model received for the override prediction.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "flowise-wire"
URL = os.environ.get("FLOWISE_URL", "http://127.0.0.1:3000")
KEY = os.environ["FLOWISE_API_KEY"]
LAB = Path.home() / ".cache" / "flowise-lab"
MODEL_LOG = LAB / "data" / "fake_llm_requests.jsonl"
REDACTED = "FLOWISE_API_KEY_REDACTED"
OVERRIDES = {
    "temperature": 0.9,
    "modelName": "gpt-not-allowed",
    "systemMessagePrompt": "Overridden: you answer for team {{$vars.team}}.",
    "vars": {"team": "ops", "secret": "not-allowed"},
}
rows: list[str] = []


def record(
    name: str, method: str, path: str, note: str = "", key: bool = True, **kwargs: object
) -> httpx.Response:
    headers = {"Accept-Encoding": "identity"}
    if key:
        headers["Authorization"] = f"Bearer {KEY}"
    with httpx.Client(base_url=URL, timeout=60) as http:
        request = http.build_request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
        request.read()
        started = time.monotonic()
        response = http.send(request)
        total = time.monotonic() - started
    shown = [
        f"{k}: {v}"
        for k, v in request.headers.items()
        if k.lower() in ("content-type", "authorization")
    ]
    text = f"{method} {request.url}\n" + "\n".join(shown) + "\n\n"
    (WIRE / f"{name}.request").write_bytes(text.replace(KEY, REDACTED).encode() + request.content)
    body = response.content.replace(
        str(LAB / "node_modules").encode(), b"/opt/flowise/node_modules"
    )
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n"
    for k, v in response.headers.raw:
        value = str(len(body)).encode() if k.lower() == b"content-length" else v
        if k.lower() != b"etag":
            head += f"{k.decode()}: {value.decode()}\r\n"
    (WIRE / f"{name}.headers").write_bytes((head + "\r\n").encode("latin-1"))
    kind = response.headers.get("content-type", "")
    # .sse holds prediction streams only (the stream tests take every .sse): others are .txt
    streamed = "event-stream" in kind
    suffix = ".sse" if streamed and "/prediction/" in path else ".txt" if streamed else ".json"
    (WIRE / f"{name}{suffix}").write_bytes(body)
    elapsed = f"{response.elapsed.total_seconds():.6f}"
    path_only = request.url.path
    rows.append(
        f"{name}\t{method}\t{path_only}\t{response.status_code}\t{kind}\t{elapsed}\t{total:.6f}\t{note}"
    )
    print(response.status_code, name, response.text[:200])
    return response


def main() -> None:
    flows = httpx.get(f"{URL}/api/v1/chatflows", headers={"Authorization": f"Bearer {KEY}"}).json()
    ids = {flow["name"]: flow["id"] for flow in flows}
    allowed, off = ids["TUI Lab Overrides"], ids["TUI Lab Overrides Off"]
    leads, speech = ids["TUI Lab Leads"], ids["TUI Lab Speech"]
    record("overrides_chatflow", "GET", f"/api/v1/chatflows/{allowed}", "apiConfig with overrides")
    record("overrides_off_chatflow", "GET", f"/api/v1/chatflows/{off}", "no apiConfig")
    record("overrides_chatflow_no_key", "GET", f"/api/v1/chatflows/{allowed}", "no key", key=False)
    record(
        "overrides_public_chatflow_private",
        "GET",
        f"/api/v1/public-chatflows/{allowed}",
        "not public, no key",
        key=False,
    )
    seen = MODEL_LOG.stat().st_size
    body = {
        "question": "Which overrides arrived?",
        "streaming": False,
        "chatId": "tui-lab-overrides-1",
        "overrideConfig": OVERRIDES,
    }
    record(
        "overrides_prediction", "POST", f"/api/v1/prediction/{allowed}", "some dropped", json=body
    )
    with MODEL_LOG.open("rb") as log:
        log.seek(seen)
        for line in log:
            sent = json.loads(line).get("body") or {}
            if "messages" in sent:
                print("model got:", sent.get("model"), sent.get("temperature"), sent["messages"][0])
    record("public_chatbot_config_leads", "GET", f"/api/v1/public-chatbotConfig/{leads}", key=False)
    lead = {
        "chatflowid": leads,
        "chatId": "tui-lab-lead-1",
        "name": "Ada Lovelace",
        "email": "ada@example.com",
    }
    record("leads_create", "POST", "/api/v1/leads", "no key needed", key=False, json=lead)
    record(
        "public_chatbot_config_speech", "GET", f"/api/v1/public-chatbotConfig/{speech}", key=False
    )
    ask = {"chatflowId": speech, "chatId": "tui-lab-tts-1", "chatMessageId": "m-1", "text": "Hello"}
    record(
        "speech_generate_no_provider",
        "POST",
        "/api/v1/text-to-speech/generate",
        "the lab reaches no TTS provider",
        key=False,
        json=ask,
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
