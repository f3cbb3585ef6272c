"""The offline engine through the whole graph on the bundled demo catalog.

Each request asserts the tool calls the engine made (with the arguments they ran with, after
the graph added what the shopper stated) and checks every recommendation against
SQL with `catalog.constraints` directly (not agent code): a recommended product must qualify
through one variant that meets the stated price, options and stock together.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.assistant import build_assistant
from agent.settings import Settings
from catalog.constraints import Constraints, resolve, variant_fits
from catalog.models import Product
from tools.get_product import product_details


@pytest.fixture
async def assistant(tmp_path, demo_catalog):  # type: ignore[no-untyped-def]
    a = build_assistant(Settings(SHOP_DATA_DIR=str(tmp_path)), demo_catalog)
    assert a.model_name == "offline"
    yield a
    await a.aclose()


def calls(result: Any, name: str) -> list[dict[str, Any]]:
    return [c.args for c in result.tool_calls if c.name == name]


def check_recs(
    catalog: Any,
    recs: list[Any],
    *,
    category: str | None = None,
    brand: str | None = None,
    max_price: float | None = None,
    min_price: float | None = None,
    options: dict[str, str] | None = None,
    in_stock: bool = False,
) -> list[Product]:
    """Every recommendation qualifies through its own rendered variant (SQL facts)."""
    rc = resolve(
        Constraints(
            max_price=max_price, min_price=min_price, options=options or {}, in_stock=in_stock
        ),
        catalog.searcher.vocabulary,
    )
    products = []
    with catalog.store.session() as s:
        for rec in recs:
            product = s.get(Product, rec.product_id)
            assert product is not None, rec.product_id
            variant = next(v for v in product.variants if v.id == rec.variant_id)
            assert float(variant.price) == rec.price
            assert variant_fits(variant, rc), (rec.product_id, rec.variant_id, rec.price)
            if category:
                assert product.category == category
            if brand:
                assert product.brand == brand
            s.expunge(product)
            products.append(product)
    return products


# (request, first tool, expected args of that call, constraints every pick must meet)
SINGLE = [
    (
        "headphones under $50",
        "search_products",
        {"category": "Headphones", "max_price": 50},
        {"category": "Headphones", "max_price": 50},
    ),
    (
        "laptops between 1000 and 1500",
        "search_products",
        {"category": "Laptops", "min_price": 1000, "max_price": 1500},
        {"category": "Laptops", "min_price": 1000, "max_price": 1500},
    ),
    (
        "yoga mat under 40 dollars",
        "search_products",
        {"category": "Yoga Mats", "max_price": 40},
        {"category": "Yoga Mats", "max_price": 40},
    ),
    (
        "Bluetooth speakers over $100",
        "search_products",
        {"category": "Bluetooth Speakers", "min_price": 100},
        {"category": "Bluetooth Speakers", "min_price": 100},
    ),
    (
        "cotton t-shirts under $30",
        "search_products",
        {"category": "T-Shirts", "max_price": 30},
        {"category": "T-Shirts", "max_price": 30},
    ),
    (
        "black sneakers size 9",
        "search_products",
        {"category": "Sneakers", "options": {"size": "9", "color": "Black"}},
        {"category": "Sneakers", "options": {"size": "9", "color": "Black"}, "in_stock": True},
    ),
    (
        "size 10 trail running shoes in black under $120",
        "search_products",
        {
            "category": "Trail Running Shoes",
            "max_price": 120,
            "options": {"size": "10", "color": "Black"},
        },
        {
            "category": "Trail Running Shoes",
            "max_price": 120,
            "options": {"size": "10", "color": "Black"},
            "in_stock": True,
        },
    ),
    (
        "jeans 32x32",
        "search_products",
        {"category": "Jeans", "options": {"size": "32x32"}},
        {"category": "Jeans", "options": {"size": "32x32"}, "in_stock": True},
    ),
    (
        "a navy winter coat size L",
        "search_products",
        {"category": "Winter Coats", "options": {"size": "L", "color": "Navy"}},
        {"category": "Winter Coats", "options": {"size": "L", "color": "Navy"}, "in_stock": True},
    ),
    (
        "Fernwood leggings",
        "search_products",
        {"category": "Leggings", "brand": "Fernwood"},
        {"category": "Leggings", "brand": "Fernwood"},
    ),
    (
        "Kestrel Audio earbuds under $100",
        "search_products",
        {"category": "Earbuds", "brand": "Kestrel Audio", "max_price": 100},
        {"category": "Earbuds", "brand": "Kestrel Audio", "max_price": 100},
    ),
    (
        "noise cancelling headphones in stock",
        "search_products",
        {"category": "Headphones", "in_stock": True},
        {"category": "Headphones", "in_stock": True},
    ),
    (
        "tents under $300 in stock",
        "search_products",
        {"category": "Tents", "max_price": 300, "in_stock": True},
        {"category": "Tents", "max_price": 300, "in_stock": True},
    ),
    ("chef's knife", "search_products", {"category": "Chef's Knives"}, {}),
    ("phone charger", "search_products", {"category": "Phone Chargers"}, {}),
    ("merino wool socks", "search_products", {"category": "Socks"}, {"category": "Socks"}),
    ("leather sneakers", "search_products", {"category": "Sneakers"}, {"category": "Sneakers"}),
    (
        "the cheapest laptops",
        "browse_by_price",
        {"category": "Laptops", "sort": "price_asc"},
        {"category": "Laptops"},
    ),
    (
        "best rated coffee makers",
        "browse_by_price",
        {"category": "Coffee Makers", "sort": "rating"},
        {"category": "Coffee Makers"},
    ),
    (
        "the cheapest winter coat in stock",
        "browse_by_price",
        {"category": "Winter Coats", "sort": "price_asc", "in_stock": True},
        {"category": "Winter Coats", "in_stock": True},
    ),
    (
        "a cheap frying pan",
        "browse_by_price",
        {"category": "Frying Pans", "sort": "price_asc"},
        {"category": "Frying Pans"},
    ),
    (
        "cheap backpacks",
        "browse_by_price",
        {"category": "Backpacks", "sort": "price_asc"},
        {"category": "Backpacks"},
    ),
]


@pytest.mark.parametrize(("text", "tool", "args", "must"), SINGLE, ids=[c[0] for c in SINGLE])
async def test_single_turn_requests(assistant, demo_catalog, text, tool, args, must) -> None:
    r = await assistant.arun(text, thread_id="t")
    assert r.tool_calls[0].name == tool, [c.name for c in r.tool_calls]
    first = r.tool_calls[0].args
    for key, value in args.items():
        assert first.get(key) == value, (key, first)
    assert r.tool_calls[-1].name == "recommend"
    assert 2 <= len(r.recommendations) <= 4, r.reply
    assert not r.clarifying_question
    products = check_recs(demo_catalog, r.recommendations, **must)
    if "options" in must:  # the card shows the variant in the shopper's options, in stock
        for rec in r.recommendations:
            assert "in stock" in rec.reason
    if "max_price" in must:
        assert all("budget" in rec.reason for rec in r.recommendations)
    if tool == "browse_by_price" and args["sort"] == "price_asc":
        prices = [rec.price for rec in r.recommendations]
        assert prices == sorted(prices)
        with demo_catalog.store.session() as s:
            cheapest = sorted(
                min(float(v.price) for v in p.variants if v.in_stock)
                for p in s.query(Product).filter(Product.category == must["category"])
                if any(v.in_stock for v in p.variants)
            )
        assert max(prices) <= cheapest[len(prices) - 1] + 1e-9
    if args.get("sort") == "rating":
        ratings = [rec.rating or 0 for rec in r.recommendations]
        assert ratings == sorted(ratings, reverse=True)
    if text == "merino wool socks":
        assert all("merino" in p.title.lower() for p in products)
    if text == "leather sneakers":
        assert all("leather" in p.title.lower() for p in products)


async def test_quality_bar_waterproof_boots(assistant, demo_catalog) -> None:
    r = await assistant.arun("I need waterproof hiking boots under $150, size 10", thread_id="q")
    search = calls(r, "search_products")[0]
    assert search["category"] == "Hiking Boots"
    assert search["max_price"] == 150
    assert search["options"] == {"size": "10"} and search["in_stock"] is True
    assert 2 <= len(r.recommendations) <= 4
    products = check_recs(
        demo_catalog,
        r.recommendations,
        category="Hiking Boots",
        max_price=150,
        options={"size": "10"},
        in_stock=True,
    )
    for product, rec in zip(products, r.recommendations, strict=True):
        assert product.attributes.get("waterproof") is True
        assert rec.variant["size"] == "10" and rec.in_stock and rec.price <= 150
        assert "within your budget" in rec.reason and "size 10" in rec.reason
        assert "waterproof" in rec.reason.lower()
    assert "$150" in r.reply


async def test_vague_gift_asks_one_short_question(assistant, demo_catalog) -> None:
    r = await assistant.arun("I need a gift", thread_id="g")
    assert r.clarifying_question
    assert r.tool_calls[-1].name == "ask_clarifying_question"
    assert r.reply.count("?") == 1 and len(r.reply) < 200
    assert not r.recommendations
    # concrete options, in the catalog's own words
    categories = {c.lower() for c in demo_catalog.searcher.vocabulary.categories.values()}
    assert sum(c in r.reply.lower() for c in categories) >= 2


async def test_not_carried_is_honest(assistant, demo_catalog) -> None:
    r = await assistant.arun("do you sell car tires?", thread_id="n")
    assert calls(r, "search_products")[0]["query"] == "car tires"
    assert "don't carry car tires" in r.reply
    assert len(r.recommendations) <= 4
    check_recs(demo_catalog, r.recommendations, in_stock=True)  # alternatives are real, in stock


async def test_option_widened_from_catalog_values(assistant, demo_catalog) -> None:
    r = await assistant.arun("a queen duvet", thread_id="d")
    searches = calls(r, "search_products")
    assert searches[-1]["options"] == {"size": "Full/Queen"}  # the catalog's own value
    assert len(r.recommendations) >= 2
    check_recs(
        demo_catalog,
        r.recommendations,
        category="Duvets",
        options={"size": "Full/Queen"},
        in_stock=True,
    )


async def test_unavailable_combination_is_honest(assistant, demo_catalog) -> None:
    r = await assistant.arun("a gray winter coat size L", thread_id="w")
    assert calls(r, "search_products")[0]["options"] == {"size": "L", "color": "gray"}
    assert r.reply.startswith("I couldn't find winter coats that fit everything")
    assert not r.recommendations  # no winter coat comes in gray: the cards are alternatives
    assert r.alternatives
    for alt in r.alternatives:
        assert alt.category == "Winter Coats"
        assert "option_unavailable" in [v.code for v in alt.violations]


async def test_option_the_category_lacks_is_dropped(assistant, demo_catalog) -> None:
    r = await assistant.arun("a light rain jacket", thread_id="l")
    searches = calls(r, "search_products")
    assert "options" not in searches[-1]
    assert "Sorry" not in r.reply and len(r.recommendations) >= 2
    check_recs(demo_catalog, r.recommendations, category="Rain Jackets")


async def test_follow_ups_over_several_turns(assistant, demo_catalog) -> None:
    t = "follow"
    r1 = await assistant.arun("rain jackets under $200", thread_id=t)
    check_recs(demo_catalog, r1.recommendations, category="Rain Jackets", max_price=200)
    shown = {x.product_id for x in r1.recommendations}

    r2 = await assistant.arun("in black", thread_id=t)
    args = calls(r2, "search_products")[0]
    assert args["category"] == "Rain Jackets" and args["max_price"] == 200
    assert args["options"] == {"color": "Black"}
    check_recs(
        demo_catalog,
        r2.recommendations,
        category="Rain Jackets",
        max_price=200,
        options={"color": "Black"},
        in_stock=True,
    )
    assert len(r2.recommendations) >= 2

    r3 = await assistant.arun("show me different ones", thread_id=t)
    ids3 = {x.product_id for x in r3.recommendations}
    assert r3.recommendations and not ids3 & (shown | {x.product_id for x in r2.recommendations})
    check_recs(
        demo_catalog,
        r3.recommendations,
        category="Rain Jackets",
        max_price=200,
        options={"color": "Black"},
        in_stock=True,
    )
    shown |= {x.product_id for x in r2.recommendations} | ids3

    r4 = await assistant.arun("something cheaper", thread_id=t)
    cap = calls(r4, "search_products")[0]["max_price"]
    assert cap < min(x.price for x in r3.recommendations)
    assert not {x.product_id for x in r4.recommendations} & shown
    check_recs(
        demo_catalog,
        r4.recommendations,
        category="Rain Jackets",
        max_price=cap,
        options={"color": "Black"},
        in_stock=True,
    )
    # picks when a cheaper black jacket not shown yet exists (SQL says), an honest no otherwise
    rc = resolve(
        Constraints(max_price=cap, options={"color": "Black"}, in_stock=True),
        demo_catalog.searcher.vocabulary,
    )
    with demo_catalog.store.session() as s:
        exists = any(
            variant_fits(v, rc)
            for p in s.query(Product).filter(Product.category == "Rain Jackets")
            if p.id not in shown
            for v in p.variants
        )
    assert bool(r4.recommendations) == exists, r4.reply
    if not exists:
        assert "couldn't find" in r4.reply and r4.alternatives
        assert all("not_cheaper" in [v.code for v in a.violations] for a in r4.alternatives)

    r5 = await assistant.arun("compare the first two", thread_id=t)
    first_two = [x.product_id for x in [*r4.recommendations, *r4.alternatives][:2]]
    if len(first_two) < 2:  # only one card on screen: nothing to compare, and no crash
        assert r5.comparison is None and r5.reply
        return
    assert calls(r5, "compare_products") == [{"product_ids": first_two}]
    assert r5.comparison is not None and r5.comparison.product_ids == first_two
    assert not r5.recommendations


async def test_more_like_and_details(assistant, demo_catalog) -> None:
    t = "similar"
    r1 = await assistant.arun("bluetooth speakers", thread_id=t)
    assert len(r1.recommendations) >= 2
    second = r1.recommendations[1]
    r2 = await assistant.arun("more like the second one", thread_id=t)
    args = calls(r2, "search_products")[0]
    assert args["category"] == second.category
    assert set(args["query"].lower().split()) & set(second.title.lower().split())
    assert r2.recommendations
    assert not {x.product_id for x in r2.recommendations} & {
        x.product_id for x in r1.recommendations
    }
    check_recs(demo_catalog, r2.recommendations, category=second.category)

    r3 = await assistant.arun("tell me more about the first one", thread_id=t)
    assert calls(r3, "get_product") == [{"product_id": r2.recommendations[0].product_id}]
    assert r3.reply.startswith(r2.recommendations[0].title)
    assert "[see listed price]" not in r3.reply


async def test_compare_by_ordinals(assistant) -> None:
    r1 = await assistant.arun("tents", thread_id="c")
    ids = [x.product_id for x in r1.recommendations]
    assert len(ids) >= 3
    r2 = await assistant.arun("compare the first and third", thread_id="c")
    assert calls(r2, "compare_products") == [{"product_ids": [ids[0], ids[2]]}]
    r3 = await assistant.arun("compare them", thread_id="c")
    assert calls(r3, "compare_products") == [{"product_ids": ids[:4]}]


async def test_details_never_echo_description_injection(assistant, demo_catalog) -> None:
    for pid in ("ELE-00370", "OUT-00216"):
        _, art = product_details(demo_catalog, pid)
        r = await assistant.arun(f"tell me about {pid}", thread_id=pid)
        low = r.reply.lower()
        assert "ignore previous" not in low and "free" not in low and "system:" not in low
        assert art["items"][0]["title"] in r.reply


async def test_a_new_need_is_not_held_to_the_kind_shown_before(assistant, demo_catalog) -> None:
    """Coffee makers shown for "something for my morning coffee" (no category named): a later
    need that means another kind gets that kind, and "cheaper?" stays with it."""
    t = "kinds"
    r1 = await assistant.arun("something for my morning coffee", thread_id=t)
    check_recs(demo_catalog, r1.recommendations, category="Coffee Makers", in_stock=True)
    r2 = await assistant.arun("what about something to keep my feet dry on hikes", thread_id=t)
    assert r2.recommendations
    check_recs(demo_catalog, r2.recommendations, category="Hiking Boots", in_stock=True)
    r3 = await assistant.arun("cheaper?", thread_id=t)
    top = min(x.price for x in r2.recommendations)
    check_recs(
        demo_catalog, r3.recommendations, category="Hiking Boots", max_price=top, in_stock=True
    )
    assert all(x.price < top for x in r3.recommendations)


async def test_what_the_store_does_not_sell_gets_an_honest_no(assistant) -> None:
    """A need no category is near in meaning ("warm up leftovers" on a store without
    microwaves) is not answered with duvets because their titles say "warm"."""
    r = await assistant.arun("I need something to warm up leftovers", thread_id="no-microwave")
    assert not r.recommendations
    assert "don't carry" in r.reply


async def test_more_like_the_product_asked_about(assistant, demo_catalog) -> None:
    """ "More like this" after "tell me about X" (no card shown): X's kind, never X."""
    t = "more-like-asked"
    r1 = await assistant.arun("Tell me about OUT-00489", thread_id=t)
    assert "Sleeping Bag" in r1.reply
    r2 = await assistant.arun("more like this", thread_id=t)
    assert r2.recommendations and "OUT-00489" not in {x.product_id for x in r2.recommendations}
    check_recs(demo_catalog, r2.recommendations, category="Sleeping Bags", in_stock=True)


