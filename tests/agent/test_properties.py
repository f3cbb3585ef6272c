"""Property tests: random shopper requests, a model that picks at random (any product the tools
returned, any of its variants), on the demo and τ² catalogs. Whatever the model does, every
pick fits what the message said at variant level — checked here straight from SQL, not with the
agent's own reading — and "anything cheaper?" only ever shows cheaper items."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from sqlalchemy import select

from agent.assistant import build_assistant
from agent.settings import Settings
from catalog.models import Product, Variant
from catalog.normalize import normalize_value
from tests.agent.fakes import ScriptedModel, call

BUDGETS = [
    "under ${n}",
    "no more than {n} dollars",
    "nothing over {n} bucks",
    "below {n}",
    "max ${n}",
    "{n} or less",
]
OPTION = ["in {name} {value}", "{name} {value}", "in {value}"]
EXCLUDE = ["anything but {brand}", "no {brand} please", "not {brand}"]


class Facts:
    """The catalog as plain data, read once: what the properties are checked against."""

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog
        self.variants: dict[str, Variant] = {}
        self.by_product: dict[str, list[str]] = defaultdict(list)
        self.products: dict[str, Product] = {}
        self.categories: dict[str, list[Product]] = defaultdict(list)
        with catalog.store.session() as s:
            for p in s.scalars(select(Product)):
                self.products[p.id] = p
                self.categories[p.category].append(p)
                for v in p.variants:
                    self.variants[v.id] = v
                    self.by_product[p.id].append(v.id)
        self.names = sorted(self.categories)


def chaos_model(facts: Facts, seed: int) -> ScriptedModel:
    """Searches (one turn with the shopper's filters, one without), then recommends products the
    tools returned at random, each through a random variant."""
    rng = random.Random(seed)

    def step(messages: list[BaseMessage]) -> AIMessage:
        last = max(i for i, m in enumerate(messages) if m.type == "human")
        done = [m for m in messages[last + 1 :] if isinstance(m, ToolMessage)]
        if not done:
            return call("browse_by_price", limit=20, in_stock=False)
        if len(done) == 1:
            text = str(messages[last].additional_kwargs.get("shopper_text", ""))
            return call("search_products", query=text, limit=10, exclude_shown=False)
        ids = [
            str(i)
            for m in done
            if isinstance(m.artifact, dict)
            for i in m.artifact.get("ids") or []
        ]
        rng.shuffle(ids)
        items = [
            {"product_id": p, "variant_id": rng.choice(facts.by_product[p])}
            for p in ids[:6]
            if p in facts.by_product
        ]
        return call("recommend", items=items)

    return ScriptedModel(steps=[step], prompts=[])


@st.composite
def requests(draw: Any, facts: Facts) -> dict[str, Any]:
    category = draw(st.sampled_from(facts.names))
    products = facts.categories[category]
    out: dict[str, Any] = {"category": category, "text": category.lower()}
    if draw(st.booleans()):
        prices = sorted(
            float(facts.variants[v].price) for p in products for v in facts.by_product[p.id]
        )
        cap = round(draw(st.sampled_from(prices[len(prices) // 4 :] or prices)))
        out["max_price"] = cap
        out["text"] += " " + draw(st.sampled_from(BUDGETS)).format(n=cap)
    options: dict[str, set[str]] = defaultdict(set)
    for p in products:
        for v in p.variants:
            for k, val in v.options.items():
                options[k].add(val)
    named = [k for k in options if k in ("size", "color") and len(options[k]) > 1]
    if named and draw(st.booleans()):
        name = draw(st.sampled_from(sorted(named)))
        value = draw(st.sampled_from(sorted(options[name])))
        out["option"] = (name, value)
        out["text"] += " " + draw(st.sampled_from(OPTION)).format(name=name, value=value)
    brands = sorted({p.brand for p in products if p.brand and len(p.brand) > 3})
    if len(brands) > 1 and draw(st.booleans()):
        brand = draw(st.sampled_from(brands))
        out["exclude"] = brand
        out["text"] += ", " + draw(st.sampled_from(EXCLUDE)).format(brand=brand)
    return out


def violations(facts: Facts, rec: Any, req: dict[str, Any]) -> list[str]:
    """What is wrong with one pick, judged from SQL against what the message said."""
    v = facts.variants[rec.variant_id]
    p = facts.products[rec.product_id]
    out = []
    if v.product_id != rec.product_id:
        out.append("variant of another product")
    if abs(float(v.price) - rec.price) > 1e-6:
        out.append("price not the variant's")
    if "max_price" in req and float(v.price) > req["max_price"] + 1e-9:
        out.append(f"over budget: {v.price} > {req['max_price']}")
    if not v.in_stock:
        out.append("out of stock")
    if "option" in req:
        name, value = req["option"]
        got = {normalize_value(k): normalize_value(x) for k, x in v.options.items()}
        if got.get(normalize_value(name)) != normalize_value(value):
            out.append(f"{name} {got.get(normalize_value(name))} is not {value}")
    if "exclude" in req and p.brand == req["exclude"]:
        out.append(f"excluded brand {p.brand}")
    return out


async def check_requests(tmp_path: Any, facts: Facts, req: dict[str, Any], seed: int) -> None:
    a = build_assistant(
        Settings(_env_file=None, SHOP_DATA_DIR=str(tmp_path), SHOP_TURNS_PER_MINUTE=10_000),
        facts.catalog,
        model=chaos_model(facts, seed),
    )
    thread = f"p{seed}"
    first = await a.arun(req["text"], thread_id=thread)
    for rec in first.recommendations:
        assert not violations(facts, rec, req), (req["text"], rec, violations(facts, rec, req))
    shown = [*first.recommendations, *first.alternatives]
    second = await a.arun("anything cheaper?", thread_id=thread)
    await a.aclose()
    if shown:
        floor = min(x.price for x in shown)
        for rec in second.recommendations:
            assert rec.price < floor, (req["text"], rec.price, floor)
            assert rec.product_id not in {x.product_id for x in shown}
            assert not violations(facts, rec, req), (req["text"], violations(facts, rec, req))


RUN = settings(
    max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@pytest.fixture(scope="module")
def demo_facts(demo_catalog) -> Facts:  # type: ignore[no-untyped-def]
    return Facts(demo_catalog)


@pytest.fixture(scope="module")
def tau2_facts(tau2_catalog) -> Facts:  # type: ignore[no-untyped-def]
    return Facts(tau2_catalog)


def test_every_pick_fits_on_the_demo_catalog(tmp_path_factory, demo_facts: Facts) -> None:
    @RUN
    @given(req=requests(demo_facts), seed=st.integers(0, 10_000))
    def run(req: dict[str, Any], seed: int) -> None:
        import asyncio

        asyncio.run(check_requests(tmp_path_factory.mktemp("p"), demo_facts, req, seed))

    run()


def test_every_pick_fits_on_the_tau2_catalog(tmp_path_factory, tau2_facts: Facts) -> None:
    @RUN
    @given(req=requests(tau2_facts), seed=st.integers(0, 10_000))
    def run(req: dict[str, Any], seed: int) -> None:
        import asyncio

        asyncio.run(check_requests(tmp_path_factory.mktemp("p"), tau2_facts, req, seed))

    run()
