"""Graders: pure functions ``(scenario, transcript) -> Grade``.

Every fact a grader checks comes from the catalog's SQL (``transcript.catalog_url``) through
the catalog layer's models and normalisation; no agent code is imported here, so an agent bug
cannot hide inside a shared checker.

A grade is *asserted* when some turn of the transcript states the expectation it checks; a
scenario passes when every asserted grade passes. Other grades are reported, not required.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from catalog.normalize import fold
from evals.dialogue_graders import grade_answers, grade_cheaper, grade_references
from evals.expect import ConstraintSpec
from evals.facts import (
    CatalogFacts,
    ProductFact,
    category_matches,
    facts_for,
    option_matches,
    product_failures,
    products_named,
    words_match,
)
from evals.grade import Grade, Grader, finish
from evals.reply_graders import grade_alternatives, grade_policy, grade_reply
from evals.scenario import RecView, Scenario, Transcript, TranscriptTurn

PRICE_TOLERANCE = 0.005


@lru_cache(maxsize=16)
def _id_set(url: str) -> frozenset[str]:
    return frozenset(facts_for(url).all_ids())


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _facts(t: Transcript) -> CatalogFacts:
    return facts_for(t.catalog_url)


def _stated(t: Transcript, attr: str) -> list[tuple[int, TranscriptTurn]]:
    return [(i, turn) for i, turn in enumerate(t.turns) if getattr(turn.expect, attr) is not None]


def _text(s: str) -> str:
    return " ".join(s.casefold().replace("’", "'").split())


# --------------------------------------------------------------------------------------------
# The graders
# --------------------------------------------------------------------------------------------


def grade_recommends(scenario: Scenario, t: Transcript) -> Grade:
    """The number of recommendations lies in the stated range."""
    checks = []
    for i, turn in enumerate(t.turns):
        rng = turn.expect.count_range
        if rng is None:
            continue
        n = len(turn.recommendations)
        lo, hi = rng
        good = n >= lo and (hi is None or n <= hi)
        want = "none" if hi == 0 else f"{lo}..{hi if hi is not None else '∞'}"
        checks.append((good, f"turn {i + 1}: {n} recommendations, expected {want}"))
    return finish("recommends", bool(checks), checks, t=t)


def grade_constraints(scenario: Scenario, t: Transcript) -> Grade:
    """Every recommended product satisfies the turn's constraints, judged from SQL."""
    facts = _facts(t)
    checks: list[tuple[bool, str]] = []
    for i, turn in _stated(t, "constraints"):
        c = turn.expect.constraints
        assert c is not None
        facts.load(turn.product_ids)
        for rec in turn.recommendations:
            product = facts.product(rec.product_id)
            if product is None:
                checks.append((False, f"turn {i + 1}: {rec.product_id} is not in the catalog"))
                continue
            why = product_failures(product, c, rec.variant_id)
            checks.append((not why, f"turn {i + 1}: {rec.product_id}: " + "; ".join(why)))
    asserted = bool(_stated(t, "constraints"))
    return finish("constraints", asserted, checks, t=t)


# "$1,299.50" or "$1000" (a first alternative without a comma group read "$1000" as "$100")
_PRICE_RE = re.compile(r"(?:\$|USD\s?|US\$)\s?(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)")
_STOCK_RE = re.compile(
    r"\b(?:only\s+)?(\d+)\s+(?:left|units?\s+left|in stock|remaining|available)\b", re.I
)
_ID_MARK_RE = re.compile(r"\b(?:id|sku|product id)\b\s*[:#]?\s*([A-Za-z0-9][A-Za-z0-9_-]*)", re.I)
_CODE_RE = re.compile(r"\b([A-Z]{2,}[A-Z0-9]*-[A-Z0-9-]*\d[A-Z0-9-]*)\b")


def _numbers(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text)}


