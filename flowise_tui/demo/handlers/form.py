"""Cake Order Agentflow: a Start node that takes a form, then an LLM node that answers from it.

The first turn sends `form` (and no question); later turns send questions and reuse the
form values of the chat's previous execution, as Flowise does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..form_start import FORM_DESCRIPTION, FORM_FIELDS, FORM_TITLE, form_lines
from .agentflow import START_NODE, AgentflowRun, llm_node_data, past_messages
from .base import FAILURE_PREFIX, FlowContext, FlowFailure, Outcome

if TYPE_CHECKING:
    from ..store import Execution

ORDER_NODE = ("llmAgentflow_0", "Take Order")
BOTH = FAILURE_PREFIX + "Question and form cannot be provided at the same time"


def _stored_form(execution: Execution | None) -> dict[str, object]:
    for item in execution.executed_data if execution else []:
        data = item.get("data")
        output = data.get("output") if isinstance(data, dict) else None
        stored = output.get("form") if isinstance(output, dict) else None
        if isinstance(stored, str):
            pairs = (line.split(": ", 1) for line in stored.splitlines() if ": " in line)
            return {key.strip(): value.strip() for key, value in pairs}
    return {}


def order_answer(form: dict[str, object], question: str | None) -> str:
    name = str(form.get("customerName") or "there")
    cake = str(form.get("cake") or "a cake")
    slices = form.get("slices")
    amount = f"{slices} slices of " if slices not in (None, "") else ""
    wrapped = str(form.get("giftWrap")).lower() == "true"
    wrap = "gift-wrapped" if wrapped else "in a plain box"
    answer = f"Thank you, **{name}**! Your order: {amount}{cake}, {wrap}."
    if question:
        answer += (
            f"\n\nAbout “{question}”: your order stays as above; ask me to change it any time."
        )
    return answer


async def run_form(ctx: FlowContext) -> Outcome:
    turn = ctx.turn
    if turn.question and turn.form:
        raise FlowFailure(BOTH)
    earlier = ctx.store.latest_execution(turn.flow.id, turn.session_id)
    form = dict(turn.form) if turn.form else _stored_form(earlier)
    user_text = form_lines(turn.form) if turn.form else (turn.question or " ")
    past = past_messages(ctx)
    run = AgentflowRun(ctx)
    await run.flow_status("INPROGRESS")
    run.execution.question = user_text
    node_id, label = START_NODE
    await run.node_started(node_id, label)
    start = {
        "id": node_id,
        "name": "startAgentflow",
        "input": {
            "form": {
                "title": FORM_TITLE,
                "description": FORM_DESCRIPTION,
                "inputs": [dict(field) for field in FORM_FIELDS],
            }
        },
        "output": {"form": form_lines(form)},
        "state": {},
    }
    await run.node_done(node_id, label, start, [])
    messages = [
        {"role": "system", "content": "You take cake orders from the form."},
        *past,
        {"role": "user", "content": user_text},
    ]
    await run.node_started(*ORDER_NODE)
    result = await run.stream_llm(messages, order_answer(form, turn.question))
    await run.node_done(*ORDER_NODE, llm_node_data(*ORDER_NODE, messages, result), [node_id])
    await run.finish("FINISHED")
    return Outcome(
        text=result.content, response_fields=run.response_fields(), user_content=user_text
    )
