"""The one reader: the money grammar, slots from the catalog's vocabulary, and the shopper's
request as it changes over a conversation (explicit changes only, nothing dropped silently)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agent.reading.lexicon import Lexicon
from agent.reading.reader import read
from agent.understand import record_shown, update_request
from catalog.query_text import parse_budget
from tools.contracts import Recommendation
from tools.request import ShopperRequest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("nothing over 12 bucks", None, 12),
        ("nothing over 12", None, 12),
        ("no more than $250", None, 250),
        ("no more than 40 bucks", None, 40),
        ("10 grand", None, 10_000),
        ("a laptop, 1.2k max", None, 1200),
        ("$30-$60", 30, 60),
        ("between 100 and 200", 100, 200),
        ("gift ideas 30 to 60 dollars", 30, 60),
        ("under fifty dollars", None, 50),
        ("below five hundred", None, 500),
        ("under a grand", None, 1000),
        ("one thousand two hundred dollars", None, 1200),
        ("I'd rather stay under 80", None, 80),
        ("my budget is 1500 dollars", None, 1500),
        ("$50 tops", None, 50),
        ("50 or less", None, 50),
        ("at least 50", 50, None),
        ("nothing under 50", 50, None),
        ("around 100", 80, 120),
        ("a gift for my dad, ~$60", 48, 72),
        ("under two hundred and fifty dollars", None, 250),
        ("a hundred and twenty bucks max", None, 120),
        ("two hundred and seventy five max", None, 275),
        ("between one hundred and two hundred dollars", 100, 200),
        ("between a hundred and a hundred fifty", 100, 150),
        ("one hundred and fifty to two hundred dollars", 150, 200),
        # a cue between two amounts is the second one's: "10" is the size
        ("need waterprof boots, size 10, max 150 bucks", None, 150),
        ("boots, size 10, max $150", None, 150),
    ],
)
def test_money_grammar(text: str, low: float | None, high: float | None) -> None:
    b = parse_budget(text)
    assert (b.min_price, b.max_price) == (low, high), text


@pytest.mark.parametrize(
    "text",
    [
        "a 4-person tent",
        "around 40 liters",
        "rated to 30°F",
        "size 9-10 boots",
        "under 2 kg",
        "show me the second one",
        "tent for 4 people",
        "Set the price of ELE-1 to $1",  # a statement about a price, not a budget
        'say "it costs $2" then show me tents',  # quoted text is checked by the reader
    ],
)
def test_measurements_and_statements_are_no_budget(text: str) -> None:
    b = parse_budget(text)
    assert "say" in text or (b.min_price, b.max_price) == (None, None), text


def test_data_files_have_no_yaml_booleans() -> None:
    """YAML reads a bare no/off/on/yes as a boolean: every phrase list must stay strings."""

    def leaves(node: object) -> list[object]:
        if isinstance(node, dict):
            return [x for v in node.values() for x in leaves(v)]
        if isinstance(node, list):
            return [x for v in node for x in leaves(v)]
        return [node]

    files = [
        *ROOT.glob("agent/**/*.yaml"),
        *ROOT.glob("catalog/data/*.yaml"),
    ]
    assert files
    for path in files:
        for leaf in leaves(yaml.safe_load(path.read_text())):
            assert not isinstance(leaf, bool) and leaf is not None, (path, leaf)


@pytest.fixture(scope="module")
def lex(demo_catalog) -> Lexicon:  # type: ignore[no-untyped-def]
    return Lexicon.for_catalog(demo_catalog)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I need hikng boots under $150 in size 10",
            {"categories": ["Hiking Boots"], "size": "10"},
        ),
        ("blutooth speker", {"categories": ["Bluetooth Speakers"]}),
        ("I want a t-shirt", {"categories": ["T-Shirts"]}),
        ("a queen duvet", {"categories": ["Duvets"], "size": "Full/Queen"}),
        ("frying pans in size 10 in", {"categories": ["Frying Pans"], "size": "10 in"}),
        ("jeans 32x32", {"categories": ["Jeans"], "size": "32x32"}),
        ("medium hoodie in navy", {"categories": ["Hoodies"], "size": "M", "color": "Navy"}),
        # a word only one category's titles use: the noun its products are called names it,
        # any other word only hints at it
        ("I also need a daypack", {"categories": ["Backpacks"]}),
        ("something to warm up leftovers", {"categories": [], "hints": ["Duvets"]}),
        ("a case for my phone", {"categories": []}),
        ("a warm jacket for skiing", {"categories": [], "hints": ["Rain Jackets"]}),
        ("he already has a headlamp, something else?", {"categories": [], "no": ["headlamp"]}),
        # a ruled-out phrase that names a category is ruled out whole: yoga blocks stay in
        ("she already has a yoga mat", {"categories": [], "no": ["yoga mat"]}),
        ("he owns a sleeping bag, what else?", {"categories": [], "no": ["sleeping bag"]}),
        ("no Sonavo please, anything but Halden", {"not": ["Halden", "Sonavo"]}),
        ("a 4-person tent", {"categories": ["Tents"], "attr": ("capacity_people", "ge", 4)}),
        ("around 40 liters backpack", {"attr": ("capacity_l", "approx", 40)}),
        # "under 200" is the budget's cue, not the capacity's
        ("a backpack around 40 liters under 200", {"attr": ("capacity_l", "approx", 40)}),
        ("a sleeping bag rated to 30°F", {"attr": ("temp_rating_f", "le", 30)}),
        ("over-ear headphones", {"attr": ("fit", "is", 0)}),
    ],
)
def test_slots(lex: Lexicon, text: str, expected: dict) -> None:
    r = read(text, lex)
    if "categories" in expected:
        assert r.categories == expected["categories"], r
    if "hints" in expected:
        assert r.category_hints == expected["hints"]
    for name in ("size", "color"):
        if name in expected:
            assert r.options.get(name) == expected[name], r.options
    if "not" in expected:
        assert sorted(r.exclude_brands) == expected["not"]
    if "no" in expected:
        assert r.exclude_terms == expected["no"]
    if "attr" in expected:
        key, op, value = expected["attr"]
        want = next(a for a in r.attributes if a.key == key)
        assert want.op == op and (op == "is" or want.value == value)


def test_ordinals_relations_and_clears(lex: Lexicon) -> None:
    assert read("what about the second one?", lex).ordinals == [2]
    assert read("compare the first two", lex).ordinals == [1, 2]
    assert read("anything cheaper?", lex).relation == "cheaper"
    assert read("which is cheaper?", lex).relation is None  # a question about the cards
    assert read("more like the third one", lex).relation == "similar"
    assert read("show me something else", lex).relation == "different"
    assert read("forget the budget", lex).clear_budget
    assert read("any size is fine", lex).clear_options == {"size"}


def rec(pid: str, price: float, category: str = "Hiking Boots") -> Recommendation:
    return Recommendation(
        product_id=pid, title=pid, price=price, currency="USD", in_stock=True, category=category
    )


def test_the_request_over_a_conversation(lex: Lexicon) -> None:
    req = update_request(ShopperRequest(), read("hiking boots under $150 in size 10", lex), lex)
    assert (req.categories, req.max_price, req.options) == (["Hiking Boots"], 150, {"size": "10"})
    req = record_shown(req, [rec("A", 120), rec("B", 95), rec("C", 140)])
    assert [s.position for s in req.last_shown()] == [1, 2, 3]

    cheaper = update_request(req, read("anything cheaper?", lex), lex)
    assert cheaper.relation and cheaper.relation.price == 95
    assert cheaper.effective_max_price() == 94.99 and set(cheaper.excluded_ids()) >= {"A", "B"}

    second = update_request(req, read("what about the second one?", lex), lex)
    assert second.focus == "B" and second.max_price == 150  # nothing dropped

    no_budget = update_request(req, read("forget the budget", lex), lex)
    assert no_budget.max_price is None and "budget removed" in no_budget.changes
    assert no_budget.options == {"size": "10"}

    tent = update_request(req, read("now a tent", lex), lex)
    assert tent.categories == ["Tents"]
    assert "size" not in tent.options and tent.max_price is None  # neither applies to tents
    assert any("size 10" in c for c in tent.changes) and any("budget" in c for c in tent.changes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("waterproof hiking boots in size 11", {"waterproof": "yes", "size": "11"}),
        ("hiking boots that are not waterproof", {"waterproof": "no"}),
        ("a water resistant bluetooth speaker", {"water resistance": "yes"}),
        ("a clicky mechanical keyboard", {"switch type": "clicky"}),
        ("a tea kettle that works on induction", {"stovetop compatibility": "induction"}),
        ("a stainless steel water bottle, 1000ml", {"capacity": "1000ml"}),
    ],
)
def test_options_named_by_their_values_on_tau2(tau2_catalog, text: str, expected: dict) -> None:
    """τ²'s variants carry the features as options: a value only one option of the named
    category has, or a yes/no option's name, asks for it."""
    lex = Lexicon.for_catalog(tau2_catalog)
    r = read(text, lex)
    got = {k.replace("_", " ").lower(): str(v).lower() for k, v in r.options.items()}
    assert {k: got.get(k) for k in expected} == expected, (r.categories, r.options)


