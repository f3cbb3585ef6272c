"""Recommendation → product-card props, and the other pure formatting the chat UI needs.

No Chainlit here: the app passes these dicts, a turn's cards in one list, to
`cl.CustomElement(name="ProductCards", ...)` and `ComparisonTable`; unit tests check them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from tools.contracts import Alternative, Comparison, Recommendation

LOW_STOCK = 5  # "Only N left" at or below this many units
CurrencyStyle = Literal["symbol", "code", "plain"]
CURRENCY_STYLES: tuple[CurrencyStyle, ...] = ("symbol", "code", "plain")
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "INR": "₹"}


def format_price(amount: float, currency: str, style: str = "symbol") -> str:
    """Format a price in its own currency (formatting only, never conversion)."""
    currency = (currency or "").upper()
    digits = 0 if currency == "JPY" else 2
    number = f"{amount:,.{digits}f}"
    if style == "code":
        return f"{number} {currency}".strip()
    if style == "plain":
        return number
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}".strip()


def stock_badge(in_stock: bool, stock: int | None) -> tuple[str, str]:
    """The badge text and its level ("in", "low", "out")."""
    if not in_stock or (stock is not None and stock <= 0):
        return "Out of stock", "out"
    if stock is not None and stock <= LOW_STOCK:
        return f"Only {stock} left", "low"
    return "In stock", "in"


def variant_text(options: dict[str, str]) -> str:
    """'Size 10 · Brown' style label of the fitting variant."""
    parts = []
    for name, value in options.items():
        parts.append(f"Size {value}" if name.lower() == "size" else str(value))
    return " · ".join(parts)


def _ref(rec: Recommendation) -> str:
    return f"{rec.title} ({rec.product_id})"


def follow_ups(rec: Recommendation, others: Sequence[Recommendation]) -> dict[str, dict[str, Any]]:
    """The card's buttons as data: what each asks (a CardAction, agent/understand.py) and the
    words the chat shows as the shopper's message. "Check my size" claims no size."""
    peers = [o for o in others if o.product_id != rec.product_id][:2]
    if peers:
        compare = f"Compare {_ref(rec)} with " + " and ".join(_ref(p) for p in peers)
    else:
        compare = f"Compare {_ref(rec)} with similar products"
    sized = any(k.lower() == "size" for k in rec.variant)
    size = (
        f"Which size of {_ref(rec)} fits me?" if sized else f"What sizes does {_ref(rec)} come in?"
    )
    pid = rec.product_id
    return {
        "compare": {
            "kind": "compare",
            "product_id": pid,
            "others": [p.product_id for p in peers],
            "text": compare,
        },
        "more": {
            "kind": "more_like",
            "product_id": pid,
            "others": [],
            "text": f"More like {_ref(rec)}",
        },
        "size": {"kind": "size", "product_id": pid, "others": [], "text": size},
    }


def misses_text(alt: Alternative) -> str:
    """What an alternative misses, in the violations' own words ("over your budget")."""
    details = [v.detail for v in alt.violations if v.detail]
    return "Doesn't fit: " + "; ".join(details) if details else "Doesn't fit what you asked"


def card_props(
    rec: Recommendation,
    others: Sequence[Recommendation] = (),
    *,
    currency_style: str = "symbol",
    compact: bool = False,
    position: int | None = None,
) -> dict[str, Any]:
    """What `public/elements/ProductCards.jsx` renders for one card, precomputed, JSON-ready.

    `position` is the card's number as the conversation counts it ("the second one"); an
    `Alternative` is labelled with what it misses."""
    badge, level = stock_badge(rec.in_stock, rec.stock)
    return {
        "product_id": rec.product_id,
        "position": position,
        "title": rec.title,
        "price": rec.price,
        "currency": rec.currency,
        "price_text": format_price(rec.price, rec.currency, currency_style),
        "stock": rec.stock,
        "stock_text": badge,
        "stock_level": level,
        "variant_id": rec.variant_id,
        "variant_text": variant_text(rec.variant),
        "reason": rec.reason,
        "misses": misses_text(rec) if isinstance(rec, Alternative) else "",
        "brand": rec.brand or "",
        "rating": rec.rating,
        "rating_text": f"★ {rec.rating:.1f}" if rec.rating is not None else "",
        "image_url": rec.image_url or "",
        "initials": "".join(w[0] for w in rec.title.split()[:2]).upper(),
        "category": rec.category or "",
        "compact": compact,
        "actions": follow_ups(rec, others),
    }


def on_screen(
    recommendations: Sequence[Recommendation], alternatives: Sequence[Alternative]
) -> list[Recommendation]:
    """The cards of a turn, in the order the conversation numbers them (the picks, then the
    labelled alternatives: agent/understand.py `record_shown`); nothing dropped or reordered,
    so "the second one" is the second card on screen."""
    return [*recommendations, *alternatives]


def comparison_props(comparison: Comparison) -> dict[str, Any]:
    """Props for `public/elements/ComparisonTable.jsx`."""
    return {
        "product_ids": list(comparison.product_ids),
        "columns": list(comparison.columns),
        "rows": [list(map(str, row)) for row in comparison.rows],
    }
