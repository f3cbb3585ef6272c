"""get_product: full details of one product with all its variants."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, tool

from catalog.service import Catalog
from tools.rendering import as_data, best_variant, clean, money, options_text, stock_text


def product_details(catalog: Catalog, product_id: str) -> tuple[str, dict[str, Any]]:
    """Details text + artifact; never raises."""
    artifact: dict[str, Any] = {"tool": "get_product", "ids": [], "items": []}
    try:
        with catalog.store.session() as session:
            from catalog.models import Product

            product = session.get(Product, str(product_id))
            if product is None:
                return f"No product with id {product_id!r}.", artifact
            variants = [
                {
                    "variant_id": v.id,
                    "options": dict(v.options),
                    "price": float(v.price),
                    "currency": v.currency,
                    "in_stock": v.in_stock,
                    "stock": v.stock,
                }
                for v in product.variants
            ]
            info = {
                "id": product.id,
                "title": product.title,
                "brand": product.brand,
                "category": product.category,
                "rating": product.rating,
                "description": product.description,
                "attributes": dict(product.attributes or {}),
                "variants": variants,
            }
            if product.variants:
                # The default variant's facts at the top level, like the other tools' items.
                best = best_variant(product)
                info.update(
                    price=float(best.price),
                    currency=best.currency,
                    in_stock=best.in_stock,
                    variant_id=best.id,
                )
    except Exception as exc:  # noqa: BLE001
        return f"get_product failed: {type(exc).__name__}", artifact
    artifact.update(ids=[info["id"]], items=[info])
    lines = [
        f"[{info['id']}] {clean(info['title'], 160)}",
        f"brand: {clean(info['brand'] or '-', 80)}; category: {clean(info['category'], 80)}; "
        f"rating: {info['rating'] if info['rating'] is not None else '-'}",
        f"description: {clean(info['description'], 700)}",
    ]
    if info["attributes"]:
        attrs = "; ".join(f"{k}: {v}" for k, v in info["attributes"].items())
        lines.append(f"attributes: {clean(attrs, 500)}")
    for v in variants[:24]:
        lines.append(
            f"variant {v['variant_id']}: {clean(options_text(v['options'])) or 'default'} | "
            f"{money(v['price'], v['currency'])} | {stock_text(v['in_stock'], v['stock'])}"
        )
    return as_data(f"Details of product {info['id']}:", lines), artifact


def make_get_product(catalog: Catalog) -> BaseTool:
    """Bind get_product to a catalog."""

    @tool("get_product", response_format="content_and_artifact")
    def get_product(product_id: str) -> tuple[str, dict[str, Any]]:
        """One product in full: description, attributes, every variant with price and stock.

        Args:
            product_id: an id from a tool result.
        """
        return product_details(catalog, product_id)

    return get_product
