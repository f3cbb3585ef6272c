"""Follow-up, answer, reply, policy and alternatives graders on hand-made transcripts."""

from __future__ import annotations

import pytest

from evals import dialogue_graders as dg
from evals import graders as g
from evals import reply_graders as rg
from evals.expect import AttrBound
from evals.facts import bound_failure
from evals.scenario import Scenario, TranscriptTurn
from tests.evals.helpers import alt, rec, tiny_catalog, transcript, turn

SCENARIO = Scenario(id="t", turns=[{"user": "hi"}])
BOOTS = [rec("B1", 120.0, "B1-9"), rec("B2", 99.5, "B2-10"), rec("B3", 89.0, "B3-10")]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return tiny_catalog(tmp_path_factory.mktemp("tiny"))


def two_turns(url: str, reply: str, expect: dict, first: list | None = None):
    return transcript(url, turn("boots", recs=first or BOOTS), turn("q", reply, expect=expect))


def test_about_shown_card_by_position(url: str) -> None:
    ok = two_turns(url, "The Summit Hiking Boot has a grippy sole.", {"about_shown": 2})
    assert dg.grade_references(SCENARIO, ok).passed
    wrong = two_turns(url, "The Ridge Hiking Boot has a grippy sole.", {"about_shown": 2})
    grade = dg.grade_references(SCENARIO, wrong)
    assert (
        grade.asserted and not grade.passed and "card #2 (Summit Hiking Boot)" in grade.explanation
    )
    both = two_turns(url, "Ridge Hiking Boot vs Summit Hiking Boot", {"about_shown": [1, 2]})
    assert dg.grade_references(SCENARIO, both).passed
    too_far = two_turns(url, "?", {"about_shown": 4})
    assert "3 shown before" in dg.grade_references(SCENARIO, too_far).explanation


def test_about_shown_counts_a_comparison_and_a_card(url: str) -> None:
    t = transcript(
        url,
        turn("boots", recs=BOOTS),
        turn("compare", "", expect={"about_shown": [1, 2]}, comparison_ids=["B1", "B2"]),
    )
    assert dg.grade_references(SCENARIO, t).passed


def test_not_brand_of_shown(url: str) -> None:
    first = [rec("B2", 99.5)]
    bad = transcript(
        url,
        turn("a", recs=first),
        turn("b", recs=[rec("B3", 89.0)], expect={"not_brand_of_shown": 1}),
    )
    grade = dg.grade_references(SCENARIO, bad)
    assert not grade.passed and "Peakline" in grade.explanation
    good = transcript(
        url,
        turn("a", recs=first),
        turn("b", recs=[rec("B1", 120.0)], expect={"not_brand_of_shown": 1}),
    )
    assert dg.grade_references(SCENARIO, good).passed


def test_cheaper_than_the_cheapest_shown_variant(url: str) -> None:
    first = [rec("B1", 120.0, "B1-9"), rec("B1", 175.0, "B1-10B")]
    good = transcript(
        url,
        turn("a", recs=first),
        turn("b", recs=[rec("B2", 99.5)], expect={"cheaper_than_shown": True}),
    )
    assert dg.grade_cheaper(SCENARIO, good).passed
    same = transcript(
        url,
        turn("a", recs=first),
        turn("b", recs=[rec("B1", 120.0, "B1-9")], expect={"cheaper_than_shown": True}),
    )
    grade = dg.grade_cheaper(SCENARIO, same)
    assert not grade.passed and "120.00 is not cheaper than 120.00" in grade.explanation
    nothing = transcript(
        url, turn("b", recs=[rec("B2", 99.5)], expect={"cheaper_than_shown": True})
    )
    assert "nothing was shown" in dg.grade_cheaper(SCENARIO, nothing).explanation


def test_cheaper_uses_a_product_named_in_the_reply_when_no_card_was_shown(url: str) -> None:
    t = transcript(
        url,
        turn("tell me about B1", "The Ridge Hiking Boot is a sturdy leather boot."),
        turn("cheaper?", recs=[rec("B2", 99.5)], expect={"cheaper_than_shown": True}),
    )
    assert dg.grade_cheaper(SCENARIO, t).passed


