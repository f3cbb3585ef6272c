"""compare_products: 2-4 products side by side (a Comparison artifact)."""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import InjectedState

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
from tools.request import ShopperRequest, request_in


def compare(
    catalog: Catalog, product_ids: list[str], request: ShopperRequest | None = None
) -> tuple[str, dict[str, Any]]:
    """Comparison text + artifact; never raises.

    Each product is compared through the variant the shopper saw on its card (size, colour);
    one not shown yet, through its variant that fits the request, else its default variant.
    """
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
            bests = [_shown_variant(p, request) for p in cols]
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


def _shown_variant(product: Any, request: ShopperRequest | None) -> Any:
    if request is not None:
        shown = request.shown_item(product.id)
        if shown is not None:
            match = next((v for v in product.variants if v.id == shown.variant_id), None)
            if match is not None:
                return match
        fits = [v for v in product.variants if _fits(v, request)]
        if fits:
            return min(fits, key=lambda v: (not v.in_stock, v.price, v.position))
    return best_variant(product)


def _fits(variant: Any, request: ShopperRequest) -> bool:
    options = {k.lower(): str(v).lower() for k, v in variant.options.items()}
    return all(options.get(k.lower()) == str(v).lower() for k, v in request.options.items())


def make_compare_products(catalog: Catalog) -> BaseTool:
    """Bind compare_products to a catalog."""

    @tool("compare_products", response_format="content_and_artifact")
    def compare_products(
        product_ids: list[str], state: Annotated[dict, InjectedState]
    ) -> tuple[str, dict[str, Any]]:
        """2-4 products side by side: price, brand, rating, stock, attributes.

        Args:
            product_ids: 2-4 ids from tool results.
        """
        return compare(catalog, product_ids, request_in(state or {}))

    return compare_products
