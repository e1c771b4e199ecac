"""Create the lab flow that returns artifacts (a developer tool, run by hand against the lab).

    python tests/live/lab_artifacts.py

Idempotent: a tool or flow whose name already exists is kept as it is. It builds on
../shared/flowise-lab/create_flows.py (imported through sys.path, read only):

- the custom tool `tui_lab_artifacts`: a JavaScript function that answers a line of text
  followed by Flowise's artifacts marker and a JSON list, the shape the Code Interpreter tool
  returns (Markdown, HTML, JavaScript and a PNG as a `FILE-STORAGE::` name);
- `TUI Lab Artifacts`: Tool Agent (the fake model calls the one tool it is offered) + that
  tool. Flowise splits the tool's output, streams an `artifacts` event and keeps them with the
  message.

The PNG artifact names `tui-lab-chart.png`, a file of the chat's own storage: the live test
sends that image as an upload in the same prediction, which Flowise stores under the
chatflow and chat before the flow runs, so `GET /api/v1/get-upload-file` serves it for real.
A tool in Flowise's sandbox can neither write files nor call the server itself.
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
TOOL_NAME = "tui_lab_artifacts"
FLOW_NAME = "TUI Lab Artifacts"
CHART_NAME = "tui-lab-chart.png"

TOOL_FUNCTION = """
const artifacts = [
  {type: 'markdown', data: '# Lab report\\n\\n| item | count |\\n| --- | --- |\\n| loaves | 12 |'},
  {type: 'html', data: '<h1>Lab page</h1><p>Hello <b>world</b></p><script>alert(1)</script>'},
  {type: 'javascript', data: 'console.log("lab", 1 + 1)'},
  {type: 'png', data: 'FILE-STORAGE::CHART'}
];
const marker = '\\n\\n----FLOWISE_ARTIFACTS----\\n\\n';
return 'The lab tool made 4 artifacts.' + marker + JSON.stringify(artifacts);
""".replace("CHART", CHART_NAME)

TOOL_SCHEMA = [
    {"id": 0, "property": "input", "type": "string", "description": "a topic", "required": True}
]


def main() -> None:
    sys.path.insert(0, str(LAB_SCRIPTS))
    import create_flows as lab  # type: ignore[import-not-found]

    cred = next(
        c["id"] for c in lab.api("GET", "/api/v1/credentials") if c["name"] == "lab-fake-openai"
    )
    tools = {tool["name"]: tool["id"] for tool in lab.api("GET", "/api/v1/tools") or []}
    if TOOL_NAME in tools:
        tool_id = tools[TOOL_NAME]
        print(f"kept    tool {TOOL_NAME} {tool_id}")
    else:
        created = lab.api(
            "POST",
            "/api/v1/tools",
            {
                "name": TOOL_NAME,
                "description": "Makes the lab's artifacts: a report, a page, code and a chart.",
                "color": "linear-gradient(rgb(10,80,160), rgb(40,140,220))",
                "schema": json.dumps(TOOL_SCHEMA),
                "func": TOOL_FUNCTION,
            },
        )
        tool_id = created["id"]
        print(f"created tool {TOOL_NAME} {tool_id}")

    existing = {flow["name"]: flow["id"] for flow in lab.api("GET", "/api/v1/chatflows") or []}
    if FLOW_NAME in existing:
        print(f"kept    {FLOW_NAME} {existing[FLOW_NAME]}")
        return
    flow = lab.Flow()
    tool = flow.add("customTool", {"selectedTool": tool_id})
    llm = lab.chat_openai(flow, cred, lab.FAKE + "/v1")
    agent = flow.add("toolAgent", {"systemMessage": "You are the lab's artifact maker."})
    flow.connect(tool, agent, "tools")
    flow.connect(llm, agent, "model")
    flow.connect(flow.add("bufferMemory"), agent, "memory")
    body = {"name": FLOW_NAME, "flowData": flow.flow_data(), "type": "CHATFLOW"}
    created = lab.api("POST", "/api/v1/chatflows", body)
    print(f"created {FLOW_NAME} {created['id']}")


if __name__ == "__main__":
    main()
