"""The fast matcher and ranking give exactly what Textual's own fuzzy search gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.fuzzy import FuzzySearch

from flowise_tui.app import render
from flowise_tui.app.fuzzy import Candidate, Query
from flowise_tui.app.ranking import Ranking

# Few letters, so that they repeat; word breaks of several kinds; letters whose lower case
# is not one letter (İ) or differs (É).
LETTERS = "abcAB -_.éÉİ"
candidates = st.text(alphabet=LETTERS, max_size=18)
queries = st.text(alphabet=LETTERS, min_size=1, max_size=6)


def textual_match(query: str, candidate: str) -> tuple[float, list[int]]:
    score, offsets = FuzzySearch(cache_size=1).match(query, candidate)
    return score, list(offsets)


def textual_ranking(query: str, names: list[str]) -> list[tuple[int, float]]:
    scored = [(index, textual_match(query, name)[0]) for index, name in enumerate(names)]
    matched = [item for item in scored if item[1] > 0]
    return sorted(matched, key=lambda item: -item[1])


@settings(max_examples=3000, deadline=None)
@given(queries, candidates)
def test_scores_and_offsets_are_textuals(query: str, candidate: str) -> None:
    score, offsets = Query(query).match(Candidate(candidate))
    assert (score, list(offsets)) == textual_match(query, candidate)


def test_a_query_found_only_apart_takes_its_best_placement() -> None:
    # Not the first c and s ("Cus…") but the two that start words.
    score, offsets = Query("cs").match(Candidate("Customer Success"))
    assert offsets == [0, 9]
    assert (score, offsets) == textual_match("cs", "Customer Success")
    assert score > Query("cs").match(Candidate("Recipes"))[0] > 0


@settings(max_examples=300, deadline=None)
@given(queries, st.lists(candidates, max_size=40), st.integers(min_value=1, max_value=45))
def test_ranking_is_textual_order_however_far_it_is_read(
    query: str, names: list[str], step: int
) -> None:
    ranking = Ranking(Query(query), [Candidate(name) for name in names], range(len(names)))
    expected = textual_ranking(query, names)
    assert len(ranking) == len(expected)
    assert sorted(ranking.matches) == sorted(index for index, _ in expected)
    for count in range(step, len(expected) + step, step):
        assert ranking.take(count) == expected[:count]


@settings(max_examples=300, deadline=None)
@given(queries, queries, st.lists(candidates, max_size=40))
def test_a_longer_query_ranked_among_the_shorter_ones_matches(
    start: str, more: str, names: list[str]
) -> None:
    prepared = [Candidate(name) for name in names]
    shorter = Ranking(Query(start), prepared, range(len(names)))
    longer = Ranking(Query(start + more), prepared, shorter.matches)
    assert longer.take(len(names)) == textual_ranking(start + more, names)


def test_highlight_marks_exactly_the_matched_letters() -> None:
    score, content = render.fuzzy("sup tri", "Support - Ticket Triage")
    expected_score, offsets = textual_match("sup tri", "Support - Ticket Triage")
    assert score == expected_score
    marked = sorted(
        offset
        for span in content.spans
        if span.style == render.MATCHED
        for offset in range(span.start, span.end)
    )
    assert marked == offsets
    assert content.plain == "Support - Ticket Triage"


def test_highlight_is_inert_text() -> None:
    score, content = render.fuzzy("b", "[bold]x[/bold]\x1b[31m")
    assert score > 0
    assert content.plain == "[bold]x[/bold]"
