"""The Attachments flow: takes images, whole documents and audio, and says what reached it."""

from __future__ import annotations

from ..tokens import tokenize
from ..uploads import IMAGE_TYPES, data_uri_size, extension_mismatch
from .base import FAILURE_PREFIX, FlowContext, FlowFailure, Outcome

_SPEECH_TYPES = ("audio/webm", "audio/mp4", "audio/ogg")
_PREVIEW = 80


def _size(size: int) -> str:
    return f"{size:,} bytes"


def _received(upload: dict[str, object]) -> tuple[str, str | None]:
    """One line on what reached the model, and a transcript when the upload is speech."""
    kind = str(upload.get("type") or "")
    name = str(upload.get("name") or "unnamed")
    mime = str(upload.get("mime") or "")
    data = str(upload.get("data") or "")
    if kind in ("file", "file:rag", "audio"):
        size = data_uri_size(data)
        if size is None:
            raise FlowFailure(FAILURE_PREFIX + f"Invalid data URI for {name}")
        if mismatch := extension_mismatch(name, mime):
            raise FlowFailure(FAILURE_PREFIX + mismatch)
        if kind == "file" and mime in IMAGE_TYPES:
            return f"- an image, **{name}** ({mime}, {_size(size)})", None
        if mime in _SPEECH_TYPES:
            transcript = f"(the demo's speech to text heard {_size(size)} of {name})"
            return f"- audio, **{name}** ({mime}, {_size(size)})", transcript
        return f"- a file, **{name}** ({mime}, {_size(size)}), stored but not read", None
    if kind == "file:full":
        first = data.strip().splitlines()[0] if data.strip() else ""
        if len(first) > _PREVIEW:
            first = first[: _PREVIEW - 1] + "…"
        return f"- a document, **{name}** ({mime}, {len(data):,} characters): “{first}”", None
    return f"- something of type `{kind}` named **{name}**, which this flow ignores", None


async def run_attach(ctx: FlowContext) -> Outcome:
    turn = ctx.turn
    lines = []
    question = turn.text
    for upload in turn.uploads:
        line, transcript = _received(upload)
        lines.append(line)
        if transcript:
            question = transcript
    if lines:
        text = f"You asked: {question or '(nothing)'}\n\nWhat reached the model:\n" + "\n".join(
            lines
        )
    else:
        text = (
            f"You asked: {question or '(nothing)'}\n\nNo file came with it. Attach an image, "
            "a text, Markdown, CSV or JSON document, or audio, and I will say what I received."
        )
    await ctx.out.event("start", "")
    await ctx.out.tokens(tokenize(text))
    return Outcome(text=ctx.out.answer)
