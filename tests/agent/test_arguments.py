"""agent/arguments.py: placeholders inside option maps, and what an inventory check asks."""

from __future__ import annotations

from agent.arguments import correct
from tools.request import ShopperRequest


def test_placeholder_option_values_are_absent() -> None:
    """A small model fills every option key it was shown with "null" or "any"."""
    args, notes = correct(
        "search_products",
        {"query": "headphones", "options": {"color": "null", "size": "any", "storage": "None"}},
        ShopperRequest(),
    )
    assert "options" not in args
    assert sum("dropped placeholder option" in n for n in notes) == 3


def test_a_real_option_survives_its_placeholder_neighbours() -> None:
    args, _ = correct(
        "search_products",
        {"query": "shirt", "options": {"color": "Black", "size": "null"}},
        ShopperRequest(),
    )
    assert args["options"] == {"color": "Black"}


def test_inventory_asks_about_stated_options_only() -> None:
    """An option the shopper never named ("in_stock": "true") is dropped; the stated size is
    asked about even when the model left it out."""
    req = ShopperRequest(options={"size": "10"})
    args, notes = correct(
        "check_inventory",
        {"product_ids": ["OUT-00096"], "options": {"in_stock": "true", "color": "Red"}},
        req,
    )
    assert args == {"product_ids": ["OUT-00096"], "options": {"size": "10"}}
    assert any("dropped option in_stock" in n for n in notes)
    assert any("option size None -> '10' (stated)" in n for n in notes)


def test_inventory_without_stated_options_lists_every_variant() -> None:
    args, notes = correct(
        "check_inventory", {"product_ids": ["A"], "options": {"in_stock": "true"}}, ShopperRequest()
    )
    assert args == {"product_ids": ["A"]} and notes
