"""Many chatflows with realistic names, and a loopback server that lists them.

The picker benchmark and the picker tests load 10,000 of these. Names are built the way
teams name flows ("Sales - Lead Qualifier Agent (staging) v3"), from a fixed seed, so
every run sees the same list. Run as `python -m benchmarks.chatflows PORT COUNT`.
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TEAMS = (
    "Sales", "Support", "Marketing", "HR", "Finance", "Legal", "IT Helpdesk", "Engineering",
    "Product", "Ops", "Data", "Security", "Procurement", "Customer Success", "Research",
    "Growth", "Billing", "Compliance", "Partnerships", "Recruiting",
)  # fmt: skip
SUBJECTS = (
    "Lead", "Invoice", "Contract", "Ticket", "Onboarding", "Policy", "Release Notes",
    "Incident", "Meeting", "Email", "FAQ", "Knowledge Base", "Order", "Refund", "Churn",
    "Survey", "Expense", "Vendor", "Roadmap", "Changelog", "SQL", "Docs", "Resume",
    "Pricing", "Forecast", "Shipment", "Warranty", "Campaign", "Feedback", "Benefits",
)  # fmt: skip
ROLES = (
    "Assistant", "Agent", "Bot", "Qualifier", "Summarizer", "Classifier", "Extractor",
    "Router", "Writer", "Reviewer", "Translator", "Triage", "Q&A", "RAG", "Copilot",
    "Analyst", "Planner", "Drafter", "Search", "Helper",
)  # fmt: skip
SUFFIXES = ("", "", "", "", " (staging)", " (prod)", " (dev)", " - EU", " - US", " [old]")
CHATBOT_CONFIG = "/api/v1/public-chatbotConfig/"
TYPES = ("CHATFLOW",) * 6 + ("AGENTFLOW",) * 2 + ("MULTIAGENT", "ASSISTANT")


def generated_flows(count: int, seed: int = 9) -> list[dict[str, Any]]:
    """`count` chatflows as `GET /api/v1/chatflows` returns them (the fields the app reads)."""
    rng = random.Random(seed)
    flows: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(flows) < count:
        name = f"{rng.choice(TEAMS)} - {rng.choice(SUBJECTS)} {rng.choice(ROLES)}"
        name += rng.choice(SUFFIXES)
        if name in seen:
            name += f" v{rng.randint(2, 9)}"
        if name in seen:
            continue
        seen.add(name)
        flows.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "name": name,
                "type": rng.choice(TYPES),
                "deployed": rng.random() < 0.5,
                "isPublic": False,
                "updatedDate": "2026-01-15T09:00:00.000Z",
            }
        )
    return flows


def _handler(flows: list[dict[str, Any]]) -> type[BaseHTTPRequestHandler]:
    listing = json.dumps(flows).encode()
    ids = {flow["id"] for flow in flows}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/api/v1/chatflows":
                self._send(200, listing)
            elif path == "/api/v1/ping":
                self._send(200, b"pong", "text/plain")
            elif path.rpartition("/")[2] in ids and path.startswith(CHATBOT_CONFIG):
                self._send(200, b"{}")
            else:
                self._send(404, b'{"message":"not found"}')

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextlib.contextmanager
def chatflows_server(flows: list[dict[str, Any]], port: int = 0) -> Iterator[str]:
    """A loopback server in a thread that lists `flows`, gives each an empty chatbot
    configuration and answers ping; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(flows))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def main() -> None:
    port, count = int(sys.argv[1]), int(sys.argv[2])
    with chatflows_server(generated_flows(count), port):
        threading.Event().wait()


if __name__ == "__main__":
    main()
