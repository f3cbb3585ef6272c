"""search_products shows what the request is about and leaves out what the shopper ruled out;
with nothing of it left, it says so and offers labelled alternatives (never off-topic picks)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import ToolMessage

from tools.toolkit import make_tools

CAMPING = {"query": "camping", "min_price": 48, "max_price": 72, "in_stock": True}
CAMPING_GEAR = {"Tents", "Sleeping Bags", "Headlamps"}


@pytest.fixture(scope="module")
def search(demo_catalog) -> Any:  # type: ignore[no-untyped-def]
    return next(t for t in make_tools(demo_catalog) if t.name == "search_products")


def run_message(tool: Any, args: dict[str, Any], request: dict[str, Any] | None = None) -> Any:
    state = {"request": {"turn": 1, **(request or {})}}
    msg = tool.invoke(
        {"type": "tool_call", "id": "c", "name": tool.name, "args": {**args, "state": state}}
    )
    assert isinstance(msg, ToolMessage)
    return msg


def run(tool: Any, args: dict[str, Any], request: dict[str, Any] | None = None) -> Any:
    return run_message(tool, args, request).artifact


def test_an_interest_shows_only_its_topic(search) -> None:
    art = run(search, CAMPING)
    assert art["ids"] and {i["category"] for i in art["items"]} <= CAMPING_GEAR


def test_ruled_out_words_are_left_out_of_the_candidates(search) -> None:
    art = run(search, {"query": "camping", "max_price": 400}, {"exclude_terms": ["headlamp"]})
    assert art["ids"]
    assert not [i for i in art["items"] if "headlamp" in i["title"].lower()]
    brand = run(search, {"query": "tent", "category": "Tents"})["items"][0]["brand"]
    art = run(search, {"query": "tent", "category": "Tents"}, {"exclude_brands": [brand]})
    assert art["ids"] and brand not in {i["brand"] for i in art["items"]}


def test_nothing_left_of_the_topic_offers_alternatives(search) -> None:
    # the camping gear around $60 is all headlamps but one sleeping bag: with headlamps ruled
    # out and that bag already shown, what is left is said, not swapped for hoodies
    first = run(search, CAMPING)
    shown = [
        {"turn": 1, "position": n + 1, "product_id": i["id"]}
        for n, i in enumerate(first["items"])
        if i["category"] != "Headlamps"
    ]
    msg = run_message(search, CAMPING, {"exclude_terms": ["headlamp"], "shown": shown})
    art = msg.artifact
    assert str(msg.content).startswith("No product in the store matches this request")
    assert art["alternatives"] == art["ids"] and art["ids"]
    cats = {i["category"] for i in art["items"]}
    assert cats <= CAMPING_GEAR - {"Headlamps"}  # the nearest camping gear, over budget
    assert all(i["price"] > 72 for i in art["items"])
