"""The one fit check: every constraint kind sends a non-fitting item to the alternatives with
the right machine-readable reason, at variant level, on the demo catalog."""

from __future__ import annotations

import pytest

from tools.fit import Candidate, check
from tools.request import AttributeWant, Relation, ShopperRequest, ShownItem

BOOT = "OUT-00022"  # Cairnworks Men's Basalt Mid Hiking Boot, $109.99, size 8.5 out of stock
SOLD_OUT_8 = "OUT-00044"  # a hiking boot whose size 8 is sold out in every colour
DUVET = "HOM-00008"  # Twin $234.99, Full/Queen $289.99, King $339.99
TENT_1P = "OUT-00003"  # 1-person, $274.99
TENT_4P = "OUT-00045"  # 4-person, $414.99


def codes(out, pid: str) -> list[str]:  # type: ignore[no-untyped-def]
    alt = next(a for a in out.alternatives if a.product_id == pid)
    return [v.code for v in alt.violations]


@pytest.mark.parametrize(
    ("request_", "pid", "code", "detail"),
    [
        (ShopperRequest(max_price=100), BOOT, "over_budget", "over your budget"),
        (ShopperRequest(min_price=150), BOOT, "under_budget", "below your minimum"),
        (ShopperRequest(options={"size": "13"}), BOOT, "option_unavailable", "size 13"),
        (ShopperRequest(options={"size": "8"}), SOLD_OUT_8, "out_of_stock", "size 8"),
        (ShopperRequest(exclude_brands=["Cairnworks"]), BOOT, "brand_excluded", "Cairnworks"),
        (ShopperRequest(brands=["Northfold"]), BOOT, "brand_not_requested", "Northfold"),
        (ShopperRequest(exclude_terms=["boot"]), BOOT, "excluded_term", "boot"),
        (ShopperRequest(categories=["Tents"]), BOOT, "category_mismatch", "Tents"),
        (ShopperRequest(exclude_ids=[BOOT]), BOOT, "rejected", "ruled it out"),
        (
            ShopperRequest(
                attributes=[
                    AttributeWant(key="capacity_people", op="ge", value=4, label="4-person")
                ]
            ),
            TENT_1P,
            "attribute_mismatch",
            "4-person",
        ),
    ],
)
def test_each_constraint_kind_moves_the_item_with_its_reason(
    demo_catalog, request_: ShopperRequest, pid: str, code: str, detail: str
) -> None:
    out = check(demo_catalog, [Candidate(pid)], request_)
    assert out.fits == []
    alt = out.alternatives[0]
    assert code in [v.code for v in alt.violations], alt.violations
    assert any(detail in v.detail for v in alt.violations), alt.violations


def test_not_cheaper_than_what_was_shown(demo_catalog) -> None:
    shown = ShownItem(turn=1, position=1, product_id=TENT_1P, price=274.99)
    req = ShopperRequest(
        shown=[shown],
        turn=2,
        relation=Relation(kind="cheaper", product_ids=[TENT_1P], price=274.99, label="#1 shown"),
    )
    out = check(demo_catalog, [Candidate(TENT_1P), Candidate(TENT_4P)], req)
    assert out.fits == []
    assert "already_shown" in codes(out, TENT_1P)
    assert "not_cheaper" in codes(out, TENT_4P)
    detail = next(v.detail for v in out.alternatives[1].violations if v.code == "not_cheaper")
    assert detail == "not cheaper than #1 shown ($274.99)"


def test_the_fitting_variant_is_chosen_over_the_proposed_one(demo_catalog) -> None:
    """The model proposes the King duvet; the shopper said Full/Queen: the card shows that."""
    req = ShopperRequest(options={"size": "Full/Queen"})
    out = check(demo_catalog, [Candidate(DUVET, variant_id="HOM-00008-KG-WHT")], req)
    assert [r.variant["size"] for r in out.fits] == ["Full/Queen"]
    assert out.fits[0].price == 289.99


def test_a_fitting_proposed_variant_is_kept(demo_catalog) -> None:
    out = check(demo_catalog, [Candidate(DUVET)], ShopperRequest(max_price=300))
    assert out.fits[0].variant["size"] in ("Twin", "Full/Queen")
    twin = check(demo_catalog, [Candidate(DUVET)], ShopperRequest(max_price=240)).fits[0]
    assert twin.variant["size"] == "Twin" and twin.price == 234.99


def test_fits_keep_the_proposed_order_and_the_limit(demo_catalog) -> None:
    ids = ["OUT-00045", "OUT-00133", "OUT-00181", "OUT-00117", "OUT-00093"]
    out = check(demo_catalog, [Candidate(i) for i in ids], ShopperRequest(), limit=3)
    assert [r.product_id for r in out.fits] == ids[:3]


def test_duplicates_and_unknown_ids(demo_catalog) -> None:
    out = check(
        demo_catalog, [Candidate(BOOT), Candidate(BOOT), Candidate("NOPE")], ShopperRequest()
    )
    assert [r.product_id for r in out.fits] == [BOOT] and out.missing == ["NOPE"]


def test_several_reasons_are_all_given(demo_catalog) -> None:
    req = ShopperRequest(max_price=100, exclude_brands=["Cairnworks"], options={"size": "13"})
    out = check(demo_catalog, [Candidate(BOOT)], req)
    assert {"over_budget", "brand_excluded", "option_unavailable"} <= set(codes(out, BOOT))


def test_a_kind_the_shopper_never_named_is_no_requirement(demo_catalog) -> None:
    """Cards that happened to share a category guide later turns; a new need is not held to
    it, but "cheaper?" about those cards is (the relation is to them)."""
    req = ShopperRequest(need="morning coffee", kind="Coffee Makers")
    out = check(demo_catalog, [Candidate(BOOT)], req)
    assert [r.product_id for r in out.fits] == [BOOT]
    cheaper = req.model_copy(
        update={"relation": Relation(kind="cheaper", product_ids=["KIT-00243"], price=200)}
    )
    assert "category_mismatch" in codes(check(demo_catalog, [Candidate(BOOT)], cheaper), BOOT)
