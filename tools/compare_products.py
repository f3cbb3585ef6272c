"""compare_products: 2-4 products side by side (a Comparison artifact)."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, tool

from catalog.service import Catalog
from tools.contracts import Comparison
from tools.rendering import (
    as_data,
    best_variant,
    clean,
    load_products,
    money,
    stock_text,
    variant_dict,
)


def compare(catalog: Catalog, product_ids: list[str]) -> tuple[str, dict[str, Any]]:
    """Comparison text + artifact; never raises."""
    artifact: dict[str, Any] = {"tool": "compare_products", "ids": [], "items": []}
    ids = list(dict.fromkeys(str(p) for p in product_ids))[:4]
    if len(ids) < 2:
        return "compare_products needs 2 to 4 distinct product ids.", artifact
    try:
        with catalog.store.session() as session:
            products = load_products(session, ids)
            missing = [pid for pid in ids if pid not in products]
            if missing:
                return f"Unknown product ids: {', '.join(missing)}.", artifact
            cols = [products[pid] for pid in ids]
            bests = [best_variant(p) for p in cols]
            items = [variant_dict(p, v) for p, v in zip(cols, bests, strict=True)]
            rows = [
                ["price", *[money(float(v.price), v.currency) for v in bests]],
                ["brand", *[p.brand or "-" for p in cols]],
                ["category", *[p.category for p in cols]],
                ["rating", *[f"{p.rating:.1f}" if p.rating is not None else "-" for p in cols]],
                ["stock", *[stock_text(v.in_stock, v.stock) for v in bests]],
            ]
            keys: list[str] = []
            for p in cols:
                for k in p.attributes or {}:
                    if k not in keys:
                        keys.append(k)
            for k in keys[:10]:
                rows.append([k, *[clean(str((p.attributes or {}).get(k, "-")), 60) for p in cols]])
            comparison = Comparison(
                product_ids=ids,
                columns=["attribute", *[clean(p.title, 80) for p in cols]],
                rows=rows,
            )
    except Exception as exc:  # noqa: BLE001
        return f"compare_products failed: {type(exc).__name__}", artifact
    artifact.update(ids=ids, comparison=comparison.model_dump(), items=items)
    lines = [" | ".join(comparison.columns)] + [" | ".join(r) for r in rows]
    return as_data(f"Comparison of {', '.join(ids)}:", lines), artifact


def make_compare_products(catalog: Catalog) -> BaseTool:
    """Bind compare_products to a catalog."""

    @tool("compare_products", response_format="content_and_artifact")
    def compare_products(product_ids: list[str]) -> tuple[str, dict[str, Any]]:
        """2-4 products side by side: price, brand, rating, stock, attributes.

        Args:
            product_ids: 2-4 ids from tool results.
        """
        return compare(catalog, product_ids)

    return compare_products
