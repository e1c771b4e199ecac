"""Approval Agentflow: drafts a plan, stops at a Human Input node, resumes on proceed/reject.

A plan that undoes something (cancel, delete, remove…) asks for a comment with the decision,
as a Human Input node with "Enable Feedback" on does; any other plan does not.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

from ..messages import MessageExtras
from ..text import shorten, subject
from ..tokens import tokenize
from .agentflow import START_NODE, AgentflowRun, flow_input, llm_node_data, past_messages
from .base import FAILURE_PREFIX, FlowContext, FlowFailure, Outcome

if TYPE_CHECKING:
    from ..store import Execution

DRAFT = ("llmAgentflow_0", "Draft Plan")
APPROVAL = ("humanInputAgentflow_0", "Approval")
CARRY_OUT = ("llmAgentflow_1", "Carry Out")
EXPLAIN_REJECTION = ("llmAgentflow_2", "Explain Rejection")
DESCRIPTION = "Do you want me to go ahead with this plan?"
UNDOING = re.compile(r"\b(cancel|delete|remove|drop|undo|close)", re.IGNORECASE)


def asks_for_feedback(question: str) -> bool:
    """Whether the approval of this request asks for a comment (see the module's docstring)."""
    return UNDOING.search(question) is not None


def draft_plan(question: str) -> str:
    task = subject(question)
    return (
        f"**Plan:** {task}\n\n"
        f"1. Check what is needed for: {task}.\n"
        "2. Prepare the change and a way to undo it.\n"
        "3. Carry it out and report back."
    )


def proceed_answer(question: str, feedback: str | None) -> str:
    note = f'\n\nYour note was taken into account: "{shorten(feedback, 80)}".' if feedback else ""
    return (
        f"✅ **Approved.** I carried out the plan: {subject(question)}.\n\n"
        "- Step 1 checked the requirements.\n"
        "- Step 2 prepared an undo path.\n"
        "- Step 3 is done; nothing else is pending." + note
    )


def reject_answer(question: str, feedback: str | None) -> str:
    reason = f'\n\nYou said: "{shorten(feedback, 80)}".' if feedback else ""
    return (
        f"❌ **Rejected.** I did not do anything about: {subject(question)}.{reason}\n\n"
        "Send a new request whenever you want me to draft another plan."
    )


def _action(description_input: dict[str, object]) -> dict[str, object]:
    node_id, label = APPROVAL
    return {
        "id": str(uuid.uuid4()),
        "mapping": {"approve": "Proceed", "reject": "Reject"},
        "elements": [
            {"type": "agentflowv2-approve-button", "label": "Proceed"},
            {"type": "agentflowv2-reject-button", "label": "Reject"},
        ],
        "data": {"nodeId": node_id, "nodeLabel": label, "input": description_input},
    }


async def run_approval(ctx: FlowContext) -> Outcome:
    if ctx.turn.human_input is not None:
        return await _resume(ctx, ctx.turn.human_input)
    return await _ask(ctx)


async def _ask(ctx: FlowContext) -> Outcome:
    question = flow_input(ctx)
    past = past_messages(ctx)
    run = AgentflowRun(ctx)
    await run.flow_status("INPROGRESS")
    await run.run_start(question)

    draft_messages = [
        {"role": "system", "content": "Draft a short plan. Never act before approval."},
        *past,
        {"role": "user", "content": question},
    ]
    await run.node_started(*DRAFT)
    draft = run.silent_llm(draft_messages, draft_plan(question))
    await run.node_done(*DRAFT, llm_node_data(*DRAFT, draft_messages, draft), [START_NODE[0]])

    await run.node_started(*APPROVAL)
    description = f"{draft.content}\n\n{DESCRIPTION}"
    await ctx.out.tokens(tokenize(description))
    node_input = {
        "messages": [
            *past,
            {"role": "user", "content": question},
            {"role": "user", "content": draft.content},
        ],
        "humanInputEnableFeedback": asks_for_feedback(question),
    }
    action = _action(node_input)
    node_data = {
        "id": APPROVAL[0],
        "name": "humanInputAgentflow",
        "input": node_input,
        "output": {"content": description, "humanInputAction": action},
        "state": {},
        "chatHistory": [{"role": "assistant", "content": description}],
    }
    await run.node_done(*APPROVAL, node_data, [DRAFT[0]], status="STOPPED")
    await run.finish("STOPPED")
    await ctx.out.event("action", action)
    await run.flow_status("STOPPED")
    return Outcome(
        text=description,
        extras=MessageExtras(action=action),
        response_fields={**run.response_fields(), "action": action},
    )


def _stopped_execution(ctx: FlowContext) -> Execution:
    execution = ctx.store.latest_execution(ctx.turn.flow.id, ctx.turn.session_id)
    if execution is None:
        raise FlowFailure(
            FAILURE_PREFIX + f"No previous execution found for session {ctx.turn.session_id}"
        )
    if execution.state != "STOPPED":
        raise FlowFailure(
            FAILURE_PREFIX + f"Cannot resume execution {execution.id} because it is in "
            f"'{execution.state}' state. Only executions in 'STOPPED' state can be resumed."
        )
    return execution


async def _resume(ctx: FlowContext, human_input: dict[str, object]) -> Outcome:
    execution = _stopped_execution(ctx)
    decision = human_input.get("type")
    if decision not in ("proceed", "reject"):
        raise FlowFailure(
            FAILURE_PREFIX + f'Unknown humanInput type {decision!r}: use "proceed" or "reject"'
        )
    start_node = str(human_input.get("startNodeId") or APPROVAL[0])
    if not any(item["nodeId"] == start_node for item in execution.executed_data):
        raise FlowFailure(FAILURE_PREFIX + f"Node {start_node} not found in previous execution.")
    feedback = str(human_input["feedback"]) if human_input.get("feedback") else None
    question = execution.question
    past = past_messages(ctx)
    ctx.store.clear_pending_action(ctx.turn.chat_id, ctx.turn.session_id)

    run = AgentflowRun(ctx, execution)
    await run.flow_status("INPROGRESS")
    await run.node_started(*APPROVAL)
    feedback_part = {"feedback": feedback} if feedback else {}
    conditions = [
        {"type": kind, "startNodeId": start_node, **feedback_part, "isFulfilled": kind == decision}
        for kind in ("proceed", "reject")
    ]
    reply = {"role": "user", "content": feedback or str(decision)}
    resumed = {
        "id": APPROVAL[0],
        "name": "humanInputAgentflow",
        "input": {
            "type": decision,
            "startNodeId": start_node,
            **feedback_part,
            "messages": [*past, reply],
        },
        "output": {"conditions": conditions},
        "state": {},
    }
    await run.node_done(*APPROVAL, resumed, [DRAFT[0]])

    node = CARRY_OUT if decision == "proceed" else EXPLAIN_REJECTION
    answer = (
        proceed_answer(question, feedback)
        if decision == "proceed"
        else reject_answer(question, feedback)
    )
    messages = [*past, reply]
    await run.node_started(*node)
    result = await run.stream_llm(messages, answer)
    await run.node_done(*node, llm_node_data(*node, messages, result), [APPROVAL[0]])
    await run.finish("FINISHED")
    return Outcome(
        text=result.content,
        response_fields=run.response_fields(),
        user_content=ctx.turn.question or feedback or " ",
    )
