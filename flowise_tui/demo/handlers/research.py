"""Research Agentflow: Start → Planner (silent) → Writer (thinks, then streams the brief)."""

from __future__ import annotations

from ..messages import MessageExtras
from ..text import keywords, shorten, stable_index, subject, title
from .agentflow import START_NODE, AgentflowRun, flow_input, llm_node_data, past_messages
from .base import FlowContext, Outcome

PLANNER = ("llmAgentflow_0", "Planner")
WRITER = ("llmAgentflow_1", "Writer")

_ANGLES = (
    ("Background", "what is already known about {t}"),
    ("Key facts", "the three facts about {t} that matter most"),
    ("Trade-offs", "the costs and benefits around {t}"),
    ("Open questions", "what is still unclear about {t}"),
    ("Sources", "where to read more about {t}"),
)


def research_plan(question: str) -> str:
    about = subject(question)
    first = stable_index(question, len(_ANGLES))
    angles = [_ANGLES[(first + i) % len(_ANGLES)] for i in range(3)]
    return "\n".join(
        f"{i}. {name}: {text.format(t=about)}" for i, (name, text) in enumerate(angles, 1)
    )


def research_thinking(question: str) -> str:
    return (
        f"The user wants a research brief on {subject(question)}. "
        "I will follow the planner's three angles, keep each finding short, "
        "and finish with concrete next steps."
    )


def _finding(plan_line: str) -> str:
    number, rest = plan_line.split(". ", 1)
    name, text = rest.split(": ", 1)
    return f"{number}. **{name}** — {text[0].upper()}{text[1:]}."


def research_brief(question: str, plan: str, earlier: str | None) -> str:
    findings = "\n".join(_finding(line) for line in plan.splitlines())
    follow_up = (
        f"\n\n_This continues your earlier question: “{shorten(earlier, 60)}”._" if earlier else ""
    )
    terms = ", ".join(f"`{word}`" for word in keywords(subject(question))) or "`research`"
    return (
        f"## Research brief: {title(question)}\n\n"
        f"**Question:** {shorten(question, 120) or '(none)'}\n\n"
        f"### Findings\n\n{findings}\n\n"
        "### Next steps\n\n"
        f"- Collect three primary sources on {subject(question)}.\n"
        f"- Search terms to start with: {terms}.\n"
        "- Write a one-page summary and review it with a colleague."
        f"{follow_up}"
    )


async def run_research(ctx: FlowContext) -> Outcome:
    question = flow_input(ctx)
    past = past_messages(ctx)
    earlier = next((m["content"] for m in reversed(past) if m["role"] == "user"), None)
    run = AgentflowRun(ctx)
    await run.flow_status("INPROGRESS")
    await run.run_start(question)

    planner_messages = [
        {"role": "system", "content": "You are the research planner. List three angles."},
        *past,
        {"role": "user", "content": question},
    ]
    await run.node_started(*PLANNER)
    plan = run.silent_llm(planner_messages, research_plan(question))
    await run.node_done(*PLANNER, llm_node_data(*PLANNER, planner_messages, plan), [START_NODE[0]])

    writer_messages = [
        {"role": "system", "content": "You are the research writer. Follow the plan."},
        {"role": "user", "content": question},
        {"role": "user", "content": plan.content},
    ]
    await run.node_started(*WRITER)
    brief = research_brief(question, plan.content, earlier)
    written = await run.stream_llm(writer_messages, brief, thinking=research_thinking(question))
    await run.node_done(*WRITER, llm_node_data(*WRITER, writer_messages, written), [PLANNER[0]])
    await run.finish("FINISHED")
    return Outcome(
        text=written.content,
        extras=MessageExtras(reason_content=written.reason_content),
        response_fields=run.response_fields(),
    )