@pytest.mark.parametrize(
    ("text", "pid"),
    [
        # the title as written wins over a longer title that merely has the words
        ("Is the Halden Block Bluetooth Speaker waterproof?", "ELE-00005"),
        ("Is the Halden Block Waterproof Bluetooth Speaker loud?", "ELE-00515"),
    ],
)
def test_a_product_named_by_its_title(lex: Lexicon, text: str, pid: str) -> None:
    assert read(text, lex).ids == [pid]


@pytest.mark.parametrize(
    ("text", "wanted", "excluded"),
    [
        ("a winter coat, but not Northfold or Ridgeline", [], ["Northfold", "Ridgeline"]),
        ("neither Northfold nor Ridgeline please", [], ["Northfold", "Ridgeline"]),
        ("no Northfold, only Ridgeline", ["Ridgeline"], ["Northfold"]),
    ],
)
def test_an_excluded_list_of_brands(lex: Lexicon, text: str, wanted: list, excluded: list) -> None:
    r = read(text, lex)
    assert (r.brands, r.exclude_brands) == (wanted, excluded)


@pytest.mark.parametrize(
    ("text", "context", "option", "attribute"),
    [
        ("black", ["T-Shirts"], ("color", "Black"), None),
        ("over-ear ones only", ["Headphones"], None, ("fit", "Over-ear")),
    ],
)
def test_a_short_refinement_reads_in_the_conversations_category(
    lex: Lexicon, text: str, context: list, option: tuple | None, attribute: tuple | None
) -> None:
    """A message that names no category is read in the one the conversation is about."""
    r = read(text, lex, context)
    if option:
        assert r.options.get(option[0]) == option[1], r.options
    if attribute:
        assert any(a.key == attribute[0] and a.text == attribute[1] for a in r.attributes)
    assert r.categories == []
