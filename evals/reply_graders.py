"""Graders for how a reply reads and what it offers: no canned refusal, short enough, concrete
choices for a vague request, what the store has for an unmet need, store-policy facts, and
honest labelled alternatives with variant-level cards.

Facts come from the catalog's SQL; no agent code is imported.
"""

from __future__ import annotations

from catalog.normalize import fold, normalize_value
from evals.dialogue_graders import CONSTRAINT_CODES, find_words, phrases
from evals.facts import category_matches, facts_for, product_failures, words_match
from evals.grade import Grade, finish
from evals.scenario import Scenario, Transcript, TranscriptTurn


def category_forms(category: str) -> set[str]:
    """How a reply may name a category: "Chef's Knives", "chef's knife", "knives", "knife"."""
    folded = fold(category)
    words = folded.split()
    if not words:
        return set()
    head = normalize_value(words[-1])
    forms = {folded, normalize_value(category), " ".join([*words[:-1], head]), words[-1], head}
    return {f for f in forms if len(f) >= 3}


def categories_named(reply: str, categories: list[str]) -> list[str]:
    """Which of `categories` the reply names (whole words, singular or plural)."""
    folded = fold(reply)
    return [
        c for c in categories if any(find_words(folded, form) >= 0 for form in category_forms(c))
    ]


def canned(turn: TranscriptTurn, earlier: list[TranscriptTurn]) -> str | None:
    """Why the reply reads as a canned refusal (None: it does not)."""
    folded = fold(turn.reply)
    if not folded:
        return "empty reply"
    for phrase in phrases()["canned_refusal"]:
        if find_words(folded, phrase) >= 0:
            return f"says {phrase!r}"
    for other in earlier:
        if fold(other.user) != fold(turn.user) and fold(other.reply) == folded:
            return f"same reply as to {other.user!r}"
    return None


def _related(turn: TranscriptTurn) -> list[str]:
    """The categories a turn is about: its constraint categories and what it suggests."""
    c = turn.expect.constraints
    named = [c.category] if c and c.category else []
    return named + (c.categories if c else []) + (turn.expect.suggests or [])


def menu(turn: TranscriptTurn, categories: list[str]) -> list[str]:
    """The store's category menu, when the reply recites one: 4+ categories named, most of them
    unrelated to the turn (empty: no menu)."""
    named = categories_named(turn.reply, categories)
    related = _related(turn)
    unrelated = [c for c in named if not any(words_match(r, c) for r in related)]
    return named if len(named) >= 4 and len(unrelated) * 2 > len(named) else []


def grade_reply(scenario: Scenario, t: Transcript) -> Grade:
    """`no_canned_refusal` (no non-understanding phrase, no category menu, no reply repeated
    for another message), `max_words`, `offers_choices` (a question naming N+ categories, of
    `suggests` when given) and `suggests` (a pick in, or the reply naming, a category the store
    has for the need, not inside a menu). Whenever a turn expects picks and shows some, the
    reply must not introduce them as not fitting ("found no ...", "nearest alternatives")."""
    checks: list[tuple[bool, str]] = []
    categories = facts_for(t.catalog_url).categories() if t.turns else []
    for i, turn in enumerate(t.turns):
        e, where = turn.expect, f"turn {i + 1}"
        if e.no_canned_refusal:
            why = canned(turn, t.turns[:i])
            listed = menu(turn, categories)
            why = why or (f"recites the category menu {listed}" if listed else None)
            checks.append((why is None, f"{where}: canned refusal ({why})"))
        if e.max_words is not None:
            n = len(turn.reply.split())
            checks.append((n <= e.max_words, f"{where}: {n} words, at most {e.max_words}"))
        if e.offers_choices is not None:
            named = categories_named(turn.reply, e.suggests or categories)
            good = "?" in turn.reply and len(named) >= e.offers_choices
            checks.append(
                (good, f"{where}: asks no question naming {e.offers_choices}+ choices ({named})")
            )
        if e.suggests:
            cards = [*turn.recommendations, *turn.alternatives]
            facts = facts_for(t.catalog_url)
            facts.load([c.product_id for c in cards])
            on_cards = [
                c.product_id
                for c in cards
                if (p := facts.product(c.product_id))
                and any(category_matches(s, p) for s in e.suggests)
            ]
            named = [] if menu(turn, categories) else categories_named(turn.reply, e.suggests)
            checks.append(
                (bool(on_cards or named), f"{where}: offers nothing from {e.suggests} for the need")
            )
        rng = e.count_range
        if rng and rng[0] >= 1 and turn.recommendations:
            folded = fold(turn.reply)
            said = [p for p in phrases()["not_fitting"] if find_words(folded, p) >= 0]
            checks.append((not said, f"{where}: picks introduced as not fitting ({said})"))
    return finish("reply", bool(checks), checks, t=t)


def grade_policy(scenario: Scenario, t: Transcript) -> Grade:
    """`policy`: the reply states each policy fact (any listed spelling); the scenario checker
    makes sure each fact is in the store's policy document."""
    checks: list[tuple[bool, str]] = []
    for i, turn in enumerate(t.turns):
        folded = fold(turn.reply)
        for item in turn.expect.policy or []:
            options = [item] if isinstance(item, str) else item
            good = any(find_words(folded, fold(o)) >= 0 for o in options)
            checks.append((good, f"turn {i + 1}: policy fact {options[0]!r} not stated"))
    return finish("policy", bool(checks), checks, t=t)


def grade_alternatives(scenario: Scenario, t: Transcript) -> Grade:
    """Labelled alternatives: the count lies in range, each carries a violation (one of
    `alternative_codes` when given), none is also a pick, and constraint violations are real
    (judged from SQL against the turn's constraints). `shows_variant`: every pick names an
    existing variant, so the shopper sees exactly what fits."""
    facts = facts_for(t.catalog_url)
    checks: list[tuple[bool, str]] = []
    asserted = False
    for i, turn in enumerate(t.turns):
        e, where = turn.expect, f"turn {i + 1}"
        stated = e.alternatives is not None or e.alternative_codes is not None
        asserted |= stated or bool(e.shows_variant)
        if e.alternatives is not None:
            rng = e.alternatives
            lo, hi = (0, 0) if rng == "none" else (rng.min, rng.max)
            n = len(turn.alternatives)
            good = n >= lo and (hi is None or n <= hi)
            checks.append((good, f"{where}: {n} alternatives, expected {lo}..{hi or '∞'}"))
        picks = set(turn.product_ids)
        facts.load([a.product_id for a in turn.alternatives] + turn.product_ids)
        for alt in turn.alternatives if stated else []:
            codes = {v.code for v in alt.violations}
            label = f"{where}: alternative {alt.product_id}"
            checks.append((bool(codes), f"{label} carries no violation"))
            checks.append((alt.product_id not in picks, f"{label} is also a pick"))
            if e.alternative_codes:
                good = bool(codes & set(e.alternative_codes))
                checks.append((good, f"{label}: {sorted(codes)}, expected {e.alternative_codes}"))
            product = facts.product(alt.product_id)
            if e.constraints and codes and codes <= CONSTRAINT_CODES and product is not None:
                why = product_failures(product, e.constraints, alt.variant_id)
                checks.append((bool(why), f"{label} is labelled {sorted(codes)} but fits"))
        if e.shows_variant:
            for rec in turn.recommendations:
                product = facts.product(rec.product_id)
                good = (
                    bool(rec.variant_id)
                    and product is not None
                    and bool(product.variant(rec.variant_id))
                )
                checks.append((good, f"{where}: {rec.product_id} shows no existing variant"))
    return finish("alternatives", asserted, checks, t=t)
