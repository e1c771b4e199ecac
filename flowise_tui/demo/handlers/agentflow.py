"""Agentflow v2 building blocks: node progress events, executed-data items, LLM node streaming."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..clock import epoch_millis
from ..store import Execution
from ..tokens import tokenize

if TYPE_CHECKING:
    from .base import FlowContext

DEMO_MODEL = "deterministic-demo"
START_NODE = ("startAgentflow_0", "Start")


@dataclass(frozen=True)
class LlmResult:
    content: str
    usage: dict[str, object]
    started_ms: int
    ended_ms: int
    reason_content: dict[str, object] | None = None


def usage_metadata(messages: list[dict[str, str]], content: str) -> dict[str, object]:
    input_tokens = sum(len(tokenize(message["content"])) for message in messages)
    output_tokens = len(tokenize(content))
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
        "input_token_details": {},
        "output_token_details": {},
    }


def past_messages(ctx: FlowContext) -> list[dict[str, str]]:
    roles = {"userMessage": "user", "apiMessage": "assistant"}
    return [
        {"role": roles[str(row["role"])], "content": str(row["content"])}
        for row in ctx.store.conversation(ctx.turn.flow.id, ctx.turn.session_id)
    ]


def flow_input(ctx: FlowContext) -> str:
    if ctx.turn.question:
        return ctx.turn.question
    if ctx.turn.form:
        return "\n".join(f"{key}: {value}" for key, value in ctx.turn.form.items())
    return ""


def start_node_data(question: str) -> dict[str, object]:
    node_id, _ = START_NODE
    return {
        "id": node_id,
        "name": "startAgentflow",
        "input": {"question": question},
        "output": {"question": question},
        "state": {},
    }


def llm_node_data(
    node_id: str,
    label: str,
    messages: list[dict[str, str]],
    result: LlmResult,
) -> dict[str, object]:
    output: dict[str, object] = {
        "content": result.content,
        "timeMetadata": {
            "start": result.started_ms,
            "end": result.ended_ms,
            "delta": result.ended_ms - result.started_ms,
        },
        "calledTools": [],
        "usageMetadata": result.usage,
        "responseMetadata": {
            "model_provider": "demo",
            "finish_reason": "stop",
            "model_name": DEMO_MODEL,
        },
    }
    if result.reason_content is not None:
        output["reasonContent"] = result.reason_content
    return {
        "id": node_id,
        "name": "llmAgentflow",
        "input": {
            "messages": messages,
            "llmModel": "demoChatModel",
            "llmEnableMemory": True,
            "llmMemoryType": "allMessages",
            "llmReturnResponseAs": "userMessage",
            "llmModelConfig": {"modelName": DEMO_MODEL, "temperature": 0, "streaming": True},
        },
        "output": output,
        "state": {},
        "chatHistory": [
            {"role": "user", "content": result.content, "name": label.lower().replace(" ", "_")}
        ],
    }


class AgentflowRun:
    def __init__(self, ctx: FlowContext, execution: Execution | None = None) -> None:
        self.ctx = ctx
        self.execution = execution or Execution(
            id=str(uuid.uuid4()),
            flow_id=ctx.turn.flow.id,
            session_id=ctx.turn.session_id,
            state="INPROGRESS",
            executed_data=[],
        )
        self.execution.state = "INPROGRESS"
        ctx.store.save_execution(self.execution)
        ctx.execution = self.execution

    async def flow_status(self, status: str) -> None:
        await self.ctx.out.event("agentFlowEvent", status)

    async def node_started(self, node_id: str, label: str) -> None:
        await self.ctx.out.event(
            "nextAgentFlow", {"nodeId": node_id, "nodeLabel": label, "status": "INPROGRESS"}
        )

    async def node_done(
        self,
        node_id: str,
        label: str,
        data: dict[str, object],
        previous: list[str],
        status: str = "FINISHED",
    ) -> None:
        self.execution.executed_data.append(
            {
                "nodeId": node_id,
                "nodeLabel": label,
                "data": data,
                "previousNodeIds": previous,
                "status": status,
            }
        )
        await self.ctx.out.event(
            "nextAgentFlow", {"nodeId": node_id, "nodeLabel": label, "status": status}
        )
        await self.ctx.out.event("agentFlowExecutedData", self.execution.executed_data)

    async def run_start(self, question: str) -> None:
        self.execution.question = question
        node_id, label = START_NODE
        await self.node_started(node_id, label)
        await self.node_done(node_id, label, start_node_data(question), [])

    async def stream_llm(
        self, messages: list[dict[str, str]], content: str, thinking: str | None = None
    ) -> LlmResult:
        out = self.ctx.out
        started_ms = epoch_millis()
        began = time.monotonic()
        await out.empty_token()
        reason_content: dict[str, object] | None = None
        if thinking:
            for chunk in tokenize(thinking):
                await out.control.tick()
                await out.event("thinking", chunk)
                await out.empty_token()
            duration = max(1, round(time.monotonic() - began))
            await out.event("thinking", "", duration=duration)
            reason_content = {"thinking": thinking, "thinkingDuration": duration}
        await out.tokens(tokenize(content))
        await out.empty_token()
        await out.empty_token()
        usage = usage_metadata(messages, content)
        await out.event("calledTools", [])
        await out.event("usageMetadata", usage)
        return LlmResult(content, usage, started_ms, epoch_millis(), reason_content)

    def silent_llm(self, messages: list[dict[str, str]], content: str) -> LlmResult:
        now = epoch_millis()
        return LlmResult(content, usage_metadata(messages, content), now, now)

    async def finish(self, status: str) -> None:
        self.execution.state = status
        self.ctx.store.save_execution(self.execution)
        await self.flow_status(status)

    def response_fields(self) -> dict[str, object]:
        return {
            "executionId": self.execution.id,
            "agentFlowExecutedData": self.execution.executed_data,
        }
