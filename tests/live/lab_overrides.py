"""Create the lab flows for runtime overrides, text to speech and leads (a developer tool, run
by hand against the lab).

    python tests/live/lab_overrides.py

Idempotent: a flow whose name already exists is kept, with its settings brought up to date.
It builds on ../shared/flowise-lab/create_flows.py (imported through sys.path, read only):

- `TUI Lab Overrides`: a plain chat whose `apiConfig` turns the override config on for the
  model's `temperature` and the chain's `systemMessagePrompt` (which reads `$vars.team`), and
  for the variable `team`; `modelName` and the variable `secret` stay locked;
- `TUI Lab Overrides Off`: the same chat without an override config (Flowise drops every override);
- `TUI Lab Leads`: a plain chat whose chatbot config asks for name and email first;
- `TUI Lab Speech`: a plain chat with OpenAI text to speech on (the lab cannot reach OpenAI:
  Flowise answers the speech request with `tts_error`); public, since Flowise 3.1.4 speaks
  only for public flows when asked with an API key;
- `TUI Lab Speech Autoplay`: the same with `autoPlay` on, so that Flowise speaks every answer
  inside the prediction stream (`tts_start`, then `tts_end` without audio, since the lab cannot
  reach OpenAI).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LAB_SCRIPTS = next(
    (
        lab
        for up in Path(__file__).resolve().parents[2:5]
        if (lab := up / "shared" / "flowise-lab").is_dir()
    ),
    Path("../shared/flowise-lab"),
)
SYSTEM_MESSAGE = "You are the lab assistant of team {{$vars.team}}."
API_CONFIG = {
    "overrideConfig": {
        "status": True,
        "nodes": {
            # keyed by the node's label, which for ChatOpenAI is "OpenAI"
            "OpenAI": [
                {"label": "Temperature", "name": "temperature", "type": "number", "enabled": True},
                {"label": "Model Name", "name": "modelName", "type": "options", "enabled": False},
            ],
            "Conversation Chain": [
                {
                    "label": "System Message",
                    "name": "systemMessagePrompt",
                    "type": "string",
                    "enabled": True,
                }
            ],
        },
        "variables": [
            {"id": "", "name": "team", "type": "static", "enabled": True},
            {"id": "", "name": "secret", "type": "static", "enabled": False},
        ],
    }
}
LEADS = {
    "leads": {
        "status": True,
        "title": "Before we start: who are you?",
        "name": True,
        "email": True,
        "phone": False,
        "successMessage": "Thanks, we will be in touch.",
    }
}


def main() -> None:
    sys.path.insert(0, str(LAB_SCRIPTS))
    import create_flows as lab  # type: ignore[import-not-found]

    cred = next(
        c["id"] for c in lab.api("GET", "/api/v1/credentials") if c["name"] == "lab-fake-openai"
    )
    base = lab.FAKE + "/v1"

    def chat() -> object:
        flow = lab.plain_chat(cred, base)
        chain = next(n for n in flow.nodes if n["data"]["name"] == "conversationChain")
        chain["data"]["inputs"]["systemMessagePrompt"] = SYSTEM_MESSAGE
        return flow

    speech = {"openai": {"status": True, "credentialId": cred, "voice": "alloy"}}
    autoplay = {"openai": {**speech["openai"], "autoPlay": True}}
    specs: dict[str, dict[str, object]] = {
        "TUI Lab Overrides": {"apiConfig": json.dumps(API_CONFIG)},
        "TUI Lab Overrides Off": {},
        "TUI Lab Leads": {"chatbotConfig": json.dumps(LEADS)},
        "TUI Lab Speech": {"textToSpeech": json.dumps(speech), "isPublic": True},
        "TUI Lab Speech Autoplay": {"textToSpeech": json.dumps(autoplay)},
    }
    existing = {flow["name"]: flow["id"] for flow in lab.api("GET", "/api/v1/chatflows") or []}
    for name, extra in specs.items():
        if name in existing:
            if extra:  # our own flow: its settings follow this script
                lab.api("PUT", f"/api/v1/chatflows/{existing[name]}", extra)
            print(f"kept    {name:24} {existing[name]}")
            continue
        body = {"name": name, "flowData": chat().flow_data(), "type": "CHATFLOW", **extra}
        created = lab.api("POST", "/api/v1/chatflows", body)
        print(f"created {name:24} {created['id']}")


if __name__ == "__main__":
    main()
