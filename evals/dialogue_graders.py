"""Graders for conversations: follow-ups on shown cards, answers from attributes, how a reply
reads, store policy, and labelled alternatives.

Like `evals.graders`, every fact comes from the catalog's SQL and no agent code is imported.
"Shown" means the cards of the latest earlier turn that showed any (picks, then alternatives;
the compared products when no card was shown), in screen order; positions are 1-based.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from catalog.normalize import fold, normalize_value
from evals.expect import AttrBound, ProductRef
from evals.facts import (
    CatalogFacts,
    ProductFact,
    as_number,
    as_truth,
    attribute_value,
    bound_failure,
    facts_for,
    option_matches,
    option_values,
    products_named,
    shown_price,
)
from evals.grade import Grade, finish
from evals.scenario import Scenario, Transcript, TranscriptTurn

PHRASES_FILE = Path(__file__).resolve().parent / "reply_phrases.yaml"
# Violations a grader can verify against the turn's constraints (the others are relations).
CONSTRAINT_CODES = {
    "over_budget",
    "under_budget",
    "option_unavailable",
    "out_of_stock",
    "brand_excluded",
    "category_mismatch",
    "excluded_term",
}
_UNIT_WORDS = {"f", "in", "g", "kg", "mm", "l", "w", "hz", "mah", "gsm", "lb", "deg", "min"}


@lru_cache(maxsize=1)
def phrases() -> dict[str, list[str]]:
    """yes / no / canned_refusal phrase lists (folded) from evals/reply_phrases.yaml."""
    data = yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8")) or {}
    return {k: [fold(str(p)) for p in v] for k, v in data.items()}


def find_words(folded: str, phrase: str) -> int:
    """Position of `phrase` as whole words in `folded` text, or -1."""
    found = re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", folded)
    return found.start() if found else -1


# --------------------------------------------------------------------------------------------
# What was shown, and which products a reply is about
# --------------------------------------------------------------------------------------------


def shown_before(t: Transcript, i: int) -> list[tuple[str, str | None]]:
    """What the shopper saw in the latest turn before `i` that showed any product: its cards
    (or compared products), else the products its reply named by title (empty: none)."""
    for turn in reversed(t.turns[:i]):
        if turn.shown:
            return turn.shown
        named = products_named(t.catalog_url, turn.reply)
        if named:
            return [(pid, None) for pid in named]
    return []


def _names(product: ProductFact) -> list[str]:
    """Ways a reply may name the product: its title, the title without the brand, the model."""
    title = fold(product.title)
    names = [title]
    brand = fold(product.brand or "")
    if brand and title.startswith(brand + " "):
        rest = title[len(brand) + 1 :]
        names.append(rest)
        model = " ".join(rest.split()[:2])
        if len(model) >= 5 and normalize_value(model) not in normalize_value(product.category):
            names.append(model)
    return [n for n in names if len(n) >= 5]


def mention_position(reply: str, product: ProductFact) -> int:
    """Where the reply first names `product` (-1: it does not)."""
    folded = fold(reply)
    hits = [pos for name in _names(product) if (pos := find_words(folded, name)) >= 0]
    return min(hits) if hits else -1


def addressed(turn: TranscriptTurn, product: ProductFact) -> bool:
    """The turn is about `product`: it is on a card, in the comparison, or named in the reply."""
    on_cards = {r.product_id for r in turn.recommendations} | set(turn.comparison_ids)
    return product.id in on_cards or mention_position(turn.reply, product) >= 0


def _resolve(
    t: Transcript, i: int, ref: ProductRef, facts: CatalogFacts
) -> tuple[ProductFact | None, str | None, str]:
    """(product, shown variant, problem) for a reference made in turn `i`."""
    if ref.product is not None:
        product = facts.product(ref.product)
        return product, None, "" if product else f"{ref.product} is not in the catalog"
    shown = shown_before(t, i)
    assert ref.shown is not None
    if len(shown) < ref.shown:
        return None, None, f"card #{ref.shown} asked about, but {len(shown)} shown before"
    pid, vid = shown[ref.shown - 1]
    product = facts.product(pid)
    return product, vid, "" if product else f"shown {pid} is not in the catalog"


# --------------------------------------------------------------------------------------------
# Follow-ups on shown cards
# --------------------------------------------------------------------------------------------


def grade_references(scenario: Scenario, t: Transcript) -> Grade:
    """`about_shown`: the turn concerns the N-th card shown earlier (on a card, compared or
    named); `not_brand_of_shown`: no pick has the brand of the N-th card shown earlier."""
    facts = facts_for(t.catalog_url)
    checks: list[tuple[bool, str]] = []
    for i, turn in enumerate(t.turns):
        where = f"turn {i + 1}"
        for position in turn.expect.about_shown or []:
            product, _, problem = _resolve(t, i, ProductRef(shown=position), facts)
            if product is None:
                checks.append((False, f"{where}: {problem}"))
                continue
            good = addressed(turn, product)
            checks.append((good, f"{where}: not about card #{position} ({product.title})"))
        if turn.expect.not_brand_of_shown:
            ref = ProductRef(shown=turn.expect.not_brand_of_shown)
            product, _, problem = _resolve(t, i, ref, facts)
            if product is None:
                checks.append((False, f"{where}: {problem}"))
                continue
            facts.load(turn.product_ids)
            same = [
                pid
                for pid in turn.product_ids
                if (p := facts.product(pid)) and p.brand and p.brand == product.brand
            ]
            checks.append((not same, f"{where}: {same} are {product.brand}, the brand declined"))
    return finish("references", bool(checks), checks, t=t)


def grade_cheaper(scenario: Scenario, t: Transcript) -> Grade:
    """`cheaper_than_shown`: every pick costs less than the cheapest card shown before."""
    facts = facts_for(t.catalog_url)
    checks: list[tuple[bool, str]] = []
    for i, turn in enumerate(t.turns):
        if not turn.expect.cheaper_than_shown:
            continue
        shown = shown_before(t, i)
        facts.load([pid for pid, _ in shown] + turn.product_ids)
        prices = [shown_price(p, vid) for pid, vid in shown if (p := facts.product(pid))]
        if not prices:
            checks.append((False, f"turn {i + 1}: nothing was shown to be cheaper than"))
            continue
        floor = min(prices)
        for rec in turn.recommendations:
            product = facts.product(rec.product_id)
            price = shown_price(product, rec.variant_id) if product else float("inf")
            checks.append(
                (
                    price < floor - 1e-9,
                    f"turn {i + 1}: {rec.product_id} at {price:.2f} is not cheaper than "
                    f"{floor:.2f} (cheapest shown)",
                )
            )
    return finish("cheaper", bool(checks), checks, t=t)


# --------------------------------------------------------------------------------------------
# Answers from attributes
# --------------------------------------------------------------------------------------------


def said_yes_or_no(reply: str) -> str | None:
    """ "yes" or "no": whichever the reply says first (None: neither)."""
    folded = fold(reply)
    # (position, -length, answer): at one position the longer phrase wins ("we do not").
    found = [
        (pos, -len(phrase), answer)
        for answer in ("yes", "no")
        for phrase in phrases()[answer]
        if (pos := find_words(folded, phrase)) >= 0
    ]
    return min(found)[2] if found else None


def evidence_tokens(key: str, value: object) -> list[str]:
    """What in a reply shows the attribute was read: the number, the text, or the attribute's
    words for a yes/no attribute ("waterproof")."""
    if isinstance(value, bool) or value is None:
        words = [w for w in fold(key.replace("_", " ")).split() if w not in _UNIT_WORDS]
        return [" ".join(words)] if words else []
    number = as_number(value)
    if isinstance(value, int | float) and number is not None:
        return [f"{number:g}"]
    text = fold(str(value))
    # "90 days return policy" is shown by "90 days"; "1 year warranty" by "1 year".
    amounts = re.findall(r"\d+(?:\.\d+)? [a-z]+", text)
    return [text, *amounts]


def _has_evidence(reply: str, tokens: list[str]) -> bool:
    folded = fold(reply)
    numbers = {f"{float(n):g}" for n in re.findall(r"-?\d+(?:\.\d+)?", folded.replace(",", ""))}
    return any(tok in numbers or find_words(folded, tok) >= 0 for tok in tokens if tok)


def _yes_no_checks(
    t: Transcript, i: int, turn: TranscriptTurn, facts: CatalogFacts
) -> list[tuple[bool, str]]:
    where = f"turn {i + 1}"
    said = said_yes_or_no(turn.reply)
    spec = turn.expect.answers_yes_no
    checks = [(said is not None, f"{where}: the reply says neither yes nor no")]
    if spec is True or spec is None or isinstance(spec, bool):
        return checks
    product, _, problem = _resolve(t, i, spec, facts)
    if product is None:
        return checks + [(False, f"{where}: {problem}")]
    if spec.attribute:
        value = attribute_value(product, spec.attribute)
        truth = as_truth(value)
        tokens = evidence_tokens(spec.attribute, value)
        what = f"{spec.attribute}={value!r}"
    else:
        options = spec.option or {}
        truth = any(
            v.in_stock and all(option_matches(product, v, n, val) for n, val in options.items())
            for v in product.variants
        )
        tokens = [fold(val) for val in options.values()]
        what = f"{options} in stock: {truth}"
    right = "yes" if truth else "no"
    if said is not None:
        checks.append((said == right, f"{where}: said {said}, but {product.id} has {what}"))
    checks.append((_has_evidence(turn.reply, tokens), f"{where}: no evidence ({what})"))
    return checks


def _states_checks(
    t: Transcript, i: int, turn: TranscriptTurn, facts: CatalogFacts
) -> list[tuple[bool, str]]:
    spec = turn.expect.states_attribute
    assert spec is not None
    where = f"turn {i + 1}"
    product, variant_id, problem = _resolve(t, i, spec, facts)
    if product is None:
        return [(False, f"{where}: {problem}")]
    if spec.attribute == "price":
        price = shown_price(product, variant_id)
        found = [as_number(n) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", turn.reply)]
        good = any(n is not None and abs(n - price) <= 0.005 for n in found)
        return [(good, f"{where}: the reply does not state the price {price:.2f}")]
    values = option_values(product, spec.attribute)
    if values:
        folded = fold(turn.reply)
        missing = [v for v in values if find_words(folded, fold(v)) < 0]
        return [(not missing, f"{where}: {spec.attribute} {missing} not named")]
    value = attribute_value(product, spec.attribute)
    if value is None:
        return [(False, f"{where}: {product.id} has no {spec.attribute}")]
    tokens = evidence_tokens(spec.attribute, value)
    return [(_has_evidence(turn.reply, tokens), f"{where}: {spec.attribute}={value!r} not stated")]


def _best_checks(
    t: Transcript, i: int, turn: TranscriptTurn, facts: CatalogFacts
) -> list[tuple[bool, str]]:
    spec = turn.expect.best_of_shown
    assert spec is not None
    where = f"turn {i + 1}"
    shown = shown_before(t, i)
    facts.load([pid for pid, _ in shown])
    products = [p for pid, _ in shown if (p := facts.product(pid))]
    if len(products) < 2:
        return [(False, f"{where}: fewer than two cards shown to choose from")]
    if spec.attribute == "price":
        variants = dict(shown)
        values = {p.id: shown_price(p, variants.get(p.id)) for p in products}
    else:
        values = {p.id: attribute_value(p, spec.attribute) for p in products}
    if spec.equals is not None:
        bound = AttrBound(equals=spec.equals)
        targets = {pid for pid, v in values.items() if bound_failure(v, bound) is None}
    else:
        numbers = {pid: n for pid, v in values.items() if (n := as_number(v)) is not None}
        if not numbers:
            return [(False, f"{where}: no shown card has a numeric {spec.attribute}")]
        best = (max if spec.prefer == "max" else min)(numbers.values())
        targets = {pid for pid, n in numbers.items() if n == best}
    named = sorted((pos, p.id) for p in products if (pos := mention_position(turn.reply, p)) >= 0)
    picked = named[0][1] if named else (turn.product_ids[0] if turn.product_ids else None)
    if not targets:
        good = picked is None
        return [(good, f"{where}: no card has {spec.attribute}={spec.equals}, yet {picked} named")]
    checks = [
        (
            picked in targets,
            f"{where}: answered {picked} ({spec.attribute}={values.get(picked or '')!r}), "
            f"best is {sorted(targets)} ({spec.attribute}="
            f"{values[next(iter(sorted(targets)))]!r})",
        )
    ]
    if spec.evidence and picked in targets:
        tokens = evidence_tokens(spec.attribute, values[picked])
        checks.append((_has_evidence(turn.reply, tokens), f"{where}: no evidence for {picked}"))
    return checks


def grade_answers(scenario: Scenario, t: Transcript) -> Grade:
    """Questions answered from the catalog: `answers_yes_no` (right yes/no with evidence),
    `states_attribute` (the value, price or every in-stock option named), `best_of_shown`
    (the best card for an attribute named first, with its value)."""
    facts = facts_for(t.catalog_url)
    checks: list[tuple[bool, str]] = []
    for i, turn in enumerate(t.turns):
        if turn.expect.answers_yes_no:
            checks += _yes_no_checks(t, i, turn, facts)
        if turn.expect.states_attribute:
            checks += _states_checks(t, i, turn, facts)
        if turn.expect.best_of_shown:
            checks += _best_checks(t, i, turn, facts)
    return finish("answers", bool(checks), checks, t=t)
