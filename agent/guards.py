"""Grounding guards: reasons cite only the product's own row; prices and stock figures in
reply text are checked against SQL before the text reaches the shopper."""

from __future__ import annotations

import re
from collections.abc import Iterable

from agent.result import Recommendation
from catalog.models import Product

_PRICE_RE = re.compile(
    r"(?:\$|USD\s?)\s*(\d[\d,]*(?:\.\d{1,2})?)|(\d[\d,]*(?:\.\d{1,2})?)\s*(?:dollars|USD)\b"
)
_STOCK_RE = re.compile(
    r"\b(?:only\s+)?(\d+)\s+(?:left|units?|pieces|in stock|available|remaining)\b", re.I
)
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
REASON_WORDS = frozenset(
    [
        "under",
        "your",
        "budget",
        "price",
        "priced",
        "in",
        "stock",
        "available",
        "fits",
        "fit",
        "matches",
        "match",
        "size",
        "color",
        "colour",
        "rated",
        "rating",
        "great",
        "good",
        "option",
        "options",
        "variant",
        "cheaper",
        "cheapest",
        "within",
        "below",
        "less",
        "than",
        "requested",
        "asked",
        "want",
        "wanted",
        "need",
        "needed",
        "also",
        "best",
        "value",
        "well",
        "reviewed",
        "popular",
        "has",
        "with",
    ]
)


def _num(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def row_text(product: Product) -> str:
    """Everything a reason may cite about a product."""
    parts = [product.title, product.description or "", product.brand or "", product.category]
    parts += [f"{k} {v}" for k, v in (product.attributes or {}).items()]
    parts += list(product.tags or [])
    for v in product.variants:
        parts += [f"{k} {val}" for k, val in v.options.items()]
    return " ".join(parts).lower()


def check_prices(text: str, allowed: Iterable[float]) -> tuple[str, list[str]]:
    """Remove price figures not in `allowed` (SQL prices and the shopper's own numbers)."""
    allowed = [float(a) for a in allowed]
    notes: list[str] = []

    def fix(m: re.Match[str]) -> str:
        value = _num(m.group(1) or m.group(2))
        if value is not None and any(abs(value - a) < 0.011 for a in allowed):
            return m.group(0)
        notes.append(f"removed unsupported price {m.group(0).strip()}")
        return "[see listed price]"

    return _PRICE_RE.sub(fix, text), notes


def check_stock(text: str, allowed: Iterable[int]) -> tuple[str, list[str]]:
    """Remove stock counts not in `allowed` (SQL stock counts)."""
    allowed = set(allowed)
    notes: list[str] = []

    def fix(m: re.Match[str]) -> str:
        if int(m.group(1)) in allowed:
            return m.group(0)
        notes.append(f"removed unsupported stock figure {m.group(0).strip()!r}")
        return "in stock" if "left" not in m.group(0) else "limited stock"

    return _STOCK_RE.sub(fix, text), notes


def ground_reason(reason: str, rec: Recommendation, row: str, shopper_text: str) -> str:
    """Keep only the clauses of a reason supported by the product row or the shopper's words."""
    reason = " ".join((reason or "").split())[:300]
    support = f"{row} {shopper_text.lower()} {rec.title.lower()}"
    support_numbers = set(_NUMBER_RE.findall(support))
    if rec.rating is not None:
        support_numbers |= {f"{rec.rating:.1f}", f"{rec.rating:g}"}
    kept: list[str] = []
    for clause in re.split(r";\s*|,\s+|\.\s+", reason):
        clause = clause.strip().strip(".")
        if not clause:
            continue
        prices_ok = True
        for m in _PRICE_RE.finditer(clause):
            value = _num(m.group(1) or m.group(2))
            shopper = {_num(n) for n in _NUMBER_RE.findall(shopper_text)}
            if value is None or (abs(value - rec.price) > 0.011 and value not in shopper):
                prices_ok = False
        if not prices_ok:
            continue
        bare = _PRICE_RE.sub("", clause)
        if any(n not in support_numbers for n in _NUMBER_RE.findall(bare)) and not (
            _STOCK_RE.search(bare) and rec.stock is not None and str(rec.stock) in bare
        ):
            continue
        words = [w for w in re.findall(r"[a-z][a-z-]{3,}", clause.lower()) if w not in REASON_WORDS]
        if words:
            hits = sum(1 for w in words if w in support or w.rstrip("s") in support)
            if hits / len(words) < 0.6:
                continue
        kept.append(clause)
    return "; ".join(kept)


def allowed_prices(recs: list[Recommendation], extra: Iterable[float] = ()) -> list[float]:
    """Prices a reply may state."""
    return [r.price for r in recs] + list(extra)


def shopper_numbers(texts: Iterable[str]) -> list[float]:
    """Numbers the shopper wrote (budgets) — a reply may repeat them."""
    out: list[float] = []
    for t in texts:
        out += [v for v in (_num(n) for n in _NUMBER_RE.findall(t)) if v is not None]
    return out
