"""Recommendation → product-card props, and the other pure formatting the chat UI needs.

No Chainlit here: the app passes these dicts to `cl.CustomElement(name="ProductCard", ...)`
and `ComparisonTable`, and the unit tests check them directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from tools.contracts import Comparison, Recommendation

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


def follow_ups(rec: Recommendation, others: Sequence[Recommendation]) -> dict[str, str]:
    """The messages the card's buttons send."""
    peers = [o for o in others if o.product_id != rec.product_id][:2]
    if peers:
        compare = f"Compare {_ref(rec)} with " + " and ".join(_ref(p) for p in peers)
    else:
        compare = f"Compare {_ref(rec)} with similar products"
    size_name = next((k for k in rec.variant if k.lower() == "size"), None)
    if size_name:
        size = f"Which size of {_ref(rec)} fits me? I usually wear size {rec.variant[size_name]}."
    else:
        size = f"What sizes does {_ref(rec)} come in?"
    return {
        "compare": compare,
        "more": f"More like {_ref(rec)}",
        "size": size,
    }


def card_props(
    rec: Recommendation,
    others: Sequence[Recommendation] = (),
    *,
    currency_style: str = "symbol",
    compact: bool = False,
) -> dict[str, Any]:
    """Everything `public/elements/ProductCard.jsx` renders, precomputed and JSON-ready."""
    badge, level = stock_badge(rec.in_stock, rec.stock)
    return {
        "product_id": rec.product_id,
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
        "brand": rec.brand or "",
        "rating": rec.rating,
        "rating_text": f"★ {rec.rating:.1f}" if rec.rating is not None else "",
        "image_url": rec.image_url or "",
        "initials": "".join(w[0] for w in rec.title.split()[:2]).upper(),
        "category": rec.category or "",
        "compact": compact,
        "actions": follow_ups(rec, others),
    }


def visible_recommendations(
    recs: Sequence[Recommendation], *, include_out_of_stock: bool, max_items: int
) -> list[Recommendation]:
    """The cards to show under the user's settings (out-of-stock hidden unless asked)."""
    shown = [r for r in recs if include_out_of_stock or r.in_stock]
    return shown[: max(1, max_items)]


def comparison_props(comparison: Comparison) -> dict[str, Any]:
    """Props for `public/elements/ComparisonTable.jsx`."""
    return {
        "product_ids": list(comparison.product_ids),
        "columns": list(comparison.columns),
        "rows": [list(map(str, row)) for row in comparison.rows],
    }
