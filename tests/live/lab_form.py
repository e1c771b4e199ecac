"""Create `TUI Lab Form Start` on the lab Flowise: an agentflow whose Start node takes a form.

A developer tool, run by hand against ../shared/flowise-lab (never in CI):
    python tests/live/lab_form.py
Idempotent: a flow of that name is reused (its flowData updated), never re-created.
Prints the flow id.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "shared" / "flowise-lab"))
sys.path.insert(0, "/work/shared/flowise-lab")

import create_flows as lab

NAME = "TUI Lab Form Start"

FIELDS = [
    {"type": "string", "label": "Your name", "name": "userName", "addOptions": ""},
    {"type": "number", "label": "Age", "name": "age", "addOptions": ""},
    {"type": "boolean", "label": "Subscribe", "name": "subscribe", "addOptions": ""},
    {
        "type": "options",
        "label": "Topic",
        "name": "topic",
        "addOptions": [{"option": "billing"}, {"option": "support"}, {"option": "sales"}],
    },
]


def form_flow(cred: str) -> lab.Flow:
    flow = lab.Flow(agentflow=True)
    start = flow.add(
        "startAgentflow",
        {
            "startInputType": "formInput",
            "formTitle": "Contact request",
            "formDescription": "Tell us who you are and what about",
            "formInputTypes": FIELDS,
        },
    )
    user_message = (
        "<p>Name {{ $form.userName }}, age {{ $form.age }}, subscribe {{ $form.subscribe }}, "
        "topic {{ $form.topic }}. {{ question }}</p>"
    )
    llm = flow.add(
        "llmAgentflow",
        {
            "llmModel": "chatOpenAI",
            "llmMessages": [{"role": "system", "content": "<p>You answer contact forms.</p>"}],
            "llmEnableMemory": True,
            "llmMemoryType": "allMessages",
            "llmUserMessage": user_message,
            "llmReturnResponseAs": "userMessage",
            "llmStructuredOutput": "",
            "llmUpdateState": "",
            "llmModelConfig": lab.model_config("llmModel", cred, lab.FAKE + "/v1"),
        },
        label="Form LLM",
    )
    flow.connect_agentflow(start, llm)
    return flow


def main() -> None:
    creds = lab.api("GET", "/api/v1/credentials")
    cred = next(c["id"] for c in creds if c.get("name") == "lab-fake-openai")
    body = {"name": NAME, "type": "AGENTFLOW", "flowData": form_flow(cred).flow_data()}
    existing = [f for f in lab.api("GET", "/api/v1/chatflows?type=AGENTFLOW") if f["name"] == NAME]
    if existing:
        flow_id = existing[0]["id"]
        lab.api("PUT", "/api/v1/chatflows/" + flow_id, body)
    else:
        flow_id = lab.api("POST", "/api/v1/chatflows", body)["id"]
    print(flow_id)


if __name__ == "__main__":
    main()