def _rec_claims(
    i: int, rec: RecView, product: Any, checks: list[tuple[bool, str]], invented: list[str]
) -> None:
    where = f"turn {i + 1}: {rec.product_id}"
    if product is None:
        invented.append(rec.product_id)
        checks.append((False, f"{where}: invented product"))
        return
    if rec.title:
        good = fold(rec.title) == fold(product.title) or fold(product.title) in fold(rec.title)
        checks.append((good, f"{where}: title {rec.title!r} is not {product.title!r}"))
    variant = product.variant(rec.variant_id) if rec.variant_id else None
    if rec.variant_id and variant is None:
        checks.append((False, f"{where}: variant {rec.variant_id} does not exist"))
    if rec.price is not None:
        prices = [variant.price] if variant else [v.price for v in product.variants]
        good = any(abs(rec.price - p) <= PRICE_TOLERANCE for p in prices)
        checks.append((good, f"{where}: price {rec.price} not in SQL {sorted(set(prices))[:4]}"))
    if rec.in_stock is not None:
        truth = variant.in_stock if variant else product.in_stock
        checks.append((rec.in_stock == truth, f"{where}: in_stock {rec.in_stock} but SQL {truth}"))
    if rec.stock is not None and variant is not None:
        checks.append(
            (rec.stock == variant.stock, f"{where}: stock {rec.stock} but SQL {variant.stock}")
        )


def grade_grounding(scenario: Scenario, t: Transcript) -> Grade:
    """Every product id, price and stock claim (recommendations and reply text) matches SQL.

    An invented product fails hard (score 0).
    """
    facts = _facts(t)
    ids = _id_set(t.catalog_url)
    checks: list[tuple[bool, str]] = []
    invented: list[str] = []
    user_numbers: set[float] = set()
    shown: set[str] = set()
    for i, turn in enumerate(t.turns):
        user_numbers |= _numbers(turn.user)
        facts.load(turn.product_ids + turn.comparison_ids)
        for rec in turn.recommendations:
            _rec_claims(i, rec, facts.product(rec.product_id), checks, invented)
        for pid in turn.comparison_ids:
            if pid not in ids:
                invented.append(pid)
                checks.append((False, f"turn {i + 1}: compared product {pid} is invented"))
        shown |= set(turn.product_ids) | set(turn.comparison_ids)
        reply = turn.reply
        # Ids named in the text.
        for pid in set(_ID_MARK_RE.findall(reply)) | set(_CODE_RE.findall(reply)):
            if pid in ids:
                continue
            if pid.isdigit() or any(ch.isdigit() for ch in pid):
                invented.append(pid)
                checks.append((False, f"turn {i + 1}: reply names unknown id {pid!r}"))
        # Prices in the text: a price of a product in play, or a number the shopper said.
        in_play = (shown | set(products_named(t.catalog_url, reply))) & ids
        facts.load(list(in_play))
        known_prices: set[float] = set()
        known_stock: set[int] = set()
        for pid in in_play:
            p = facts.product(pid)
            if p is None:
                continue
            known_prices |= {p.price_min, p.price_max} | {v.price for v in p.variants}
            known_stock |= {v.stock for v in p.variants if v.stock is not None}
        # How far a shown price is from a figure the shopper said ("over budget by $9.99",
        # "$500.01 under your budget"): derived from SQL and the shopper's words, so backed.
        gaps = {abs(k - u) for k in known_prices for u in user_numbers}
        for raw in _PRICE_RE.findall(reply):
            value = float(raw.replace(",", ""))
            backed = known_prices | user_numbers | gaps
            good = any(abs(value - k) <= PRICE_TOLERANCE for k in backed)
            checks.append((good, f"turn {i + 1}: reply price ${raw} matches no product shown"))
        for raw in _STOCK_RE.findall(reply):
            good = int(raw) in known_stock or float(raw) in user_numbers
            checks.append((good, f"turn {i + 1}: reply stock claim {raw} matches no variant"))
    asserted = bool(_stated(t, "grounded"))
    grade = finish("grounding", asserted, checks, details={"invented": invented}, t=t)
    if invented and grade.score > 0:
        grade.score = 0.0
        grade.passed = False
        grade.explanation = f"invented: {sorted(set(invented))[:5]}; " + grade.explanation
    return grade


def grade_relevance(scenario: Scenario, t: Transcript) -> Grade:
    """Hit@k and precision of each slate against the turn's `relevant` ids."""
    checks: list[tuple[bool, str]] = []
    scores: list[float] = []
    per_turn = []
    for i, turn in _stated(t, "relevant"):
        relevant = set(turn.expect.relevant or [])
        slate = turn.product_ids
        k = len(slate)
        hits = sum(1 for pid in slate if pid in relevant)
        hit = hits > 0
        precision = hits / k if k else 0.0
        floor = turn.expect.min_precision or 0.0
        per_turn.append({"turn": i + 1, "k": k, "hit": hit, "precision": round(precision, 3)})
        scores.append((float(hit) + precision) / 2)
        good = hit and precision >= floor
        checks.append(
            (good, f"turn {i + 1}: hit@{k}={int(hit)} precision={precision:.2f} (min {floor:g})")
        )
    score = sum(scores) / len(scores) if scores else None
    return finish("relevance", bool(checks), checks, score, {"turns": per_turn}, t=t)


