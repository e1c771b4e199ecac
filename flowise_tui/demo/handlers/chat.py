"""Demo Chat: Markdown answers with memory, follow-up prompts and the `/long N` benchmark."""

from __future__ import annotations

from ..answers import chat_answer, chat_follow_ups
from ..longtext import long_answer_tokens, parse_long_command
from ..messages import MessageExtras
from ..tokens import tokenize
from .base import FlowContext, Outcome, previous_questions


async def run_chat(ctx: FlowContext) -> Outcome:
    question = ctx.turn.text
    await ctx.out.event("start", "")
    long_count = parse_long_command(question)
    if long_count is not None:
        await ctx.out.tokens(long_answer_tokens(long_count))
    else:
        earlier = previous_questions(ctx)
        answer = chat_answer(question, earlier[-1] if earlier else None, len(earlier) + 1)
        await ctx.out.tokens(tokenize(answer))
    return Outcome(
        text=ctx.out.answer,
        extras=MessageExtras(follow_up_prompts=chat_follow_ups(question)),
    )