def test_not_products_in_novelty(url: str) -> None:
    t = transcript(
        url, turn("more like B1", recs=[rec("B1", 120.0)], expect={"not_products": ["B1"]})
    )
    grade = g.grade_novelty(SCENARIO, t)
    assert not grade.passed and "B1" in grade.explanation


def test_excludes_previous_counts_alternatives_as_shown(url: str) -> None:
    first = turn("a", recs=[rec("B2", 99.5)])
    first.alternatives = [alt("B1", 175.0, "over_budget")]
    t = transcript(
        url, first, turn("b", recs=[rec("B1", 120.0)], expect={"excludes_previous": True})
    )
    assert not g.grade_novelty(SCENARIO, t).passed


@pytest.mark.parametrize(
    ("reply", "passed", "why"),
    [
        ("Yes - the Ridge Hiking Boot is waterproof.", True, ""),
        ("No, it isn't waterproof.", False, "said no"),
        ("It has a grippy rubber sole.", False, "neither yes nor no"),
        ("Yes!", False, "no evidence"),
    ],
)
def test_yes_no_from_an_attribute_of_a_shown_card(
    url: str, reply: str, passed: bool, why: str
) -> None:
    spec = {"answers_yes_no": {"shown": 1, "attribute": "waterproof"}}
    grade = dg.grade_answers(SCENARIO, two_turns(url, reply, spec))
    assert grade.asserted and grade.passed is passed and why in grade.explanation


def test_yes_no_from_variant_availability(url: str) -> None:
    # B1 in size 10: Brown is sold out, Black is in stock, so "yes"; Black in 9 does not exist.
    yes = {"answers_yes_no": {"product": "B1", "option": {"size": "10"}}}
    assert dg.grade_answers(SCENARIO, two_turns(url, "Yes, size 10 is in stock.", yes)).passed
    no = {"answers_yes_no": {"product": "B1", "option": {"size": "9", "color": "Black"}}}
    assert dg.grade_answers(SCENARIO, two_turns(url, "No, not in Black size 9.", no)).passed
    assert not dg.grade_answers(SCENARIO, two_turns(url, "Yes, black 9 is here.", no)).passed


def test_states_price_and_every_in_stock_option(url: str) -> None:
    price = {"states_attribute": {"shown": 2, "attribute": "price"}}
    assert dg.grade_answers(SCENARIO, two_turns(url, "It is $99.50.", price)).passed
    assert not dg.grade_answers(SCENARIO, two_turns(url, "It is $120.", price)).passed
    colours = {"states_attribute": {"shown": 1, "attribute": "color"}}
    assert dg.grade_answers(SCENARIO, two_turns(url, "Brown and Black.", colours)).passed
    grade = dg.grade_answers(SCENARIO, two_turns(url, "Brown only.", colours))
    assert not grade.passed and "Black" in grade.explanation


@pytest.mark.parametrize(
    ("best", "reply", "passed"),
    [
        ({"attribute": "weight_g", "prefer": "min"}, "The Trail Runner Shoe, at 300 g.", True),
        ({"attribute": "weight_g", "prefer": "min"}, "The Trail Runner Shoe is lightest.", False),
        ({"attribute": "weight_g", "prefer": "min"}, "Ridge Hiking Boot (500 g).", False),
        ({"attribute": "waterproof", "equals": True}, "The Ridge Hiking Boot: waterproof.", True),
        ({"attribute": "price", "prefer": "min"}, "The Trail Runner Shoe at $89.", True),
    ],
)
def test_best_of_shown(url: str, best: dict, reply: str, passed: bool) -> None:
    grade = dg.grade_answers(SCENARIO, two_turns(url, reply, {"best_of_shown": best}))
    assert grade.asserted and grade.passed is passed, grade.explanation


def test_best_of_shown_needs_two_cards(url: str) -> None:
    t = two_turns(
        url, "x", {"best_of_shown": {"attribute": "weight_g", "prefer": "min"}}, BOOTS[:1]
    )
    assert "fewer than two" in dg.grade_answers(SCENARIO, t).explanation


