"""Tool Agent: really computes arithmetic found in the question and reads the UTC clock."""

from __future__ import annotations

from dataclasses import dataclass

from ..messages import MessageExtras
from ..tokens import tokenize
from ..tools import (
    CalculatorError,
    calculate,
    find_expression,
    format_number,
    utc_now_text,
    wants_clock,
)
from .base import FlowContext, Outcome

CALCULATOR = "calculator"
CLOCK = "current_date_time"


@dataclass(frozen=True)
class ToolCall:
    tool: str
    arguments: dict[str, str]
    output: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"tool": self.tool, "toolInput": self.arguments, "toolOutput": self.output}


def plan_tool_calls(question: str) -> list[ToolCall]:
    calls: list[ToolCall] = []
    expression = find_expression(question)
    if expression is not None:
        calls.append(ToolCall(CALCULATOR, {"input": expression}))
    if wants_clock(question):
        calls.append(ToolCall(CLOCK, {}))
    return calls


def run_tool(call: ToolCall) -> ToolCall:
    if call.tool == CLOCK:
        return ToolCall(call.tool, call.arguments, utc_now_text())
    try:
        output = format_number(calculate(call.arguments["input"]))
    except CalculatorError as exc:
        output = f"Error: {exc}"
    return ToolCall(call.tool, call.arguments, output)


def _sentence(call: ToolCall) -> str:
    if call.tool == CLOCK:
        return f"I checked the **clock**: it is **{call.output}** (UTC)."
    expression = call.arguments["input"]
    if call.output.startswith("Error: "):
        reason = call.output.removeprefix("Error: ")
        return f"The **calculator** could not evaluate `{expression}`: {reason}."
    return f"I used the **calculator**: `{expression}` = **{call.output}**."


def tool_answer(calls: list[ToolCall]) -> str:
    if not calls:
        return (
            "I have two tools: a **calculator** for arithmetic such as `12*(3+4)` and a "
            "**clock** for the current UTC time. Ask me *What is 17 * 23?* or *What time is it?*"
        )
    return "\n\n".join(_sentence(call) for call in calls)


async def run_tool_agent(ctx: FlowContext) -> Outcome:
    await ctx.out.event("start", "")
    planned = plan_tool_calls(ctx.turn.text)
    used: list[ToolCall] = []
    if planned:
        await ctx.out.event("calledTools", [call.as_dict() for call in planned])
        await ctx.out.control.tick()
        used = [run_tool(call) for call in planned]
    await ctx.out.tokens(tokenize(tool_answer(used)))
    used_tools = [call.as_dict() for call in used]
    if used_tools:
        await ctx.out.event("usedTools", used_tools)
    return Outcome(
        text=ctx.out.answer,
        extras=MessageExtras(used_tools=used_tools or None),
        response_fields={"usedTools": used_tools} if used_tools else {},
    )
