"""Bakery Docs (RAG): BM25 top 2 over the bundled corpus, answered from the best chunk."""

from __future__ import annotations

from ..messages import MessageExtras
from ..retrieval import Chunk, bakery_index
from ..tokens import tokenize
from .base import FlowContext, Outcome


def rag_answer(question: str, chunks: list[Chunk]) -> str:
    if not chunks:
        return (
            "I could not find anything about that in the Crumb & Co. documents. "
            "Try asking about opening hours, prices, the team or deliveries."
        )
    best = chunks[0]
    quote = "\n".join(f"> {line}" if line else ">" for line in best.text.splitlines())
    first_sentence = best.text.split("\n")[0].strip()
    answer = (
        f"According to **{best.source}** (lines {best.line_from}–{best.line_to}):\n\n"
        f"{quote}\n\n"
        f"In short: {first_sentence}"
    )
    if len(chunks) > 1:
        other = chunks[1]
        answer += f"\n\nSee also *{other.source}*, lines {other.line_from}–{other.line_to}."
    return answer


async def run_rag(ctx: FlowContext) -> Outcome:
    found = bakery_index().search(ctx.turn.text, top_k=2)
    chunks = [chunk for chunk, _ in found]
    tokens = tokenize(rag_answer(ctx.turn.text, chunks))
    await ctx.out.event("start", tokens[0])
    await ctx.out.tokens(tokens)
    documents = [chunk.as_document(score) for chunk, score in found]
    await ctx.out.event("sourceDocuments", documents)
    return Outcome(
        text=ctx.out.answer,
        extras=MessageExtras(source_documents=documents),
        response_fields={"sourceDocuments": documents},
    )
