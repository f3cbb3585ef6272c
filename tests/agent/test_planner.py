"""The offline planner: parsing, and whole-graph turns over DummyJSON; WebShop robustness."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from agent.assistant import build_assistant
from agent.planner import Parser
from agent.settings import Settings
from catalog.models import Product

CASES = [
    ("I need a laptop under $1500", "search_products", {"category": "Laptops", "max_price": 1500}),
    ("smartphones between 200 and 600", "search_products", {"min_price": 200, "max_price": 600}),
    ("the cheapest laptops", "browse_by_price", {"category": "Laptops"}),
    ("best rated fragrances", "browse_by_price", {"category": "Fragrances"}),
    ("mens shoes under 100 dollars", "search_products", {"max_price": 100}),
    ("sunglasses in stock", "search_products", {"in_stock": True}),
    ("I need a gift", "ask_clarifying_question", {}),
    ("do you sell kayaks", "search_products", {}),
    ("a kitchen knife", "search_products", {}),
    ("womens dresses below $80", "search_products", {"max_price": 80}),
]


@pytest.mark.parametrize(("text", "tool", "args"), CASES)
async def test_planner_turns(tmp_path, dummy_catalog, text, tool, args) -> None:
    a = build_assistant(Settings(SHOP_DATA_DIR=str(tmp_path)), dummy_catalog)
    r = await a.arun(text, thread_id="t")
    await a.aclose()
    assert r.tool_calls and r.tool_calls[0].name == tool
    for key, value in args.items():
        assert r.tool_calls[0].args.get(key) == value
    cap = args.get("max_price")
    with dummy_catalog.store.session() as s:
        for rec in r.recommendations:
            p = s.get(Product, rec.product_id)
            assert p is not None
            v = next(v for v in p.variants if v.id == rec.variant_id)
            assert float(v.price) == rec.price
            if cap and "alternatives" not in r.reply:
                assert rec.price <= cap
    if tool == "ask_clarifying_question":
        assert r.clarifying_question and r.reply.count("?") == 1


async def test_follow_up_cheaper(tmp_path, dummy_catalog) -> None:
    a = build_assistant(Settings(SHOP_DATA_DIR=str(tmp_path)), dummy_catalog)
    r1 = await a.arun("smartphones under $1000", thread_id="f")
    r2 = await a.arun("something cheaper", thread_id="f")
    await a.aclose()
    assert r2.tool_calls[0].args["max_price"] < min(x.price for x in r1.recommendations)
    assert not {x.product_id for x in r1.recommendations} & {
        x.product_id for x in r2.recommendations
    }


@pytest.mark.shared
@pytest.mark.slow
async def test_webshop_goals_robustness(tmp_path, shared_dir, dummy_catalog) -> None:
    goals = json.loads((shared_dir / "data/webshop/human_goals.json").read_text())
    goals = [g if isinstance(g, str) else str(g.get("instruction", g)) for g in goals][:1000]
    with dummy_catalog.store.session() as s:
        from catalog.constraints import Vocabulary

        parser = Parser(Vocabulary.load(s))
        assert s.scalar(select(Product.id)) is not None
    priced = sum(1 for g in goals if "dollar" in g or "$" in g)
    extracted = 0
    for goal in goals:
        p = parser.parse(goal)
        if p.max_price is not None:
            extracted += 1
    print(
        f"price cap extracted for {extracted}/{len(goals)} requests "
        f"({extracted / len(goals):.1%}); {priced} mention dollars"
    )
    assert extracted >= priced * 0.8
    a = build_assistant(Settings(SHOP_DATA_DIR=str(tmp_path)), dummy_catalog)
    for i, goal in enumerate(goals[:50]):
        r = await a.arun(goal, thread_id=f"w{i}")
        assert r.tool_calls or r.clarifying_question
        assert r.tool_calls == [] or r.tool_calls[0].name in (
            "search_products",
            "browse_by_price",
            "compare_products",
            "get_product",
        )
    await a.aclose()