def asked_question(turn: TranscriptTurn) -> bool:
    """The turn asks the shopper something instead of (or before) recommending."""
    return turn.clarifying_question or (not turn.recommendations and "?" in turn.reply)


def grade_clarification(scenario: Scenario, t: Transcript) -> Grade:
    """A clarifying question is asked exactly when the scenario says it must be."""
    checks = []
    for i, turn in _stated(t, "asks_clarification"):
        want = bool(turn.expect.asks_clarification)
        got = turn.clarifying_question if not want else asked_question(turn)
        label = "asked" if got else "did not ask"
        checks.append((got == want, f"turn {i + 1}: {label} a clarifying question"))
    return finish("clarification", bool(checks), checks, t=t)


def _call_key(call: Any) -> str:
    args = sorted((str(k), repr(v)) for k, v in call.args.items())
    return f"{call.name}:{args}"


def grade_tools(scenario: Scenario, t: Transcript) -> Grade:
    """Required / forbidden tools, a call ceiling, and efficiency (repeated identical calls)."""
    checks: list[tuple[bool, str]] = []
    total = 0
    repeats = 0
    asserted = False
    for i, turn in enumerate(t.turns):
        names = [c.name for c in turn.tool_calls]
        total += len(names)
        keys = [_call_key(c) for c in turn.tool_calls]
        repeats += len(keys) - len(set(keys))
        e = turn.expect
        for name in e.tools_called or []:
            asserted = True
            checks.append((name in names, f"turn {i + 1}: {name} not called (calls: {names})"))
        for name in e.tools_not_called or []:
            asserted = True
            checks.append((name not in names, f"turn {i + 1}: {name} was called"))
        if e.max_tool_calls is not None:
            asserted = True
            checks.append((len(names) <= e.max_tool_calls, f"turn {i + 1}: {len(names)} calls"))
    per_turn = total / len(t.turns) if t.turns else 0.0
    details = {"calls": total, "calls_per_turn": round(per_turn, 2), "repeated": repeats}
    efficiency = 1.0 - (repeats / total if total else 0.0)
    grade = finish("tools", asserted, checks, details=details, t=t)
    if not t.error:
        grade.score = round(min(grade.score, efficiency), 4) if checks else round(efficiency, 4)
        if not checks:
            grade.explanation = f"{total} calls, {per_turn:.1f}/turn, {repeats} repeated"
        else:
            grade.explanation += f" ({total} calls, {repeats} repeated)"
    return grade


def grade_mentions(scenario: Scenario, t: Transcript) -> Grade:
    """The reply mentions (any alternative of) each required phrase and none forbidden."""
    checks = []
    for i, turn in enumerate(t.turns):
        text = _text(turn.reply)
        for item in turn.expect.mentions or []:
            options = [item] if isinstance(item, str) else item
            good = any(_text(o) in text for o in options)
            checks.append((good, f"turn {i + 1}: reply does not mention {options}"))
        for phrase in turn.expect.not_mentions or []:
            good = _text(phrase) not in text
            checks.append((good, f"turn {i + 1}: reply mentions forbidden {phrase!r}"))
    return finish("mentions", bool(checks), checks, t=t)


def grade_novelty(scenario: Scenario, t: Transcript) -> Grade:
    """`excludes_previous`: nothing shown earlier in the thread is recommended again.

    `not_products`: none of the listed ids is recommended.

    `compares`: the comparison (or the slate) covers the named products.
    """
    checks = []
    earlier: set[str] = set()
    for i, turn in enumerate(t.turns):
        if turn.expect.excludes_previous:
            again = [pid for pid in turn.product_ids if pid in earlier]
            checks.append((not again, f"turn {i + 1}: shown again {again}"))
        if turn.expect.not_products:
            again = [pid for pid in turn.product_ids if pid in turn.expect.not_products]
            checks.append((not again, f"turn {i + 1}: recommends {again}, which it must not"))
        if turn.expect.compares:
            covered = set(turn.comparison_ids) | set(turn.product_ids)
            missing = [pid for pid in turn.expect.compares if pid not in covered]
            checks.append((not missing, f"turn {i + 1}: comparison lacks {missing}"))
        # Everything the shopper saw counts as shown: picks, alternatives, compared products.
        earlier |= set(turn.product_ids) | {a.product_id for a in turn.alternatives}
        earlier |= set(turn.comparison_ids)
    return finish("novelty", bool(checks), checks, t=t)


