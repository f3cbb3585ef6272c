"""What a request is about (catalog/topic.py): the categories of its unfiltered neighbours,
confirmed by its full-text matches, rank first under a filter; a spread-out request has none."""

from __future__ import annotations

import numpy as np

from catalog.constraints import Constraints
from catalog.service import Catalog
from catalog.topic import MIN_COVER, MIN_LEAD, MIN_SHARE, about, confirmed, topic_codes

ROW = {f"p{i}": i for i in range(100)}


def categories(*counts: int) -> np.ndarray:
    """A category code per product row: `counts[c]` products of category c, in order."""
    return np.array([c for c, n in enumerate(counts) for _ in range(n)], dtype=np.int32)


def test_a_concentrated_neighbourhood_is_a_topic() -> None:
    cat = categories(60, 30, 6, 4)  # 4% is noise, below MIN_SHARE
    assert MIN_SHARE > 0.04
    assert topic_codes([f"p{i}" for i in range(100)], ROW, cat) == {0, 1, 2}


def test_a_spread_neighbourhood_has_no_topic() -> None:
    cat = categories(*[4] * 25)  # 25 categories with 4% each: nothing reaches MIN_SHARE
    assert topic_codes([f"p{i}" for i in range(100)], ROW, cat) == frozenset()
    cat = categories(40, 30, *[3] * 10)  # the two main ones hold 70% < MIN_COVER
    assert MIN_COVER > 0.7
    assert topic_codes([f"p{i}" for i in range(100)], ROW, cat) == frozenset()
    cat = categories(25, 20, 20, 15, 10, 10)  # all of it in six, but none leads
    assert MIN_LEAD > 0.25
    assert topic_codes([f"p{i}" for i in range(100)], ROW, cat) == frozenset()


def test_full_text_matches_confirm_part_of_a_topic() -> None:
    cat = categories(50, 30, 20)
    topic = frozenset({0, 1, 2})
    # the words match categories 0 and 1 (and 2 only once): 2 is meaning alone
    words = [f"p{i}" for i in [*range(0, 20), *range(50, 70), 80]]
    assert confirmed(topic, words, ROW, cat) == {0, 1}
    # words that name none of the topic leave it as it was
    assert confirmed(frozenset({2}), words[:10], ROW, cat) == {2}
    assert confirmed(topic, [], ROW, cat) == topic


def test_about_keeps_order() -> None:
    cat = categories(50, 50)
    assert about(["p60", "p3", "p70", "p1"], frozenset({0}), ROW, cat) == ["p3", "p1"]


def test_an_interest_under_a_budget_stays_on_topic(demo_catalog: Catalog) -> None:
    budget = Constraints(min_price=48, max_price=72, in_stock=True)
    result = demo_catalog.searcher.search("camping", budget, k=10)
    assert result.on_topic  # camping has a topic: tents, sleeping bags, headlamps
    cats = [h.category for h in result.hits]
    on = [h.category for h in result.hits if h.product_id in result.on_topic]
    assert on and cats[: len(on)] == on  # the topic ranks first
    assert set(on) <= {"Tents", "Sleeping Bags", "Headlamps"}
    # nothing is dropped by the searcher: every qualifying hit it ranks is still returned
    assert len(result.hits) == 10
    assert all(48 <= h.price <= 72 and h.in_stock for h in result.hits)


def test_no_topic_without_filters_or_with_a_category(demo_catalog: Catalog) -> None:
    searcher = demo_catalog.searcher
    assert searcher.search("camping", Constraints(), k=5).on_topic is None
    tents = Constraints(category="Tents", max_price=400)
    assert searcher.search("camping", tents, k=5).on_topic is None


def test_a_spread_request_has_no_topic(demo_catalog: Catalog) -> None:
    result = demo_catalog.searcher.search("gift", Constraints(max_price=30), k=5)
    assert result.on_topic is None and len(result.hits) == 5
