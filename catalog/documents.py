"""What the vector index holds for a product: its embedded text and filter metadata.

Shared by ingest (which writes new products) and the consistency repair (which rebuilds
index entries from SQL rows), so both write exactly the same entry for the same product.
"""

from __future__ import annotations

from catalog.models import Product
from catalog.normalize import normalize_value
from catalog.schema import ProductIn, VariantIn


def document_text(product: ProductIn) -> str:
    """The text embedded for a product: title, category, brand, description, key attributes."""
    attributes: list[str] = []
    for key, value in list(product.attributes.items())[:8]:
        label = key.replace("_", " ")
        if value is True:
            attributes.append(label)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            attributes.append(f"{label}: {value}")
    options: dict[str, set[str]] = {}
    for variant in product.variants:
        for key, value in variant.options.items():
            options.setdefault(key, set()).add(value)
    option_text = "; ".join(f"{k}: {', '.join(sorted(v)[:12])}" for k, v in options.items())
    parts = [
        product.title,
        f"Category: {product.category}.",
        f"Brand: {product.brand}." if product.brand else "",
        product.description,
        " ".join(product.tags),
        "; ".join(attributes),
        option_text,
    ]
    return "\n".join(p for p in parts if p)


def chroma_metadata(product: ProductIn, doc_hash: str) -> dict[str, str | float | bool]:
    """Filter metadata kept beside each vector (SQL stays the source of truth); `doc_hash`
    (the embedded text's hash, as in SQL) lets a consistency check spot stale vectors."""
    prices = [v.price for v in product.variants]
    return {
        "title": product.title[:200],
        "category": normalize_value(product.category),
        "brand": normalize_value(product.brand) if product.brand else "",
        "price_min": float(min(prices)),
        "price_max": float(max(prices)),
        "in_stock": product.in_stock,
        "doc_hash": doc_hash,
    }


def from_row(row: Product) -> ProductIn:
    """The validated product a SQL row (with its variants loaded) was written from."""
    return ProductIn.model_construct(
        id=row.id,
        title=row.title,
        description=row.description or "",
        brand=row.brand,
        category=row.category,
        tags=list(row.tags or []),
        rating=row.rating,
        attributes=dict(row.attributes or {}),
        image_url=row.image_url,
        variants=[
            VariantIn.model_construct(
                id=v.id,
                options=dict(v.options or {}),
                price=float(v.price),
                currency=v.currency,
                stock=v.stock,
                available=bool(v.available),
            )
            for v in row.variants
        ],
    )
