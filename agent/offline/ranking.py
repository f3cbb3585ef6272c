"""How the offline engine orders what a search returned: what was asked for first (numeric
attributes met or nearly met, yes/no features present), then well rated before poorly rated,
then the search's own relevance. Gifts and open requests get variety across categories.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from catalog.models import Product
from tools.request import AttributeWant, ShopperRequest

POOR_RATING = 3.0


def attributes_of(catalog: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each product's attributes (one SQL read)."""
    if not ids:
        return {}
    with catalog.store.session() as session:
        rows = session.execute(select(Product.id, Product.attributes).where(Product.id.in_(ids)))
        return {pid: dict(attrs or {}) for pid, attrs in rows}


def title_of(catalog: Any, product_id: str) -> tuple[str, str | None, str | None] | None:
    """A product's title, category and brand from SQL (None when unknown)."""
    with catalog.store.session() as session:
        row = session.execute(
            select(Product.title, Product.category, Product.brand).where(Product.id == product_id)
        ).first()
    return (row[0], row[1], row[2]) if row else None


def closeness(value: Any, want: AttributeWant) -> float:
    """1 when the attribute meets the want, less the further it is; 0 when unknown."""
    if want.op == "eq":
        return 1.0 if value is True else 0.0
    if want.op == "is":
        return 1.0 if isinstance(value, str) and value.lower() == want.text.lower() else 0.0
    if isinstance(value, str):
        digits = [c for c in value if c.isdigit()]
        value = float(digits[-1]) if digits else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    v, target = float(value), want.value
    if want.op == "ge" and v >= target or want.op == "le" and v <= target:
        # met; the nearer the better ("4-person" prefers 4 to 8)
        return 1.0 - min(0.5, abs(v - target) / max(1.0, abs(target)) / 4)
    gap = abs(v - target) / max(1.0, abs(target))
    if want.op == "approx":
        return max(0.0, 1.0 - gap / (2 * want.slack()))
    return max(0.0, 0.5 - gap)


def rank(
    items: list[dict[str, Any]], req: ShopperRequest, attrs: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Items best first (a stable sort: the search's order breaks ties)."""

    def key(pair: tuple[int, dict[str, Any]]) -> tuple[float, ...]:
        position, item = pair
        own = attrs.get(item["id"], {})
        wanted = sum(closeness(own.get(w.key), w) for w in req.attributes)
        rating = item.get("rating")
        poor = rating is not None and rating < POOR_RATING
        return (-wanted, poor, not item.get("in_stock", True), position)

    return [item for _, item in sorted(enumerate(items), key=key)]


def meets(item: dict[str, Any], req: ShopperRequest, attrs: dict[str, dict[str, Any]]) -> bool:
    """Whether an item meets every numeric/yes-no want (closeness 1, or within approx)."""
    own = attrs.get(item["id"], {})
    for want in req.attributes:
        score = closeness(own.get(want.key), want)
        if score < (0.45 if want.op == "approx" else 0.99):
            return False
    return True


def varied(items: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The best item of each category first, then the rest: variety for open requests."""
    firsts: list[dict[str, Any]] = []
    rest: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in items:
        category = str(item.get("category") or "")
        (rest if category in seen else firsts).append(item)
        seen.add(category)
    return (firsts + rest)[:limit]


def ruled_out(item: dict[str, Any], req: ShopperRequest) -> bool:
    """What the shopper excluded by brand or word ("anything but X", "he has a headlamp")."""
    brand = str(item.get("brand") or "").lower()
    if brand and brand in {b.lower() for b in req.exclude_brands}:
        return True
    title = f" {str(item.get('title') or '').lower()} "
    return any(f" {t.lower()}" in title for t in req.exclude_terms)
