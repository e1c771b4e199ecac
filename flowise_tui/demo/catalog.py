"""Chatflow objects as the management API returns them: flowData, chatbotConfig and friends."""

from __future__ import annotations

from . import runtime
from .flows import DEMO_CREATED_DATE, DEMO_WORKSPACE_ID, DemoFlow
from .form_start import start_inputs
from .uploads import full_file_upload, uploads_config
from .wire import compact_json

_NODES: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "chat": (
        ("demoChatModel_0", "Deterministic Demo Model", "demoChatModel", "Chat Models"),
        ("bufferMemory_0", "Buffer Memory", "bufferMemory", "Memory"),
        ("conversationChain_0", "Conversation Chain", "conversationChain", "Chains"),
    ),
    "rag": (
        ("textFile_0", "Crumb & Co. Documents", "textFile", "Document Loaders"),
        ("bm25Retriever_0", "BM25 Retriever", "bm25Retriever", "Retrievers"),
        ("demoChatModel_0", "Deterministic Demo Model", "demoChatModel", "Chat Models"),
        (
            "conversationalRetrievalQAChain_0",
            "Conversational Retrieval QA Chain",
            "conversationalRetrievalQAChain",
            "Chains",
        ),
    ),
    "tools": (
        ("calculator_0", "Calculator", "calculator", "Tools"),
        ("currentDateTime_0", "Current Date Time", "currentDateTime", "Tools"),
        ("bufferMemory_0", "Buffer Memory", "bufferMemory", "Memory"),
        ("demoChatModel_0", "Deterministic Demo Model", "demoChatModel", "Chat Models"),
        ("toolAgent_0", "Tool Agent", "toolAgent", "Agents"),
    ),
    "research": (
        ("startAgentflow_0", "Start", "startAgentflow", "Agent Flows"),
        ("llmAgentflow_0", "Planner", "llmAgentflow", "Agent Flows"),
        ("llmAgentflow_1", "Writer", "llmAgentflow", "Agent Flows"),
    ),
    "team": (
        ("supervisor_0", "Team Lead", "supervisor", "Multi Agents"),
        ("worker_0", "Researcher", "worker", "Multi Agents"),
        ("worker_1", "Writer", "worker", "Multi Agents"),
    ),
    "form": (
        ("startAgentflow_0", "Start", "startAgentflow", "Agent Flows"),
        ("llmAgentflow_0", "Take Order", "llmAgentflow", "Agent Flows"),
    ),
    "approval": (
        ("startAgentflow_0", "Start", "startAgentflow", "Agent Flows"),
        ("llmAgentflow_0", "Draft Plan", "llmAgentflow", "Agent Flows"),
        ("humanInputAgentflow_0", "Approval", "humanInputAgentflow", "Agent Flows"),
        ("llmAgentflow_1", "Carry Out", "llmAgentflow", "Agent Flows"),
        ("llmAgentflow_2", "Explain Rejection", "llmAgentflow", "Agent Flows"),
    ),
}
_SIMPLE_CHAT = _NODES["chat"]

_EDGES: dict[str, tuple[tuple[str, str], ...]] = {
    "chat": (("demoChatModel_0", "conversationChain_0"), ("bufferMemory_0", "conversationChain_0")),
    "rag": (
        ("textFile_0", "bm25Retriever_0"),
        ("bm25Retriever_0", "conversationalRetrievalQAChain_0"),
        ("demoChatModel_0", "conversationalRetrievalQAChain_0"),
    ),
    "tools": (
        ("calculator_0", "toolAgent_0"),
        ("currentDateTime_0", "toolAgent_0"),
        ("bufferMemory_0", "toolAgent_0"),
        ("demoChatModel_0", "toolAgent_0"),
    ),
    "research": (("startAgentflow_0", "llmAgentflow_0"), ("llmAgentflow_0", "llmAgentflow_1")),
    "team": (("worker_0", "supervisor_0"), ("worker_1", "supervisor_0")),
    "form": (("startAgentflow_0", "llmAgentflow_0"),),
    "approval": (
        ("startAgentflow_0", "llmAgentflow_0"),
        ("llmAgentflow_0", "humanInputAgentflow_0"),
        ("humanInputAgentflow_0", "llmAgentflow_1"),
        ("humanInputAgentflow_0", "llmAgentflow_2"),
    ),
}


def flow_data(flow: DemoFlow) -> str:
    nodes = _NODES.get(flow.kind, _SIMPLE_CHAT)
    edges = _EDGES.get(flow.kind, _EDGES["chat"])
    node_type = "agentFlow" if flow.is_agentflow else "customNode"
    return compact_json(
        {
            "nodes": [
                {
                    "id": node_id,
                    "position": {"x": 320 * index, "y": 100},
                    "type": node_type,
                    "data": {
                        "id": node_id,
                        "label": label,
                        "name": name,
                        "category": category,
                        "inputs": start_inputs(flow.kind) if name == "startAgentflow" else {},
                        "outputs": {},
                    },
                }
                for index, (node_id, label, name, category) in enumerate(nodes)
            ],
            "edges": [
                {"id": f"{source}-{target}", "source": source, "target": target, "type": node_type}
                for source, target in edges
            ],
            "viewport": {"x": 0, "y": 0, "zoom": 1},
        }
    )


def _follow_up_config() -> dict[str, object]:
    return {"status": True, "selectedProvider": "demo"}


def chatbot_config(flow: DemoFlow) -> dict[str, object]:
    config: dict[str, object] = {
        "welcomeMessage": flow.welcome_message,
        "starterPrompts": {
            str(i): {"prompt": prompt} for i, prompt in enumerate(flow.starter_prompts)
        },
        "chatFeedback": {"status": True},
    }
    if flow.follow_up_prompts:
        config["followUpPrompts"] = _follow_up_config()
    if full_file := full_file_upload(flow):
        config["fullFileUpload"] = full_file
    config.update(runtime.leads_config(flow.id))
    return config


def chatflow_object(flow: DemoFlow) -> dict[str, object]:
    return {
        "id": flow.id,
        "name": flow.name,
        "flowData": flow_data(flow),
        "deployed": False,
        "isPublic": flow.is_public,
        "apikeyid": flow.api_key_id,
        "chatbotConfig": compact_json(chatbot_config(flow)),
        "apiConfig": runtime.api_config(flow.id),
        "analytic": None,
        "speechToText": None,
        "textToSpeech": runtime.text_to_speech(flow.id),
        "followUpPrompts": compact_json(_follow_up_config()) if flow.follow_up_prompts else None,
        "category": flow.category,
        "type": flow.type,
        "createdDate": DEMO_CREATED_DATE,
        "updatedDate": DEMO_CREATED_DATE,
        "mcpServerConfig": None,
        "webhookSecretConfigured": False,
        "workspaceId": DEMO_WORKSPACE_ID,
    }


def public_chatbot_config(flow: DemoFlow) -> dict[str, object]:
    return {
        **chatbot_config(flow),
        "uploads": uploads_config(flow),
        "flowData": flow_data(flow),
        "isTTSEnabled": flow.id in runtime.SPEAKING_FLOWS,
    }
