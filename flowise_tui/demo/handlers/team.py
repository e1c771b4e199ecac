"""Multi-Agent Team: a supervisor delegates to a researcher and a writer."""

from __future__ import annotations

from dataclasses import dataclass

from ..messages import MessageExtras
from ..retrieval import bakery_index
from ..text import keywords, subject, title
from ..tokens import tokenize
from .base import FlowContext, Outcome

SUPERVISOR_LABEL = "Team Lead"
WORKERS = {"researcher": ("Researcher", "worker_0"), "writer": ("Writer", "worker_1")}


@dataclass(frozen=True)
class Step:
    agent: str
    messages: tuple[str, ...] = ()
    next: str | None = None
    instructions: str | None = None
    used_tools: tuple[dict[str, object], ...] = ()
    source_documents: tuple[dict[str, object], ...] = ()

    def reasoning(self) -> dict[str, object]:
        is_worker = self.agent in WORKERS
        label, node_id = WORKERS[self.agent] if is_worker else (SUPERVISOR_LABEL, "")
        state: dict[str, object] = (
            {} if is_worker else {"next": self.next, "instructions": self.instructions}
        )
        item: dict[str, object] = {"agentName": label, "messages": list(self.messages)}
        if not is_worker:
            item["next"] = self.next
            item["instructions"] = self.instructions
        item.update(
            usedTools=list(self.used_tools),
            sourceDocuments=list(self.source_documents),
            artifacts=[],
            state=state,
            nodeId=node_id,
        )
        return item


def research_notes(question: str) -> str:
    terms = ", ".join(keywords(subject(question))) or "the request"
    return (
        f"Notes on {subject(question)}: the audience wants something short and concrete; "
        f"key terms are {terms}; one strong benefit beats a list of features."
    )


BLOG_POST = {
    "pageContent": (
        "How we bake: every loaf at Crumb & Co. rests overnight, and the lemon tart is made "
        "fresh each morning with lemons from the market on Mill Lane."
    ),
    "metadata": {
        "title": "Crumb & Co. blog: how we bake",
        "source": "https://crumb-and-co.example/blog/how-we-bake",
    },
}
"""A web page the researcher's search finds: a source with a URL, as a web loader sends it."""


def research_sources(question: str) -> list[dict[str, object]]:
    found = bakery_index().search(subject(question), top_k=2)
    return [chunk.as_document(score) for chunk, score in found] + [BLOG_POST]


def research_tool(question: str, sources: list[dict[str, object]]) -> dict[str, object]:
    return {
        "tool": "bakery_search",
        "toolInput": {"query": subject(question)},
        "toolOutput": f"{len(sources)} passages found",
    }


def team_answer(question: str) -> str:
    about = subject(question)
    return (
        f"## {title(about)}\n\n"
        f"Our take on **{about}**, researched and written by the team:\n\n"
        "- **What it is:** a clear, one-line promise the reader remembers.\n"
        "- **Why it matters:** it saves time from the very first use.\n"
        "- **What to do next:** try it today and tell us what you think.\n\n"
        "*— The Researcher found the angle, the Writer polished the words.*"
    )


def team_steps(question: str, answer: str) -> list[Step]:
    found = research_sources(question)
    return [
        Step(
            "supervisor",
            next="researcher",
            instructions=f"Collect the key facts about {subject(question)}.",
        ),
        Step(
            "researcher",
            messages=(research_notes(question),),
            used_tools=(research_tool(question, found),),
            source_documents=tuple(found),
        ),
        Step(
            "supervisor", next="writer", instructions="Turn the research notes into a short answer."
        ),
        Step("writer", messages=(answer,)),
        Step("supervisor", next="FINISH", instructions="The answer is complete."),
    ]


async def run_team(ctx: FlowContext) -> Outcome:
    answer = team_answer(ctx.turn.text)
    reasoning: list[dict[str, object]] = []
    for index, step in enumerate(team_steps(ctx.turn.text, answer)):
        await ctx.out.control.tick()
        reasoning.append(step.reasoning())
        if index == 0:
            await ctx.out.event("start", reasoning)
        await ctx.out.event("agentReasoning", reasoning)
        if step.next in WORKERS:
            await ctx.out.event("nextAgent", WORKERS[step.next][0])
    await ctx.out.tokens(tokenize(answer))
    for name in ("usedTools", "sourceDocuments", "artifacts"):
        await ctx.out.event(name, [])
    return Outcome(
        text=ctx.out.answer,
        extras=MessageExtras(agent_reasoning=reasoning),
        response_fields={"agentReasoning": reasoning},
    )
