"""Run in a child process (`python -m benchmarks.history_probe`) with one version of
flowise_tui first on the path: fills a history through `HistoryStore`'s public API, the
same in every version, and prints its measurements as one JSON object.

The text is made of pseudo-words (30,000 of them, drawn with Zipf frequencies from a
fixed seed), so that a search meets a vocabulary and word frequencies like a real one.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from flowise_tui.conversation import Conversation, Turn, TurnStatus
from flowise_tui.flowise.events import build_event
from flowise_tui.history import HistoryStore

T0 = 1_700_000_000.0
SYLLABLES = [c + v for c in "bcdklmnprstvwy" for v in "aeiou"]
SYLLABLES += ["th", "st", "tr", "pl", "gr", "ch", "sh", "qu"]


class Words:
    def __init__(self, seed: int = 7, size: int = 30_000) -> None:
        self.random = random.Random(seed)
        made = {self._word() for _ in range(size)}
        self.vocabulary = sorted(made)
        self.random.shuffle(self.vocabulary)
        ranks = range(1, len(self.vocabulary) + 1)
        self.weights = list(itertools.accumulate(1 / rank for rank in ranks))

    def _word(self) -> str:
        length = self.random.choice((1, 2, 2, 3, 3, 4))
        return "".join(self.random.choice(SYLLABLES) for _ in range(length))

    def tokens(self, count: int) -> list[str]:
        """`count` words, each with its space, as a stream would send them."""
        chosen = self.random.choices(self.vocabulary, cum_weights=self.weights, k=count)
        return [word + " " for word in chosen]


def answered_turn(question: str, tokens: list[str], started: float) -> Turn:
    """A turn as the app saves it once the answer ends: every event of the stream applied."""
    turn = Turn(question, status=TurnStatus.DONE, started=started, elapsed=2.0)
    turn.first_token_after = 0.2
    turn.apply(build_event("start", ""))
    for token in tokens:
        turn.apply(build_event("token", token))
    turn.apply(build_event("metadata", {"chatId": "chat", "chatMessageId": "message"}))
    turn.apply(build_event("end", "[DONE]"))
    return turn


def save(store: HistoryStore, conversation: Conversation) -> None:
    store.save_conversation(conversation)
    for index, turn in enumerate(conversation.turns):
        store.save_turn(conversation, index, turn)


def fill(
    store: HistoryStore,
    words: Words,
    count: int,
    turns: int,
    answer_words: int,
    rare: str,
    rare_in: int,
) -> None:
    holders = set(random.Random(11).sample(range(count), rare_in))
    for number in range(count):
        conversation = Conversation(
            chatflow_id=f"flow-{number % 5}",
            chatflow_name=f"Flow {number % 5}",
            created=T0 + 60 * number,
        )
        for index in range(turns):
            question = "".join(words.tokens(8)).strip() + "?"
            tokens = words.tokens(answer_words)
            if number in holders and index == turns // 2:
                tokens.insert(answer_words // 2, rare + " ")
            conversation.turns.append(answered_turn(question, tokens, conversation.created + index))
        save(store, conversation)


def per_key(store: HistoryStore, word: str, repeats: int) -> list[dict[str, float | str | int]]:
    """For each prefix of `word`, as typed letter by letter: the median search time."""
    keys = []
    for end in range(1, len(word) + 1):
        typed = word[:end]
        seconds = []
        for _ in range(repeats):
            began = time.perf_counter()
            found = store.list_conversations(query=typed)
            seconds.append(time.perf_counter() - began)
        keys.append({"typed": typed, "ms": statistics.median(seconds) * 1000, "found": len(found)})
    return keys


def bytes_per_answer(words: Words, answers: int, tokens: int) -> dict[str, float]:
    """File size that `answers` answers of `tokens` tokens add, per answer (the file with the
    same turns answered with nothing is the zero), and the size of the answer's text."""
    sizes = []
    text_bytes = 0.0
    for count in (tokens, 0):
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "history.sqlite3"
            with HistoryStore(path) as store:
                for number in range(answers):
                    answer = words.tokens(count)
                    text_bytes += len("".join(answer).encode()) / answers
                    conversation = Conversation(chatflow_id="flow", created=T0 + number)
                    conversation.turns.append(answered_turn(f"Question {number}?", answer, T0))
                    save(store, conversation)
            sizes.append(path.stat().st_size)
    return {"bytes": (sizes[0] - sizes[1]) / answers, "text_bytes": text_bytes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--answer-words", type=int, default=150)
    parser.add_argument("--rare", default="stratovolcano")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--answers", type=int, default=200, help="for the size per answer")
    args = parser.parse_args()
    words = Words()
    result: dict[str, object] = {}
    with (
        tempfile.TemporaryDirectory() as scratch,
        HistoryStore(Path(scratch) / "history.sqlite3") as store,
    ):
        began = time.perf_counter()
        fill(store, words, args.conversations, args.turns, args.answer_words, args.rare, 3)
        result["fill_seconds"] = time.perf_counter() - began
        store.list_conversations(query=args.rare)  # a first query pays for the cache
        result["keys"] = per_key(store, args.rare, args.repeats)
    result["answer_1000"] = bytes_per_answer(words, args.answers, 1000)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
