"""Guards on model-written text that are not about facts: relayed instructions and role
changes, and reasons grounded in the product's own row.

Facts (prices, stock, numbers, promotions, orders, policies) are handled by the allow-list in
agent/facts.py; this module only splits text into sentences, spots claimed role changes or
relayed instructions, and keeps the clauses of a reason that the row supports.
"""

from __future__ import annotations

import re

from catalog.models import Product
from tools.contracts import Recommendation

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


def row_text(product: Product) -> str:
    """Everything a reason may cite about a product."""
    parts = [product.title, product.description or "", product.brand or "", product.category]
    if product.rating is not None:
        parts.append(f"rated {product.rating:.1f}")
    parts += [f"{k} {v}" for k, v in (product.attributes or {}).items()]
    parts += list(product.tags or [])
    for v in product.variants:
        parts += [f"{k} {val}" for k, val in v.options.items()]
    return " ".join(parts).lower()


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

_QUOTE_RE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|‘[^’\n]*’|(?<![\w])'[^'\n]*'(?![\w])")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+|\n+")


def injected(text: str) -> bool:
    """Claims a changed role/mode/instructions, or carries instructions meant for the assistant."""
    return bool(_INJECTION_RE.search(text or ""))


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


def ground_reason(reason: str, rec: Recommendation, row: str, shopper_text: str) -> str:
    """Keep only the clauses of a reason whose words the product row or the shopper's words
    support (at least 60% of its content words). Figures were already checked (agent/facts)."""
    reason = " ".join((reason or "").split())[:300]
    support = f"{row} {shopper_text.lower()} {rec.title.lower()}"
    kept: list[str] = []
    for clause in re.split(r";\s*|,\s+|\.\s+", reason):
        clause = clause.strip().strip(".")
        if not clause or injected(clause):
            continue
        words = [w for w in re.findall(r"[a-z][a-z-]{3,}", clause.lower()) if w not in REASON_WORDS]
        if words:
            hits = sum(1 for w in words if w in support or w.rstrip("s") in support)
            if hits / len(words) < 0.6:
                continue
        kept.append(clause)
    return "; ".join(kept)
