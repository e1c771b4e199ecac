"""Tunable Chat: the demo chat, opened by a line that says which overrides reached the model."""

from __future__ import annotations

from ..answers import chat_answer, chat_follow_ups
from ..messages import MessageExtras
from ..runtime import kept_overrides
from ..tokens import tokenize
from ..wire import compact_json
from .base import FlowContext, Outcome, previous_questions


async def run_tunable(ctx: FlowContext) -> Outcome:
    question = ctx.turn.text
    await ctx.out.event("start", "")
    kept = kept_overrides(ctx.turn.flow.id, ctx.turn.override)
    shown = ", ".join(f"`{key}={compact_json(value)}`" for key, value in kept.items())
    await ctx.out.tokens(tokenize(f"Overrides that reached the model: {shown or 'none'}.\n\n"))
    earlier = previous_questions(ctx)
    answer = chat_answer(question, earlier[-1] if earlier else None, len(earlier) + 1)
    await ctx.out.tokens(tokenize(answer))
    return Outcome(
        text=ctx.out.answer,
        extras=MessageExtras(follow_up_prompts=chat_follow_ups(question)),
    )
