"""The registry of demo chatflows: fixed ids, names, types and chat configuration."""

from __future__ import annotations

from dataclasses import dataclass

CHAT_FLOW_ID = "cf56d513-f0a6-4d89-8afb-cfc9d1026a08"
RAG_FLOW_ID = "07b3e08b-e4ae-4f23-9713-fb1e0d992412"
TOOL_FLOW_ID = "2ed36898-d13f-4f19-9154-487cd6724982"
AGENTFLOW_ID = "e9e49369-6fa9-455a-968b-f4c1ededcb6e"
MULTIAGENT_FLOW_ID = "74bbc3a5-6e26-438b-a701-b671d8259c10"
HITL_FLOW_ID = "93413f4b-2e36-4000-a5f6-fcba1e0418dd"
ERROR_FLOW_ID = "e017b96c-8e5e-49d2-acd6-41e8dd80b8ee"
PROTECTED_FLOW_ID = "14c69bd0-702a-422c-8a66-1575579c483a"
NOSTREAM_FLOW_ID = "dfa69ed3-e6cd-4607-854e-13e7f70f3ebc"
SLOW_FLOW_ID = "6ae9db46-8f3e-46a3-9015-62bf47d9b1bd"
ARTIFACTS_FLOW_ID = "3c1d9a57-2b84-4e0f-b6a3-8f5e7d2c9a14"
ATTACH_FLOW_ID = "5f0c3d2a-8b1e-4c6f-9a47-2d3e8b9c1f60"
FORM_FLOW_ID = "5c0f5e0a-4b7d-4c1e-9a3f-2d8e6b1f7c44"
TUNABLE_FLOW_ID = "3c5e9a71-2b8d-4f06-9e14-7a2d5c8b0f39"
LEADS_FLOW_ID = "b8f1d2c4-5e6a-4b7c-8d9e-0f1a2b3c4d5e"

PROTECTED_FLOW_KEY = "demo-protected-flow-key-5b0f8c2e"
PROTECTED_FLOW_KEY_ID = "aa0d712d-f1fc-414e-b76b-07ffe8f790d7"

DEMO_WORKSPACE_ID = "52d2d419-aca7-476f-9f1b-abc596d9b0e0"
DEMO_CREATED_DATE = "2026-01-15T09:00:00.000Z"

BUFFER_MEMORY = "Buffer Memory"
SLOW_TOKEN_DELAY = 0.1


@dataclass(frozen=True)
class DemoFlow:
    id: str
    name: str
    type: str
    kind: str
    description: str
    starter_prompts: tuple[str, ...]
    welcome_message: str
    streaming: bool = True
    api_key: str | None = None
    api_key_id: str | None = None
    follow_up_prompts: bool = False
    is_public: bool = False
    memory_type: str | None = BUFFER_MEMORY
    category: str | None = None
    minimum_token_delay: float = 0.0

    @property
    def is_agentflow(self) -> bool:
        return self.type == "AGENTFLOW"


