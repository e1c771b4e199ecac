"""Sources to inspect: grouping by document, rank order, identical chunks once, scores, URLs."""

from __future__ import annotations

from flowise_tui.flowise.models import SourceDocument
from flowise_tui.sources import (
    distinct_chunks,
    group_sources,
    in_order,
    score_of,
    url_of,
    web_link,
)


def doc(source: str, text: str, **metadata: object) -> SourceDocument:
    return SourceDocument(text, {"source": source, **metadata})


def test_groups_follow_the_rank_of_their_best_chunk_and_keep_rank_inside() -> None:
    documents = [
        doc("menu.txt", "tarts"),
        doc("hours.txt", "open at 7"),
        doc("menu.txt", "bread"),
        doc("team.txt", "Ada bakes"),
        doc("hours.txt", "closed on Monday"),
    ]

    groups = group_sources(documents)

    assert [g.name for g in groups] == ["menu.txt", "hours.txt", "team.txt"]
    assert [(c.rank, c.document.page_content) for c in groups[0].chunks] == [
        (1, "tarts"),
        (3, "bread"),
    ]
    assert [c.rank for c in in_order(groups)] == [1, 3, 2, 5, 4]


def test_identical_chunks_are_shown_once_with_how_often_they_came() -> None:
    same = {"loc": {"lines": {"from": 1, "to": 3}}}
    documents = [
        doc("menu.txt", "tarts", **same),
        doc("menu.txt", "tarts  ", **same),
        doc("menu.txt", "tarts", loc={"lines": {"from": 9, "to": 9}}),
        doc("menu.txt", "tarts", **same),
    ]

    chunks = distinct_chunks(documents)

    assert [(c.rank, c.count) for c in chunks] == [(1, 3), (3, 1)]


def test_a_score_is_read_where_flowise_retrievers_put_it() -> None:
    assert score_of(doc("a", "x", relevance_score=0.91)) == 0.91  # rerank retrievers
    assert score_of(doc("a", "x", relevancy_score=0.03)) == 0.03  # reciprocal rank fusion
    assert score_of(doc("a", "x", score=2)) == 2.0
    assert score_of(doc("a", "x")) is None
    assert score_of(doc("a", "x", score="0.9")) is None
    assert score_of(doc("a", "x", score=True)) is None
    assert score_of(doc("a", "x", score=float("nan"))) is None


def test_only_http_urls_become_links() -> None:
    assert url_of(doc("https://example.org/a?b=1", "x")) == "https://example.org/a?b=1"
    assert url_of(doc("notes.txt", "x", url="http://example.org")) == "http://example.org"
    assert url_of(doc("notes.txt", "x")) is None
    for bad in (
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://exa mple.org",
        "https://example.org/\x1b]8;;x\x07",
        "https://",
        "/home/me/notes.txt",
        42,
    ):
        assert web_link(bad) is None, bad
