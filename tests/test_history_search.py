"""History search against a plain reading of its rule, on random histories: the newest
conversations first, and every typed word the start of a word of one turn, or of the title
and chatflow name."""

from __future__ import annotations

import re
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowise_tui.conversation import Conversation, Turn, TurnStatus
from flowise_tui.history import HistoryStore, search

T0 = 1_700_000_000.0
VOCABULARY = ["apple", "apricot", "banana", "band", "cherry", "chestnut", "date", "dates"]
VOCABULARY += ["elder", "fig", "grape", "kiwi", "lemon", "mango", "olive", "pear"]

sentences = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4).map(" ".join)
turns = st.tuples(sentences, sentences)
histories = st.lists(
    st.tuples(st.sampled_from(["Fruit bowl", "Nut shop"]), st.lists(turns, max_size=3)),
    min_size=1,
    max_size=30,
)
prefixes = st.sampled_from(VOCABULARY).flatmap(
    lambda word: st.integers(1, len(word)).map(lambda end: word[:end].upper())
)


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def matches(conversation: Conversation, typed: list[str]) -> bool:
    def has_all(text: str) -> bool:
        words = words_of(text)
        return all(any(word.startswith(t.lower()) for word in words) for t in typed)

    names = f"{conversation.title} {conversation.chatflow_name}"
    return has_all(names) or any(
        has_all(f"{turn.question} {turn.answer.text}") for turn in conversation.turns
    )


def build(history: list, ends: list[float]) -> list[Conversation]:
    """Conversations numbered in the order made, but ending in the order `ends` says, as
    when an old conversation is reopened and goes on."""
    made = []
    for number, (flow, exchanges) in enumerate(history):
        conversation = Conversation(
            chatflow_id=flow.lower(), chatflow_name=flow, created=T0 + number
        )
        for question, answer in exchanges:
            turn = Turn(question, status=TurnStatus.DONE, started=T0 + 1000 + ends[number])
            turn.answer.append_text(answer)
            conversation.turns.append(turn)
        made.append(conversation)
    return made


@settings(max_examples=150, deadline=None)
@given(
    history=histories,
    data=st.data(),
    typed=st.lists(prefixes, min_size=1, max_size=2),
    limit=st.integers(1, 4),
    window_pages=st.integers(1, 3),
    ranges=st.integers(1, 4),
    split_over=st.integers(0, 3),
    scoped=st.booleans(),
)
def test_search_finds_the_newest_matching_conversations(
    tmp_path_factory: pytest.TempPathFactory,
    history: list,
    data: st.DataObject,
    typed: list[str],
    limit: int,
    window_pages: int,
    ranges: int,
    split_over: int,
    scoped: bool,
) -> None:
    ends = data.draw(st.permutations(range(len(history))))
    conversations = build(history, ends)
    chatflow_id = "fruit bowl" if scoped else None
    path = tmp_path_factory.mktemp("search") / "history.sqlite3"
    with (
        HistoryStore(path) as store,
        patch.object(search, "WINDOW_PAGES", window_pages),
        patch.object(search, "RANGES", ranges),
        patch.object(search, "SPLIT_OVER", split_over),
    ):
        for conversation in conversations:
            store.save_conversation(conversation)
            for index, turn in enumerate(conversation.turns):
                store.save_turn(conversation, index, turn)

        found = store.list_conversations(chatflow_id, limit=limit, query=" ".join(typed))

    in_scope = [c for c in conversations if chatflow_id in (None, c.chatflow_id)]
    newest = sorted(in_scope, key=lambda c: (-max([c.created, *ends_of(c)]), -c.created))
    expected = [c.id for c in newest if matches(c, typed)][:limit]
    assert [summary.id for summary in found] == expected


def ends_of(conversation: Conversation) -> list[float]:
    return [turn.started + (turn.elapsed or 0.0) for turn in conversation.turns]


def test_ranges_split_at_the_widest_gaps() -> None:
    with patch.object(search, "RANGES", 3), patch.object(search, "SPLIT_OVER", 10):
        assert search._ranges([]) == []
        assert search._ranges([5]) == [(5, 5)]
        assert search._ranges([1, 2, 3, 4]) == [(1, 4)]
        assert search._ranges([900, 1, 2, 50, 3, 400]) == [(1, 50), (400, 400), (900, 900)]
        assert search._ranges([1, 12, 100, 300]) == [(1, 12), (100, 100), (300, 300)]


def test_a_window_of_newest_conversations_answers_a_broad_query(tmp_path: Path) -> None:
    """With many more matches than a page, only the window is searched."""
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        for number in range(30):
            conversation = Conversation(chatflow_id="flow", created=T0 + number)
            conversation.turns.append(Turn(f"apple {number}", started=T0 + number))
            store.save_turn(conversation, 0, conversation.turns[0])
        queries: list[str] = []
        store._connection.set_trace_callback(queries.append)  # type: ignore[union-attr]

        found = store.list_conversations(limit=2, query="app")

    assert [s.title for s in found] == ["apple 29", "apple 28"]
    assert not any("+c.number IN" in query for query in queries)
