"""How tools render catalog rows for the model: data delimiters, money, options, stock lines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Product, Variant

DATA_OPEN = "<catalog_data>"
DATA_CLOSE = "</catalog_data>"


def clean(text: str | None, limit: int = 400) -> str:
    """Catalog text made safe to embed between the data delimiters."""
    text = (text or "").replace(DATA_OPEN, "").replace(DATA_CLOSE, "")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_data(header: str, lines: list[str]) -> str:
    """Tool output for the model: a plain header, then catalog text delimited as data."""
    body = "\n".join(lines) if lines else "(nothing)"
    return f"{header}\n{DATA_OPEN}\n{body}\n{DATA_CLOSE}"


def money(price: float, currency: str = "USD") -> str:
    """$129.00 for USD, otherwise '129.00 EUR'."""
    return f"${price:,.2f}" if currency == "USD" else f"{price:,.2f} {currency}"


def options_text(options: dict[str, str]) -> str:
    """size 10, color Brown."""
    return ", ".join(f"{k} {v}" for k, v in options.items())


def stock_text(in_stock: bool, stock: int | None) -> str:
    """in stock (12) / in stock / out of stock."""
    if not in_stock:
        return "out of stock"
    return f"in stock ({stock})" if stock is not None else "in stock"


def load_products(session: Session, ids: list[str]) -> dict[str, Product]:
    """Products by id (missing ids absent)."""
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}


def best_variant(product: Product) -> Variant:
    """The variant to show by default: in stock first, then cheapest."""
    return min(product.variants, key=lambda v: (not v.in_stock, v.price, v.position))


def variant_dict(product: Product, variant: Variant) -> dict[str, Any]:
    """JSON-ready facts of one product through one variant."""
    return {
        "id": product.id,
        "title": product.title,
        "brand": product.brand,
        "category": product.category,
        "rating": product.rating,
        "price": float(variant.price),
        "currency": variant.currency,
        "in_stock": variant.in_stock,
        "stock": variant.stock,
        "variant_id": variant.id,
        "variant": dict(variant.options),
    }


def item_line(
    item: dict[str, Any], *, category: bool = True, stock: bool = True, variant: bool = True
) -> str:
    """One product as a line for the model; `category=False` / `stock=False` / `variant=False`
    when the header already says it (a category filter; an in-stock-only filter; the option
    filters a search ran with) or when it says nothing the model picks on (a search without
    option filters shows whichever variant came first; the store picks the variant that fits).

    A list is read by the model before it writes anything, so each line carries only what a
    pick is chosen on (~33 tokens, down from ~52): the brand is left out when the title starts
    with it; the variant's options without its id (the store picks the variant that fits the
    request, and check_inventory names ids when one is wanted); stock without the count.
    """
    title = clean(item["title"], 120)
    parts = [f"[{item['id']}] {title}"]
    brand = clean(item.get("brand"), 60)
    if brand and not title.lower().startswith(brand.lower()):
        parts.append(f"brand {brand}")
    if category:
        parts.append(clean(item.get("category"), 60))
    parts.append(money(item["price"], item.get("currency", "USD")))
    if variant and item.get("variant"):
        parts.append(clean(options_text(item["variant"])))
    if stock or not item["in_stock"]:
        parts.append(stock_text(item["in_stock"], None))
    if item.get("rating") is not None:
        parts.append(f"rating {item['rating']:.1f}")
    return " | ".join(parts)
