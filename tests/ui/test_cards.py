"""Card props, stock badges, price formatting and follow-up messages."""

from __future__ import annotations

from tools.contracts import Alternative, Comparison, Recommendation, Violation
from ui.cards import (
    card_props,
    comparison_props,
    follow_ups,
    format_price,
    misses_text,
    on_screen,
    stock_badge,
)


def rec(pid: str = "boot-1", **kw) -> Recommendation:  # type: ignore[no-untyped-def]
    base = dict(
        product_id=pid,
        title="Ridgeline Hiking Boot",
        price=89.0,
        currency="USD",
        in_stock=True,
        stock=3,
        variant_id=f"{pid}-10",
        variant={"size": "10", "color": "Brown"},
        reason="Waterproof and under your budget.",
        brand="Ridgeline",
        rating=4.6,
        image_url="https://img.example.com/x.jpg",
        category="Hiking Boots",
    )
    base.update(kw)
    return Recommendation(**base)


def test_stock_badge_texts() -> None:
    assert stock_badge(True, None) == ("In stock", "in")
    assert stock_badge(True, 40) == ("In stock", "in")
    assert stock_badge(True, 3) == ("Only 3 left", "low")
    assert stock_badge(False, 0) == ("Out of stock", "out")
    assert stock_badge(True, 0) == ("Out of stock", "out")


def test_price_formatting_never_converts() -> None:
    assert format_price(1299.5, "USD") == "$1,299.50"
    assert format_price(1299.5, "USD", "code") == "1,299.50 USD"
    assert format_price(1299.5, "USD", "plain") == "1,299.50"
    assert format_price(20, "EUR") == "€20.00"
    assert format_price(2000, "JPY") == "¥2,000"
    assert format_price(5, "CHF") == "5.00 CHF"


def test_card_props_carry_sql_facts_and_actions() -> None:
    a, b = rec("a"), rec("b", title="Summit Boot", stock=None)
    props = card_props(a, [a, b])
    assert props["price"] == 89.0 and props["price_text"] == "$89.00"
    assert props["stock_text"] == "Only 3 left" and props["stock_level"] == "low"
    assert props["variant_text"] == "Size 10 · Brown"
    assert props["rating_text"] == "★ 4.6"
    assert props["brand"] == "Ridgeline" and props["reason"].startswith("Waterproof")
    assert props["initials"] == "RH"
    assert props["compact"] is False
    compare, more, size = (props["actions"][k] for k in ("compare", "more", "size"))
    assert compare == {
        "kind": "compare",
        "product_id": "a",
        "others": ["b"],
        "text": "Compare Ridgeline Hiking Boot (a) with Summit Boot (b)",
    }
    assert more["kind"] == "more_like" and more["text"] == "More like Ridgeline Hiking Boot (a)"
    # "check my size" asks; it never claims the shopper's size from the card's variant
    assert size["kind"] == "size" and "10" not in size["text"]
    assert card_props(b, [a, b], compact=True)["stock_text"] == "In stock"


def test_follow_ups_without_peers_or_size() -> None:
    lamp = rec("lamp", title="Lamp", variant={"color": "Brass"})
    msgs = follow_ups(lamp, [lamp])
    assert msgs["compare"]["text"] == "Compare Lamp (lamp) with similar products"
    assert msgs["compare"]["others"] == []
    assert msgs["size"]["text"] == "What sizes does Lamp (lamp) come in?"


def test_cards_on_screen_are_the_turns_picks_then_its_alternatives_in_order() -> None:
    """Nothing dropped or reordered (an out-of-stock pick the shopper allowed stays), so the
    card numbers match the conversation's ("the second one")."""
    picks = [rec("a"), rec("b", in_stock=False, stock=0), rec("c")]
    alt = Alternative(
        **rec("d").model_dump(),
        violations=[Violation(code="over_budget", detail="over your budget")],
    )
    shown = on_screen(picks, [alt])
    assert [r.product_id for r in shown] == ["a", "b", "c", "d"]
    props = card_props(alt, picks, position=4)
    assert props["position"] == 4 and props["misses"] == "Doesn't fit: over your budget"
    assert card_props(picks[0], picks, position=1)["misses"] == ""
    assert misses_text(Alternative(**rec("e").model_dump())) == "Doesn't fit what you asked"


def test_comparison_props() -> None:
    comp = Comparison(
        product_ids=["a", "b"],
        columns=["", "Boot A", "Boot B"],
        rows=[["Price", "$89.00", "$149.00"], ["Waterproof", "yes", "no|maybe"]],
    )
    props = comparison_props(comp)
    assert props["columns"] == ["", "Boot A", "Boot B"] and len(props["rows"]) == 2
    assert props["rows"][1] == ["Waterproof", "yes", "no|maybe"]