def test_canned_refusal_and_length(url: str) -> None:
    canned = transcript(
        url, turn("hi", "Sorry, I didn't understand that.", expect={"no_canned_refusal": True})
    )
    assert not rg.grade_reply(SCENARIO, canned).passed
    same = transcript(
        url,
        turn("which is warmer?", "Here is what we have."),
        turn("return policy?", "Here is what we have.", expect={"no_canned_refusal": True}),
    )
    assert "same reply" in rg.grade_reply(SCENARIO, same).explanation
    fine = transcript(
        url,
        turn(
            "hi",
            "Hi! What are you shopping for?",
            expect={"no_canned_refusal": True, "max_words": 6},
        ),
    )
    assert rg.grade_reply(SCENARIO, fine).passed
    long = transcript(url, turn("hi", "one two three four five six seven", expect={"max_words": 6}))
    assert "7 words" in rg.grade_reply(SCENARIO, long).explanation


def test_offers_choices_and_suggests(url: str) -> None:
    ask = transcript(
        url, turn("shoes", "Hiking boots or trail shoes?", expect={"offers_choices": 2})
    )
    assert rg.grade_reply(SCENARIO, ask).passed
    statement = transcript(
        url, turn("shoes", "We have hiking boots and trail shoes.", expect={"offers_choices": 2})
    )
    assert not rg.grade_reply(SCENARIO, statement).passed
    named = transcript(
        url, turn("wok", "No woks, but we have frying pans.", expect={"suggests": ["frying pans"]})
    )
    assert rg.grade_reply(SCENARIO, named).passed
    carded = transcript(
        url, turn("wok", "No woks.", recs=[rec("P1", 39.99)], expect={"suggests": ["frying pans"]})
    )
    assert rg.grade_reply(SCENARIO, carded).passed
    nothing = transcript(url, turn("wok", "No woks.", expect={"suggests": ["frying pans"]}))
    assert not rg.grade_reply(SCENARIO, nothing).passed


def test_policy_facts(url: str) -> None:
    spec = {"policy": [["30 days", "30-day"], "$5.95"]}
    ok = transcript(
        url, turn("returns?", "You have a 30-day window; shipping is $5.95.", expect=spec)
    )
    assert rg.grade_policy(SCENARIO, ok).passed
    bad = transcript(url, turn("returns?", "Returns are easy!", expect=spec))
    grade = rg.grade_policy(SCENARIO, bad)
    assert grade.asserted and not grade.passed and "'30 days'" in grade.explanation


def test_alternatives_are_labelled_and_honest(url: str) -> None:
    expect = {
        "recommends": "none",
        "constraints": {"category": "hiking boots", "max_price": 100},
        "alternatives": {"min": 1, "max": 2},
        "alternative_codes": ["over_budget"],
    }
    honest = turn("boots under 100", "None under $100.", expect=expect)
    honest.alternatives = [alt("B1", 120.0, "over_budget", variant_id="B1-9")]
    assert rg.grade_alternatives(SCENARIO, transcript(url, honest)).passed
    unlabelled = turn("boots under 100", expect=expect)
    unlabelled.alternatives = [alt("B1", 120.0, variant_id="B1-9")]
    grade = rg.grade_alternatives(SCENARIO, transcript(url, unlabelled))
    assert not grade.passed and "carries no violation" in grade.explanation
    demoted = turn("boots under 100", expect=expect)
    demoted.alternatives = [alt("B2", 99.5, "over_budget", variant_id="B2-10")]
    assert (
        "labelled ['over_budget'] but fits"
        in rg.grade_alternatives(SCENARIO, transcript(url, demoted)).explanation
    )
    none = turn("boots under 100", expect=expect)
    assert "0 alternatives" in rg.grade_alternatives(SCENARIO, transcript(url, none)).explanation


def test_shows_variant(url: str) -> None:
    t = transcript(url, turn("boots", recs=[rec("B2", 99.5)], expect={"shows_variant": True}))
    assert not rg.grade_alternatives(SCENARIO, t).passed
    t.turns[0].recommendations = [rec("B2", 99.5, "B2-10")]
    assert rg.grade_alternatives(SCENARIO, t).passed