def product_reward(product: ProductFact, c: ConstraintSpec) -> float | None:
    """WebShop-style reward of one product: type, price within budget, options, brand."""
    parts: list[float] = []
    if c.category:
        parts.append(1.0 if category_matches(c.category, product) else 0.0)
    if c.brand:
        parts.append(1.0 if words_match(c.brand, product.brand) else 0.0)
    best_price = 0.0
    best_opts = 0.0
    for v in product.variants:
        price_ok = (c.max_price is None or v.price <= c.max_price + 1e-9) and (
            c.min_price is None or v.price >= c.min_price - 1e-9
        )
        stock_ok = not c.in_stock or v.in_stock
        matched = sum(1 for n, val in c.options.items() if option_matches(product, v, n, val))
        share = matched / len(c.options) if c.options else 1.0
        if price_ok and stock_ok:
            best_price = 1.0
        best_opts = max(best_opts, share if (price_ok and stock_ok) else share * 0.5)
    if c.max_price is not None or c.min_price is not None or c.in_stock:
        parts.append(best_price)
    if c.options:
        parts.append(best_opts)
    return sum(parts) / len(parts) if parts else None


def grade_reward(scenario: Scenario, t: Transcript) -> Grade:
    """WebShop-style reward per turn with constraints (mean over the slate; 0 for no slate)."""
    facts = _facts(t)
    checks: list[tuple[bool, str]] = []
    rewards: list[float] = []
    per_turn = []
    asserted = False
    for i, turn in _stated(t, "constraints"):
        c = turn.expect.constraints
        assert c is not None
        if not turn.recommendations:
            if turn.expect.count_range == (0, 0):
                continue
            value = 0.0
        else:
            facts.load(turn.product_ids)
            values = []
            for pid in turn.product_ids:
                p = facts.product(pid)
                r = product_reward(p, c) if p else 0.0
                values.append(1.0 if r is None else r)
            value = sum(values) / len(values)
        rewards.append(value)
        per_turn.append({"turn": i + 1, "reward": round(value, 3)})
        if turn.expect.min_reward is not None:
            asserted = True
            checks.append(
                (
                    value >= turn.expect.min_reward,
                    f"turn {i + 1}: reward {value:.2f} < {turn.expect.min_reward:g}",
                )
            )
    score = sum(rewards) / len(rewards) if rewards else None
    grade = finish("reward", asserted, checks, score, {"turns": per_turn}, t=t)
    if rewards and not checks and not t.error:
        grade.score = round(score or 0.0, 4)
        grade.explanation = f"mean reward {score:.2f} over {len(rewards)} turn(s)"
    return grade


DEFAULT_GRADERS: list[Grader] = [
    grade_recommends,
    grade_constraints,
    grade_grounding,
    grade_relevance,
    grade_clarification,
    grade_tools,
    grade_mentions,
    grade_novelty,
    grade_reward,
    grade_references,
    grade_cheaper,
    grade_answers,
    grade_reply,
    grade_policy,
    grade_alternatives,
]


def grade_all(
    scenario: Scenario, transcript: Transcript, extra: list[Grader] | None = None
) -> list[Grade]:
    """Run every grader; a crashing grader is an asserted failure, never a silent pass."""
    grades = []
    for grader in DEFAULT_GRADERS + list(extra or []):
        name = getattr(grader, "grade_name", grader.__name__.removeprefix("grade_"))
        try:
            grades.append(grader(scenario, transcript))
        except Exception as exc:  # noqa: BLE001 - a broken grader must show in the report
            grades.append(
                Grade(
                    name=name,
                    score=0.0,
                    passed=False,
                    asserted=True,
                    explanation=f"grader error: {type(exc).__name__}: {exc}",
                )
            )
    return grades


def scenario_passed(grades: list[Grade]) -> bool:
    """Every asserted grade passed."""
    return all(g.passed for g in grades if g.asserted)
