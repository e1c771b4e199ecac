"""Which Flowise the live suite talks to, read from the environment once, at import.

FLOWISE_URL            the server (required; without it every live test is skipped)
FLOWISE_API_KEY        an API key that may list chatflows and read history and feedback
FLOWISE_LIVE_FLOW_KEY  the key assigned to the protected flow (that case is skipped without)
FLOWISE_LIVE_<ROLE>    a chatflow id or exact name per role; defaults are the flow names
                       of ../shared/flowise-lab (`Lab Plain Chat`, ...)
FLOWISE_LIVE_LONG=1    also run the cases that take minutes (a flow failing after ~90 s)
"""

from __future__ import annotations

import os

URL = os.environ.get("FLOWISE_URL", "").strip()
API_KEY = os.environ.get("FLOWISE_API_KEY", "").strip() or None
FLOW_KEY = os.environ.get("FLOWISE_LIVE_FLOW_KEY", "").strip() or None
LONG = os.environ.get("FLOWISE_LIVE_LONG", "") not in ("", "0")

ROLES = {
    "plain": "Lab Plain Chat",  # a chat flow with memory
    "rag": "Lab RAG",  # returns source documents
    "tool": "Lab Tool Agent",  # calls a tool
    "agentflow": "Lab Agentflow LLM",  # an agentflow (v2)
    "agentflow_agent": "Lab Agentflow Agent Tool",  # an agentflow whose Agent node uses a tool
    "error": "Lab Error 400",  # a flow that fails at once
    "protected": "Lab Protected",  # a flow with its own API key
    "slow": "Lab Slow",  # streams for several seconds: stopped mid-answer
    "nostream": "Lab Plain Not Streamable",  # cannot stream
    "slow_error": "Lab Error 500",  # fails after minutes of heartbeats (FLOWISE_LIVE_LONG=1)
    "artifacts": "TUI Lab Artifacts",  # a tool returns artifacts (tests/live/lab_artifacts.py)
    "image_upload": "TUI Lab Image Upload",  # takes images (tests/live/lab_uploads.py)
    "file_upload": "TUI Lab File Upload",  # takes whole documents
    "rag_upload": "TUI Lab RAG Upload",  # takes documents for its vector store
    "form": "TUI Lab Form Start",  # an agentflow whose Start takes a form (tests/live/lab_form.py)
    # tests/live/lab_overrides.py creates these five
    "overrides": "TUI Lab Overrides",  # allows temperature, systemMessagePrompt, $vars.team
    "overrides_off": "TUI Lab Overrides Off",  # no override config: drops every override
    "leads": "TUI Lab Leads",  # asks for name and email first
    "speech": "TUI Lab Speech",  # text to speech on (the lab reaches no provider)
    "speech_autoplay": "TUI Lab Speech Autoplay",  # the same, spoken inside every stream
}


def wanted(role: str) -> str:
    return os.environ.get(f"FLOWISE_LIVE_{role.upper()}", "").strip() or ROLES[role]