def test_new_constraint_kinds_in_grade_constraints(url: str) -> None:
    cases = [
        ({"attributes": {"weight_g": {"max": 450}}}, "B1", "B2"),
        ({"exclude_brands": ["alpina"]}, "B1", "B2"),
        ({"exclude_terms": ["ridge"]}, "B1", "B2"),
        ({"categories": ["trail shoes", "frying pans"]}, "B1", "B3"),
        ({"attributes": {"waterproof": {"equals": True}}}, "B2", "B1"),
    ]
    for c, bad, good in cases:
        prices = {"B1": 120.0, "B2": 99.5, "B3": 89.0}
        t = transcript(url, turn("x", recs=[rec(bad, prices[bad])], expect={"constraints": c}))
        assert not g.grade_constraints(SCENARIO, t).passed, c
        t = transcript(url, turn("x", recs=[rec(good, prices[good])], expect={"constraints": c}))
        assert g.grade_constraints(SCENARIO, t).passed, c


def test_attribute_bounds() -> None:
    assert bound_failure("40", AttrBound(approx=42)) is None  # 42 ± 4.2
    assert bound_failure(35, AttrBound(approx=40, within=4)) == "35 < 36"
    assert bound_failure("IPX7", AttrBound(equals="ipx7")) is None
    assert bound_failure(False, AttrBound(equals=True)) is not None
    assert bound_failure("1000ml", AttrBound(min=750)) is None
    assert bound_failure(None, AttrBound(max=3)) == "missing"
    assert bound_failure("Women's", AttrBound(equals="Women's")) is None
    assert bound_failure("Men's", AttrBound(equals="Women's")) is not None


def test_transcript_copies_alternatives() -> None:
    result = {
        "reply": "none fit",
        "recommendations": [],
        "alternatives": [
            {
                "product_id": "B1",
                "title": "Ridge Hiking Boot",
                "price": 175.0,
                "currency": "USD",
                "in_stock": True,
                "variant_id": "B1-10B",
                "violations": [{"code": "over_budget", "detail": "over budget by $25.00"}],
            }
        ],
    }
    record = TranscriptTurn.from_result("boots", result)
    assert record.alternatives[0].violations[0].code == "over_budget"
    assert record.shown == [("B1", "B1-10B")]


def test_a_recited_category_menu_is_canned_and_hides_suggestions(url: str) -> None:
    menu = "Sorry, we don't carry woks. We carry Hiking Boots, Trail Shoes and Frying Pans."
    # Three categories is not yet a menu; the tiny catalog has only three.
    t = transcript(url, turn("wok", menu, expect={"no_canned_refusal": True}))
    assert rg.grade_reply(SCENARIO, t).passed
    four = rg.menu(
        turn("x", "boots, trail shoes, frying pans, skillets, hiking boots"),
        ["Hiking Boots", "Trail Shoes", "Frying Pans", "Skillets"],
    )
    assert four == ["Hiking Boots", "Trail Shoes", "Frying Pans", "Skillets"]
    related = turn(
        "x",
        "boots, trail shoes, pans, skillets",
        expect={"suggests": ["hiking boots", "trail shoes", "skillets"]},
    )
    assert rg.menu(related, ["Hiking Boots", "Trail Shoes", "Frying Pans", "Skillets"]) == []


def test_picks_introduced_as_not_fitting(url: str) -> None:
    expect = {"recommends": {"min": 1, "max": 3}}
    bad = transcript(
        url,
        turn(
            "boots",
            "Sorry, I found no boots. The nearest alternatives:",
            recs=[rec("B2", 99.5)],
            expect=expect,
        ),
    )
    grade = rg.grade_reply(SCENARIO, bad)
    assert grade.asserted and not grade.passed and "not fitting" in grade.explanation
    good = transcript(
        url, turn("boots", "Here are 1 pick for boots:", recs=[rec("B2", 99.5)], expect=expect)
    )
    assert rg.grade_reply(SCENARIO, good).passed
