"""Unit tests of each tool on the demo catalog: content + artifact, readable errors, limits."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import ToolMessage

from catalog.constraints import Constraints, resolve, variant_fits
from catalog.models import Product
from tools.browse_by_price import browse
from tools.check_inventory import inventory
from tools.compare_products import compare
from tools.fit import Candidate, check
from tools.get_product import product_details
from tools.rendering import DATA_CLOSE, DATA_OPEN
from tools.request import ShopperRequest
from tools.search_products import run_search
from tools.toolkit import TERMINAL_TOOLS, make_tools


def invoke(tool: Any, args: dict[str, Any]) -> ToolMessage:
    """Call a tool the way the ToolNode does (content + artifact)."""
    msg = tool.invoke({"type": "tool_call", "id": "c1", "name": tool.name, "args": args})
    assert isinstance(msg, ToolMessage)
    return msg


@pytest.fixture(scope="module")
def tools(demo_catalog) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {t.name: t for t in make_tools(demo_catalog)}


def test_toolkit_names_and_terminals(tools) -> None:
    assert list(tools) == [
        "search_products",
        "browse_by_price",
        "get_product",
        "check_inventory",
        "compare_products",
        "store_policy",
        "recommend",
        "ask_clarifying_question",
        "reply",
    ]
    assert {"recommend", "ask_clarifying_question", "reply"} == TERMINAL_TOOLS


# -- search_products ---------------------------------------------------------------------


def test_search_content_and_artifact(demo_catalog) -> None:
    c = Constraints(category="Hiking Boots", max_price=150, options={"size": "10"}, in_stock=True)
    text, art = run_search(demo_catalog, "waterproof hiking boots", c, 6)
    assert text.startswith("6 products match") and DATA_OPEN in text and DATA_CLOSE in text
    assert art["tool"] == "search_products" and len(art["ids"]) == 6
    assert [i["id"] for i in art["items"]] == art["ids"]
    rc = resolve(c, demo_catalog.searcher.vocabulary)
    with demo_catalog.store.session() as s:
        for item in art["items"]:
            assert f"[{item['id']}]" in text
            product = s.get(Product, item["id"])
            variant = next(v for v in product.variants if v.id == item["variant_id"])
            assert variant_fits(variant, rc) and product.category == "Hiking Boots"


def test_search_unknown_category_lists_valid(demo_catalog) -> None:
    text, art = run_search(demo_catalog, "x", Constraints(category="Spaceships"), 5)
    assert "no category 'Spaceships'" in text and "Hiking Boots" in text
    assert art["unknown"]["field"] == "category" and "Tents" in art["unknown"]["valid"]
    assert art["ids"] == []


def test_search_tool_excludes_shown(tools) -> None:
    tool = tools["search_products"]
    args = {"query": "tents", "category": "Tents", "limit": 3, "state": {}}
    first = invoke(tool, args).artifact["ids"]
    shown = [{"turn": 1, "position": i + 1, "product_id": pid} for i, pid in enumerate(first)]
    args["state"] = {"request": {"shown": shown, "turn": 1}}
    again = invoke(tool, args).artifact["ids"]
    assert again and not set(first) & set(again)


def test_search_not_carried_offers_alternatives(demo_catalog) -> None:
    text, art = run_search(demo_catalog, "car tires", Constraints(), 5)
    assert "does not carry" in text
    assert art["no_match"] and art["alternatives"] == art["ids"]


# -- browse_by_price ---------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["price_asc", "price_desc", "rating"])
def test_browse_sorting(demo_catalog, sort) -> None:
    text, art = browse(demo_catalog, "Laptops", 500, 2000, sort, True, 10)
    items = art["items"]
    assert len(items) == 10 and f"sorted by {sort}" in text
    prices = [i["price"] for i in items]
    assert all(500 <= p <= 2000 for p in prices) and all(i["in_stock"] for i in items)
    if sort == "price_asc":
        assert prices == sorted(prices)
    elif sort == "price_desc":
        assert prices == sorted(prices, reverse=True)
    else:
        ratings = [i["rating"] or 0 for i in items]
        assert ratings == sorted(ratings, reverse=True)


def test_browse_cheapest_is_the_catalog_minimum(demo_catalog) -> None:
    _, art = browse(demo_catalog, "Candles", None, None, "price_asc", True, 1)
    with demo_catalog.store.session() as s:
        lowest = min(
            float(v.price)
            for p in s.query(Product).filter(Product.category == "Candles")
            for v in p.variants
            if v.in_stock
        )
    assert art["items"][0]["price"] == lowest


def test_browse_limit_clamped_and_unknown_category(demo_catalog) -> None:
    _, art = browse(demo_catalog, None, None, None, "price_asc", True, 500)
    assert len(art["items"]) == 20
    text, art = browse(demo_catalog, "Spaceships", None, None, "price_asc", True, 5)
    assert text.startswith("The store has no category 'Spaceships'") and "Laptops" in text
    assert art["unknown"]["field"] == "category" and art["ids"] == []


def test_browse_options_pick_the_fitting_variant(tools) -> None:
    """A browse in the shopper's size lists that size's variant, never another size's."""
    msg = invoke(
        tools["browse_by_price"],
        {"category": "Hiking Boots", "max_price": 150, "options": {"size": "10"}, "limit": 20},
    )
    items = msg.artifact["items"]
    assert items and all(i["variant"].get("size") == "10" for i in items)
    assert all("size 10" in line for line in msg.content.splitlines() if line.startswith("["))
    unfiltered = invoke(tools["browse_by_price"], {"category": "Hiking Boots", "limit": 20})
    assert any(i["variant"].get("size") != "10" for i in unfiltered.artifact["items"])


