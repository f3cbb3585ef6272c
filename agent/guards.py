"""Grounding guards: reasons cite only the product's own row; reply text is checked before it
reaches the shopper.

The reply guard is structural, not a list of known attack strings. Working sentence by sentence
(quoted spans stay inside their sentence), it removes:

- money figures that match no SQL price of a product the tools returned this turn; a number the
  shopper wrote may only be echoed as a budget ("under $50"), never as a price;
- blanket price claims ("everything is $5") and free / discount / coupon / price-change claims
  (the catalog has no promotions);
- sentences that claim or acknowledge a change of role, mode or instructions, or that relay
  instructions found in catalog data or the shopper's text;
- stock figures that match no SQL stock count.

When too little is left, a neutral sentence built from the SQL-rendered recommendations (or a
short safe reply) takes its place. The graph calls `allowed_prices` → `check_prices` →
`check_stock` in its single finalize node, which every terminal path goes through;
`allowed_prices` returns a `PriceEvidence` that keeps where each figure came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from catalog.models import Product
from tools.contracts import Recommendation

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


PRICE_TOLERANCE = 0.005

# -- sentence classifiers -------------------------------------------------------------------

# Claims or acknowledgements of a changed role, mode or instruction set, and instructions meant
# for the assistant (relayed from the shopper's text or from catalog data).
_INJECTION_RE = re.compile(
    r"""
    \b(?:ignor(?:e|ed|ing)|disregard(?:ed|ing)?|forget|forgot|overrid(?:e|es|den|ing)|bypass(?:ed|ing)?)
        \s+(?:(?:all|any|the|your|my|its|of|previous|prior|earlier|above|old|original|existing|
        safety|system|store)\s+)*
        (?:instructions?|rules?|prompts?|guidelines?|directives?|constraints?|policy|policies|
        programming|restrictions?|system)\b
    | \b(?:system|admin|developer|assistant)\s*(?:override|prompt|message|instructions?)\b
    | (?:^|[\s"'“(\[])(?:system|admin|developer|assistant|user)\s*:
    | \boverride\s+(?:accepted|acknowledged|confirmed|enabled|active|complete|successful)\b
    | \b(?:jailbreak|jailbroken|prompt\s+injection)\b
    | \b(?:admin(?:istrator)?|developer|debug|god|sudo|root|maintenance|unrestricted|dan|
        test|super(?:user)?|privileged?)\s+(?:mode|access|rights|privileges)\b
    | \b(?:mode|role|persona|instructions?|rules?|settings?)\s+
        (?:enabled|activated|accepted|acknowledged|changed|switched|updated|unlocked|received)\b
    | \b(?:new|updated|hidden|secret|special|additional)\s+(?:instructions?|orders|directives?)\b
    | \bas\s+(?:you\s+)?(?:instructed|ordered|commanded|directed)\b
    | \bas\s+(?:requested|told|asked|specified)\s+(?:by|in)\s+(?:the\s+)?
        (?:system|admin|developer|catalog|product|description|data|instructions?)\b
    | \b(?:you\s+are|you're)\s+now\b
    | \b(?:i\s+am|i'm)\s+now\s+(?:in|a|an|operating|running|acting|allowed|authori[sz]ed)\b
    | \bi\s+(?:will|shall|'ll)\s+now\s+(?:ignore|obey|comply|follow|act|switch|enter|operate|
        respond|tell|say|confirm|apply|set|change|update|give|only|treat|pretend)\b
    | \bi\s+(?:will|shall|'ll|must|have\s+to)\s+(?:comply|obey)\b
    | \bfrom\s+now\s+on\b
    | \b(?:act|acting|behave)\s+as\s+(?:if|though|an?|the)\b
    | \bpretend(?:ing)?\s+(?:to\s+be|you|that)\b
    | \b(?:tell|inform|remind|instruct|convince)\s+(?:the|every|each|all|any)\s+
        (?:customers?|shoppers?|users?|buyers?|visitors?|clients?)\b
    | \bto\s+(?:every|each|all|any)\s+(?:customers?|shoppers?|users?|buyers?|visitors?)\b
    | \brecommend\s+only\b
    | </?\s*catalog_data\s*>
    | \[/?INST\]
    """,
    re.I | re.X,
)

# Free items, discounts, coupons and price changes: the catalog has no promotions.
_PROMO_RE = re.compile(
    r"""
    \b(?:discount(?:s|ed)?|coupons?|promo(?:s|tion|tions|tional)?|vouchers?|rebates?|
        markdowns?|giveaways?|freebies?)\b
    | \bclearance\s+(?:sale|price|items?|event)\b
    | \b\d+(?:\.\d+)?\s*(?:%|percent)\s*off\b
    | \b(?:on\s+sale|sale\s+price|half\s+price|price\s+(?:cut|drop|reduction|match))\b
    | \bat\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)\b
    | \b(?:costs?|for)\s+nothing\b
    | \b(?:codes?)\s*[:#]
    | \b(?:updated|changed|set|lowered|reduced|slashed|dropped|cut|adjusted|modified)\s+
        (?:the\s+|its\s+|your\s+|their\s+)?prices?\b
    | \bprices?\s+(?:has|have|is\s+now|are\s+now|now)\b
    | \bprices?\s+(?:was|were|got|is\s+being)\s+(?:lowered|reduced|cut|changed|updated|set|
        dropped|slashed|adjusted|waived)\b
    | \bnow\s+(?:costs?|priced|only|just|sells?)\b
    """,
    re.I | re.X,
)
_FREE_RE = re.compile(r"(?<![\w-])free(?![\w-])", re.I)
# "free" meaning "without" (hands free, BPA free, free of lead) or "feel free": not a price claim.
_FREE_OK_BEFORE = re.compile(
    r"(?:feel|hands|sugar|gluten|bpa|cruelty|lead|wrinkle|tangle|fragrance|scent|latex|oil|"
    r"dairy|fat|caffeine|alcohol|cord|wire|stress|worry|maintenance|care|hassle|rust|drip|"
    r"lint|odou?r|toxin|phthalate|paraben|pfas|pfoa|nickel|allergen|mess|scratch|fog|glare|"
    r"static|smudge|streak|residue|spill|leak|plastic|chemical|nut|soy|vegan|duty)\s+$",
    re.I,
)
_FREE_OK_AFTER = re.compile(
    r"^\s+(?:of\s+(?!charge|cost|payment)|standing|size|form|style|range|flow|weight|hand)", re.I
)
# A blanket claim about the whole store ("everything is $1", "all items are half price").
_BLANKET_RE = re.compile(
    r"\b(?:everything|every\s+(?:single\s+)?(?:item|product|thing)|all\s+(?:the\s+)?"
    r"(?:items|products|things)|(?:the\s+)?(?:whole|entire)\s+(?:store|shop|catalog(?:ue)?)|"
    r"store-?wide|site-?wide)\b",
    re.I,
)
# Words before a figure that make it a budget rather than a price ("under $50").
_BUDGET_CONTEXT_RE = re.compile(
    r"\b(?:under|below|less\s+than|up\s+to|within|budget(?:\s+of)?|max(?:imum)?|at\s+most|"
    r"no\s+more\s+than|not\s+more\s+than|cheaper\s+than|around|about|roughly|between|and|to|"
    r"over|above|more\s+than|at\s+least|from|limit(?:\s+of)?|spend(?:ing)?|range)"
    r"(?:\s+(?:your|my|a|the))?\s*$",
    re.I,
)
_BUDGET_AFTER_RE = re.compile(
    r"^\s*(?:[-–]\s*\$?\d[\d,]*(?:\.\d+)?\s*)?"
    r"(?:budget|limit|max(?:imum)?|or\s+(?:less|under|below))\b",
    re.I,
)
_QUOTE_RE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|(?<![\w])'[^'\n]*'(?![\w])")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+|\n+")
SAFE_REPLY = (
    "I can only help with finding products in this store's catalog. What are you looking for?"
)


def injected(text: str) -> bool:
    """Claims a changed role/mode/instructions, or carries instructions meant for the assistant."""
    return bool(_INJECTION_RE.search(text or ""))


def free_claim(text: str) -> bool:
    """Says something is free (as a price), not "hands-free" / "BPA free" / "feel free"."""
    for m in _FREE_RE.finditer(text or ""):
        before, after = text[: m.start()], text[m.end() :]
        if _FREE_OK_BEFORE.search(before) or _FREE_OK_AFTER.match(after):
            continue
        return True
    return False


def promo_claim(text: str) -> bool:
    """A free item, discount, coupon, promotion or price change."""
    return bool(_PROMO_RE.search(text or "")) or free_claim(text)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`; a quoted span never ends a sentence (a quote is judged with the
    sentence that carries it)."""
    quotes: list[str] = []

    def hide(m: re.Match[str]) -> str:
        quotes.append(m.group(0))
        return f"\x00{len(quotes) - 1}\x00"

    hidden = _QUOTE_RE.sub(hide, text or "")
    out = []
    for part in _SENTENCE_SPLIT_RE.split(hidden):
        part = re.sub(r"\x00(\d+)\x00", lambda m: quotes[int(m.group(1))], part).strip()
        if part:
            out.append(part)
    return out


# -- price evidence -------------------------------------------------------------------------


@dataclass
class _Provenance:
    sql: list[float] = field(default_factory=list)
    budget: list[float] = field(default_factory=list)
    recs: list[Recommendation] = field(default_factory=list)


class PriceEvidence(list[float]):
    """The prices a reply may state, remembering where each came from.

    It is a list of floats (old callers keep working); figures appended after construction
    (e.g. prices of items the tools returned) count as SQL prices. Numbers the shopper wrote
    count only as a budget.
    """

    def __init__(
        self, sql: Iterable[float], budget: Iterable[float], recs: Iterable[Recommendation] = ()
    ) -> None:
        sql, budget = [float(x) for x in sql], [float(x) for x in budget]
        super().__init__(sql + budget)
        self.provenance = _Provenance(sql=sql, budget=budget, recs=list(recs))

    def sql_prices(self) -> list[float]:
        first = len(self.provenance.sql) + len(self.provenance.budget)
        return self.provenance.sql + [float(x) for x in self[first:]]


def allowed_prices(recs: list[Recommendation], extra: Iterable[float] = ()) -> PriceEvidence:
    """Prices a reply may state: the SQL prices of the recommendations; `extra` (the shopper's
    numbers) only as a budget."""
    return PriceEvidence([r.price for r in recs], extra, recs)


def _matches(value: float, prices: Iterable[float]) -> bool:
    return any(abs(value - p) <= PRICE_TOLERANCE for p in prices)


def _figure_kind(sentence: str, m: re.Match[str], allowed: list[float]) -> str | None:
    """ "price" (an SQL price), "budget" (the shopper's number, said as a budget) or None."""
    value = _num(m.group(1) or m.group(2))
    if value is None:
        return None
    if not isinstance(allowed, PriceEvidence):
        return "price" if _matches(value, allowed) else None
    if _matches(value, allowed.sql_prices()):
        return "price"
    if _matches(value, allowed.provenance.budget):
        before = sentence[max(0, m.start() - 40) : m.start()]
        before = re.sub(r"\$?\d[\d,]*(?:\.\d+)?\s*(?:-|–|to|and)?\s*$", "", before)
        if _BUDGET_CONTEXT_RE.search(before) or _BUDGET_AFTER_RE.match(sentence[m.end() :]):
            return "budget"
    return None


def _fallback(allowed: list[float]) -> str:
    recs = allowed.provenance.recs if isinstance(allowed, PriceEvidence) else []
    parts = []
    for r in recs[:4]:
        title = " ".join(r.title.split())
        if injected(title) or promo_claim(title):
            continue
        parts.append(f"{title} at ${r.price:,.2f}" if r.price else title)
    if not parts:
        return "Here is what I found:" if recs else SAFE_REPLY
    return "Here is what I found: " + "; ".join(parts) + "."


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z]{2,}", text))


def check_prices(
    text: str, allowed: Iterable[float], *, promotions: bool = False
) -> tuple[str, list[str]]:
    """Guard the reply text, sentence by sentence (see the module doc).

    `allowed` is a `PriceEvidence` (from `allowed_prices`) or plain prices; `promotions` is
    True only when a tool artifact states a promotion (the catalog has none today).
    """
    allowed = allowed if isinstance(allowed, PriceEvidence) else [float(a) for a in allowed]
    notes: list[str] = []
    kept: list[str] = []
    sentences = split_sentences(text)
    for sentence in sentences:
        why = None
        if injected(sentence):
            why = "instruction or role-change text"
        elif not promotions and promo_claim(sentence):
            why = "free/discount/price-change claim"
        else:
            figures = [
                (m, _figure_kind(sentence, m, allowed)) for m in _PRICE_RE.finditer(sentence)
            ]
            bad = [m.group(0).strip() for m, kind in figures if kind is None]
            if bad:
                why = f"unsupported price {', '.join(bad)}"
            elif any(kind == "price" for _, kind in figures) and _BLANKET_RE.search(sentence):
                why = "blanket price claim"
        if why is None:
            kept.append(sentence)
        else:
            notes.append(f"removed sentence ({why}): {sentence[:80]!r}")
    out = " ".join(kept)
    if notes and _words(out) < 3:
        out = _fallback(allowed)
        notes.append("reply replaced by a grounded summary")
    elif not notes:
        out = text
    return out, notes


def check_stock(text: str, allowed: Iterable[int]) -> tuple[str, list[str]]:
    """Remove sentences stating stock counts not in `allowed` (SQL stock counts)."""
    allowed = set(allowed)
    notes: list[str] = []
    kept: list[str] = []
    for sentence in split_sentences(text):
        bad = [m.group(0) for m in _STOCK_RE.finditer(sentence) if int(m.group(1)) not in allowed]
        if bad:
            notes.append(f"removed unsupported stock figure {bad[0].strip()!r}")
        else:
            kept.append(sentence)
    if not notes:
        return text, notes
    out = " ".join(kept)
    return (out if out.strip() else "Please check the listed stock for each item."), notes


def ground_reason(reason: str, rec: Recommendation, row: str, shopper_text: str) -> str:
    """Keep only the clauses of a reason supported by the product row or the shopper's words."""
    reason = " ".join((reason or "").split())[:300]
    support = f"{row} {shopper_text.lower()} {rec.title.lower()}"
    support_numbers = set(_NUMBER_RE.findall(support))
    if rec.rating is not None:
        support_numbers |= {f"{rec.rating:.1f}", f"{rec.rating:g}"}
    shopper = [v for v in (_num(n) for n in _NUMBER_RE.findall(shopper_text)) if v is not None]
    evidence = PriceEvidence([rec.price], shopper)
    kept: list[str] = []
    for clause in re.split(r";\s*|,\s+|\.\s+", reason):
        clause = clause.strip().strip(".")
        if not clause:
            continue
        # Catalog rows may carry injected text: support in the row is not enough for these.
        if injected(clause) or promo_claim(clause):
            continue
        if not all(_figure_kind(clause, m, evidence) for m in _PRICE_RE.finditer(clause)):
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


def shopper_numbers(texts: Iterable[str]) -> list[float]:
    """Numbers the shopper wrote (budgets) — a reply may repeat them as a budget."""
    out: list[float] = []
    for t in texts:
        out += [v for v in (_num(n) for n in _NUMBER_RE.findall(t)) if v is not None]
    return out
