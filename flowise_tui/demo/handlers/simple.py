"""The plain chatflows: Protected, No Streaming, Slow Story and Always Fails."""

from __future__ import annotations

from ..answers import no_stream_answer, protected_answer, slow_story
from ..tokens import tokenize
from .base import FAILURE_PREFIX, FlowContext, FlowFailure, Outcome


async def _answer(ctx: FlowContext, text: str) -> Outcome:
    await ctx.out.event("start", "")
    await ctx.out.tokens(tokenize(text))
    return Outcome(text=ctx.out.answer)


async def run_protected(ctx: FlowContext) -> Outcome:
    return await _answer(ctx, protected_answer(ctx.turn.text))


async def run_no_stream(ctx: FlowContext) -> Outcome:
    return await _answer(ctx, no_stream_answer(ctx.turn.text))


async def run_slow(ctx: FlowContext) -> Outcome:
    return await _answer(ctx, slow_story(ctx.turn.text))


async def run_fail(ctx: FlowContext) -> Outcome:
    raise FlowFailure(
        FAILURE_PREFIX + "500 demo model failure: the Always Fails flow fails on purpose"
    )