DEMO_FLOWS: tuple[DemoFlow, ...] = (
    DemoFlow(
        id=CHAT_FLOW_ID,
        name="Demo Chat",
        type="CHATFLOW",
        kind="chat",
        description="Markdown answers with per-session memory and follow-up prompts.",
        starter_prompts=(
            "What can you do?",
            "How does Markdown look in a terminal?",
            "/long 300",
            "What did I ask before?",
        ),
        welcome_message="Hi! I am the flowise-tui demo chat. Ask me anything.",
        follow_up_prompts=True,
        is_public=True,
        category="Demo",
    ),
    DemoFlow(
        id=RAG_FLOW_ID,
        name="Bakery Docs (RAG)",
        type="CHATFLOW",
        kind="rag",
        description="BM25 retrieval over the Crumb & Co. bakery documents, with sources.",
        starter_prompts=(
            "When does the bakery open?",
            "How much is the lemon tart?",
            "Who is the head baker?",
            "Are there deliveries on Sundays?",
        ),
        welcome_message="Ask me anything about the Crumb & Co. bakery.",
        is_public=True,
        category="Demo",
    ),
    DemoFlow(
        id=TOOL_FLOW_ID,
        name="Tool Agent",
        type="CHATFLOW",
        kind="tools",
        description="An agent with a calculator and a UTC clock.",
        starter_prompts=(
            "What is 12*(3+4)?",
            "What time is it in UTC?",
            "Compute 2**10 - 24 and tell me the time",
        ),
        welcome_message="I can calculate and tell the time.",
        category="Demo",
    ),
    DemoFlow(
        id=AGENTFLOW_ID,
        name="Research Agentflow",
        type="AGENTFLOW",
        kind="research",
        description="Agentflow v2: Start, a planner and a writer that thinks before it answers.",
        starter_prompts=(
            "Research the history of sourdough",
            "Compare SSE and WebSockets for streaming",
        ),
        welcome_message="Give me a topic and I will write a research brief.",
        memory_type=None,
        category="Demo",
    ),
    DemoFlow(
        id=MULTIAGENT_FLOW_ID,
        name="Multi-Agent Team",
        type="MULTIAGENT",
        kind="team",
        description="A supervisor delegating to a researcher and a writer.",
        starter_prompts=(
            "Write a short product blurb for a lemon tart",
            "Plan a launch announcement for a terminal app",
        ),
        welcome_message="The team is ready. What should we work on?",
        memory_type=None,
        category="Demo",
    ),
    DemoFlow(
        id=HITL_FLOW_ID,
        name="Approval Agentflow",
        type="AGENTFLOW",
        kind="approval",
        description="Drafts a plan, then waits for a human to proceed or reject.",
        starter_prompts=(
            "Order 40 croissants for Friday",
            "Delete the old staging database",
        ),
        welcome_message="I will ask for your approval before I act.",
        memory_type=None,
        category="Demo",
    ),
    DemoFlow(
        id=ERROR_FLOW_ID,
        name="Always Fails",
        type="CHATFLOW",
        kind="fail",
        description="Every prediction fails, to show error handling.",
        starter_prompts=("Trigger the failure", "Does this ever work?"),
        welcome_message="Whatever you ask, this flow fails.",
        category="Demo",
    ),
    DemoFlow(
        id=PROTECTED_FLOW_ID,
        name="Protected",
        type="CHATFLOW",
        kind="protected",
        description="Needs its own API key as a Bearer token.",
        starter_prompts=("Hello with the flow key", "Am I authorized?"),
        welcome_message="Send this flow's API key to talk to me.",
        api_key=PROTECTED_FLOW_KEY,
        api_key_id=PROTECTED_FLOW_KEY_ID,
        category="Demo",
    ),
    DemoFlow(
        id=NOSTREAM_FLOW_ID,
        name="No Streaming",
        type="CHATFLOW",
        kind="nostream",
        description="Its model does not stream: answers always arrive as JSON.",
        starter_prompts=("Answer all at once please", "Why is there no streaming?"),
        welcome_message="My answers arrive in one piece.",
        streaming=False,
        category="Demo",
    ),
    DemoFlow(
        id=SLOW_FLOW_ID,
        name="Slow Story",
        type="CHATFLOW",
        kind="slow",
        description="A story told at no more than ten tokens a second: try stopping it.",
        starter_prompts=("Tell me a slow story", "Once more, slowly"),
        welcome_message="Settle in: this one takes a while.",
        category="Demo",
        minimum_token_delay=SLOW_TOKEN_DELAY,
    ),
    DemoFlow(
        id=ARTIFACTS_FLOW_ID,
        name="Artifacts",
        type="CHATFLOW",
        kind="artifacts",
        description="Returns a report, code, a web page, a chart image and a file to save.",
        starter_prompts=("Chart this week's sales", "Show me the files again"),
        welcome_message="Ask for a chart: the files it makes can be viewed and saved.",
        category="Demo",
    ),
    DemoFlow(
        id=ATTACH_FLOW_ID,
        name="Attachments",
        type="CHATFLOW",
        kind="attach",
        description="Takes images, text documents and audio, and says what reached the model.",
        starter_prompts=("What did I attach?", "How big is my file?"),
        welcome_message="Attach a file (ctrl+f, or paste its path) and ask about it.",
        category="Demo",
    ),
    DemoFlow(
        id=FORM_FLOW_ID,
        name="Cake Order Form",
        type="AGENTFLOW",
        kind="form",
        description="Agentflow whose Start node takes a form: fill it in, then chat on.",
        starter_prompts=(),
        welcome_message="Fill in the order form to start.",
        memory_type=None,
        category="Demo",
    ),
    DemoFlow(
        id=TUNABLE_FLOW_ID,
        name="Tunable Chat",
        type="CHATFLOW",
        kind="tunable",
        description="Allows overriding temperature, the system message and $vars.team; speaks.",
        starter_prompts=("What can you do?", "Which overrides reached you?"),
        welcome_message="Set vars and overrides for me with f4 or the command palette.",
        category="Demo",
    ),
    DemoFlow(
        id=LEADS_FLOW_ID,
        name="Leads Desk",
        type="CHATFLOW",
        kind="chat",
        description="Asks for your name and email before the first message.",
        starter_prompts=("What can you do?", "How do leads work?"),
        welcome_message="Tell me who you are first.",
        category="Demo",
    ),
)

FLOWS_BY_ID: dict[str, DemoFlow] = {flow.id: flow for flow in DEMO_FLOWS}


def find_flow(flow_id: str) -> DemoFlow | None:
    return FLOWS_BY_ID.get(flow_id)
