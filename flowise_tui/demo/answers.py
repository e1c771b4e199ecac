"""Deterministic answers of the simple chat flows."""

from __future__ import annotations

from .text import keywords, shorten, stable_index, title, topic

_CLOSINGS = (
    "No language model was involved: the demo server builds every answer from your words, "
    "so the same question always gets the same reply ✓.",
    "Everything here is deterministic ✓ — ask again and you will see exactly the same text, "
    "which makes the demo handy for screenshots and tests.",
    "The answer streamed one word at a time, just like a real Flowise server would send it, "
    "framing and all ✓.",
    "Try a follow-up question: this chat remembers what you asked earlier in the same session ✓.",
)


def chat_answer(question: str, previous: str | None, turn_number: int) -> str:
    subject = topic(question)
    if previous is not None:
        intro = (
            f'Earlier you asked: "{shorten(previous)}". Now you want to know about **{subject}**.'
        )
    else:
        intro = f"You asked about **{subject}**. This is the first question of this session."
    words = question.split()
    reversed_words = " ".join(reversed(words))
    sample = shorten(question, 50).replace("\\", "\\\\").replace('"', '\\"')
    return (
        f"## {title(question)}\n\n"
        f"{intro}\n\n"
        f"- **Topic:** {subject}\n"
        f"- **Words in your question:** {len(words)}\n"
        f"- **Turn in this session:** {turn_number}\n\n"
        "```python\n"
        "def reverse_words(text: str) -> str:\n"
        '    return " ".join(reversed(text.split()))\n'
        "\n"
        f'reverse_words("{sample}")  # {shorten(reversed_words, 50)}\n'
        "```\n\n"
        f"{_CLOSINGS[stable_index(question, len(_CLOSINGS))]}"
    )


def chat_follow_ups(question: str) -> list[str]:
    found = keywords(question, 2)
    first = f"Tell me more about {' '.join(found)}" if found else "What can you do?"
    return [first, "What did I ask before?", "/long 200"]


def protected_answer(question: str) -> str:
    return (
        "## Access granted 🔓\n\n"
        "The **Protected** flow accepted its own API key, sent as `Authorization: Bearer …`.\n\n"
        f"You said: *{shorten(question) or 'nothing'}*\n\n"
        "- Without the key, a streaming request gets an `error` event.\n"
        "- A non-streaming request gets HTTP 500, not 401."
    )


def no_stream_answer(question: str) -> str:
    return (
        "This flow's model has streaming turned off, so the whole answer arrives at once "
        "as `application/json`, even when you ask for a stream.\n\n"
        f"You said: **{shorten(question) or 'nothing'}**"
    )


SLOW_STORY = (
    "Once upon a time, in a bakery that never slept, an old terminal blinked awake every "
    "morning at four. It watched the bakers fold the dough and listened to the ovens hum. "
    "One night a message arrived, one word at a time, so slowly that the terminal could "
    "count the seconds between them. It waited patiently, because good stories, like good "
    "bread, cannot be rushed. When the last word finally landed, the sun was rising, the "
    "croissants were golden, and the terminal printed a quiet line: the end."
)


def slow_story(question: str) -> str:
    opening = f"**{title(question)}**\n\n" if question.strip() else ""
    return opening + SLOW_STORY