async def test_products_compared_by_id_are_the_ones_on_screen(assistant) -> None:
    """After "compare A and B" (no cards before), "which is warmer?" is about A and B."""
    t = "compared-by-id"
    await assistant.arun("compare APP-00036 and APP-00039", thread_id=t)
    r = await assistant.arun("which is warmer?", thread_id=t)
    assert not calls(r, "search_products") and not r.recommendations
    assert "Snowdrift" in r.reply  # APP-00039, rated to -20°F against 5°F


async def test_a_gift_by_interest_then_something_else(assistant, demo_catalog) -> None:
    """ "Who likes camping" names an interest, not a product kind: camping gear around the
    budget. "He already has a headlamp, something else?" rules headlamps out; the demo
    catalog's other camping gear around $60 was shown already, so the answer says so and
    offers the nearest camping gear, labelled over budget, not a "Campfire" hoodie or a
    campfire-scented candle (catalog/topic.py)."""
    camping = {"Tents", "Sleeping Bags", "Headlamps"}
    t = "gift-camping"
    r1 = await assistant.arun("a gift for my dad who likes camping, ~$60", thread_id=t)
    assert r1.recommendations and "don't carry" not in r1.reply
    check_recs(demo_catalog, r1.recommendations, min_price=48, max_price=72, in_stock=True)
    assert {x.category for x in r1.recommendations} <= camping
    r2 = await assistant.arun("he already has a headlamp, something else?", thread_id=t)
    shown = {x.product_id for x in r1.recommendations}
    assert not r2.recommendations and "couldn't find" in r2.reply
    assert r2.alternatives and {x.category for x in r2.alternatives} <= camping - {"Headlamps"}
    for alt in r2.alternatives:
        assert alt.product_id not in shown and alt.price > 72
        assert [v.code for v in alt.violations] == ["over_budget"]