def test_browse_arguments_take_the_stated_options() -> None:
    """The model's browse without the shopper's size gets it from the request."""
    from agent.arguments import correct

    req = ShopperRequest(options={"size": "10"}, max_price=150)
    args, notes = correct("browse_by_price", {"category": "Hiking Boots", "min_price": 0}, req)
    assert args["options"] == {"size": "10"} and args["max_price"] == 150
    assert "min_price" not in args and any("option size" in n for n in notes)


# -- get_product -------------------------------------------------------------------------


def test_get_product_details(tools) -> None:
    msg = invoke(tools["get_product"], {"product_id": "OUT-00096"})
    info = msg.artifact["items"][0]
    assert msg.artifact["ids"] == ["OUT-00096"] and info["category"] == "Hiking Boots"
    assert info["variants"] and "attributes" in info
    assert str(msg.content).startswith("Details of product OUT-00096")
    assert all(f"variant {v['variant_id']}" in msg.content for v in info["variants"][:24])


def test_get_product_unknown_id_is_text(demo_catalog) -> None:
    text, art = product_details(demo_catalog, "NOPE-1")
    assert text == "No product with id 'NOPE-1'." and art["ids"] == []


def test_injected_description_is_delimited(demo_catalog) -> None:
    text, _ = product_details(demo_catalog, "ELE-00370")
    head, body = text.split(DATA_OPEN, 1)
    assert "Ignore previous instructions" not in head and "Ignore previous instructions" in body
    assert body.rstrip().endswith(DATA_CLOSE)


# -- check_inventory ---------------------------------------------------------------------


def test_check_inventory_options(tools, demo_catalog) -> None:
    msg = invoke(
        tools["check_inventory"],
        {"product_ids": ["OUT-00096", "NOPE-1"], "options": {"size": "10"}},
    )
    assert "[NOPE-1] unknown product id" in msg.content
    item = msg.artifact["items"][0]
    assert msg.artifact["ids"] == ["OUT-00096"]
    assert item["requested"] == {"size": "10"} and item["variant"]["size"] == "10"
    assert "10" in item["in_stock_options"]["size"]
    with demo_catalog.store.session() as s:
        v = next(v for v in s.get(Product, "OUT-00096").variants if v.id == item["variant_id"])
        assert v.in_stock == item["available"] and float(v.price) == item["price"]


def test_check_inventory_not_offered_and_unknown_value(demo_catalog) -> None:
    text, art = inventory(demo_catalog, ["OUT-00096"], {"size": "XXL"})
    assert "not offered in size XXL" in text and art["items"][0]["available"] is False
    text, art = inventory(demo_catalog, ["OUT-00096"], {"size": "99"})
    assert text.startswith("The store has no size '99'") and "10.5" in text
    text, _ = inventory(demo_catalog, ["OUT-00096"], {"flavour": "mint"})
    assert "no option 'flavour'" in text and "color" in text


# -- compare_products --------------------------------------------------------------------


def test_compare_two_to_four(tools) -> None:
    ids = ["OUT-00096", "OUT-00184", "OUT-00535", "OUT-00224", "OUT-00309"]
    msg = invoke(tools["compare_products"], {"product_ids": ids, "state": {}})
    comp = msg.artifact["comparison"]
    assert comp["product_ids"] == ids[:4] and len(comp["columns"]) == 5
    assert comp["rows"][0][0] == "price" and all(len(r) == 5 for r in comp["rows"])
    assert "waterproof" in [r[0] for r in comp["rows"]]


@pytest.mark.parametrize("ids", [["OUT-00096"], ["OUT-00096", "OUT-00096"], []])
def test_compare_needs_two_distinct(demo_catalog, ids) -> None:
    text, art = compare(demo_catalog, ids)
    assert text == "compare_products needs 2 to 4 distinct product ids." and art["ids"] == []


def test_compare_unknown_ids(demo_catalog) -> None:
    text, art = compare(demo_catalog, ["OUT-00096", "NOPE-1"])
    assert text == "Unknown product ids: NOPE-1." and "comparison" not in art


# -- terminal tools ----------------------------------------------------------------------


def test_recommend_rendered_from_sql_through_the_fit_check(demo_catalog) -> None:
    req = ShopperRequest(max_price=150, options={"size": "10"})
    out = check(demo_catalog, [Candidate("OUT-00096", reason="r"), Candidate("NOPE-1")], req)
    assert out.missing == ["NOPE-1"] and len(out.fits) == 1
    rec = out.fits[0]
    assert rec.variant["size"] == "10" and rec.price <= 150 and rec.reason == "r"


def test_terminal_tools_return_text(tools) -> None:
    assert tools["reply"].invoke({"message": "hi"}) == "reply sent"
    assert tools["ask_clarifying_question"].invoke({"question": "who?"}) == "question sent"
    assert tools["recommend"].invoke({"items": [{"product_id": "X"}]}) == "recommendations sent"