async def test_ruling_out_the_kind_shown_looks_for_the_rest(assistant, demo_catalog) -> None:
    """ "He already has a sleeping bag, what else for camping?" after sleeping bags rules out
    the phrase (not every "sleeping" title), drops the category the cards shared, and searches
    what is left of the need instead of offering excluded sleeping bags as alternatives."""
    t = "rule-out-kind"
    r1 = await assistant.arun("a sleeping bag for my son", thread_id=t)
    assert r1.recommendations and all(x.category == "Sleeping Bags" for x in r1.recommendations)
    r2 = await assistant.arun("he already has a sleeping bag, what else for camping?", thread_id=t)
    assert r2.recommendations, r2.reply
    assert all(x.category != "Sleeping Bags" for x in r2.recommendations)
    assert not r2.alternatives and "couldn't find" not in r2.reply
    search = calls(r2, "search_products")[0]
    assert search.get("category") != "Sleeping Bags" and "sleeping" not in search["query"]
    r3 = await assistant.arun("a present for my wife who loves yoga, around $40", thread_id="y")
    assert r3.recommendations
    r4 = await assistant.arun("she already has a yoga mat, anything else?", thread_id="y")
    assert r4.recommendations and all(x.category != "Yoga Mats" for x in r4.recommendations)
    check_recs(demo_catalog, r4.recommendations, min_price=32, max_price=48, in_stock=True)


async def test_when_every_hit_is_ruled_out_the_search_looks_further(assistant) -> None:
    """The first page of "camping" hits is all tents, which the shopper ruled out: the search
    leaves what the shopper ruled out by word out of its page (tools/search_products.py)
    instead of the engine saying the store does not carry camping, so one search does."""
    r = await assistant.arun(
        "my brother already owns a tent, what else could I get him for camping?", thread_id="t"
    )
    assert r.recommendations and "don't carry" not in r.reply, r.reply
    assert all(x.category != "Tents" for x in r.recommendations)
    assert [c["limit"] for c in calls(r, "search_products")] == [12]


async def test_superlative_and_need_questions_over_the_cards(assistant) -> None:
    """ "Longest battery life?" compares the cards on screen by their attribute; "best for
    allergies?" names the one whose own details say so, not the best rated."""
    r1 = await assistant.arun("headlamps", thread_id="sup")
    hours = {x.product_id: x for x in r1.recommendations}
    assert len(hours) >= 2
    r2 = await assistant.arun("longest battery life?", thread_id="sup")
    assert "battery" in r2.reply and "#" in r2.reply and not r2.recommendations
    await assistant.arun("duvet", thread_id="allergy")
    r3 = await assistant.arun("best for allergies?", thread_id="allergy")
    assert "Down Alternative" in r3.reply or "down alternative" in r3.reply


async def test_the_cheapest_one_is_one_of_the_cards_on_screen(assistant) -> None:
    r1 = await assistant.arun("27 inch monitors", thread_id="cheapest-shown")
    cheapest = min(r1.recommendations, key=lambda x: x.price)
    r2 = await assistant.arun("what's the cheapest one?", thread_id="cheapest-shown")
    assert cheapest.title in r2.reply and not r2.recommendations


@pytest.mark.parametrize(("pid", "verdict"), [("OUT-00040", "Yes"), ("OUT-00011", "No")])
async def test_is_it_waterproof_reads_the_ip_rating(assistant, pid: str, verdict: str) -> None:
    """IPX7 and up survive immersion (attributes.yaml `yes_from`); IPX4 only resists splashes."""
    t = f"ipx-{pid}"
    await assistant.arun(f"Tell me about {pid}", thread_id=t)
    r = await assistant.arun("is it waterproof?", thread_id=t)
    assert r.reply.startswith(f"{verdict} —") and "IPX" in r.reply
