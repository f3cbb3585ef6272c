"""recommend: the terminal answer. The model names ids and reasons; SQL renders the facts."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, tool
from pydantic import BaseModel, Field

from catalog.constraints import Constraints, resolve, variant_fits
from catalog.service import Catalog
from tools.contracts import Recommendation
from tools.rendering import best_variant, load_products


class RecItem(BaseModel):
    """One product the model recommends."""

    product_id: str
    variant_id: str | None = Field(default=None, description="the fitting variant")
    reason: str = ""


def render(
    catalog: Catalog, items: list[RecItem], constraints: Constraints | None = None
) -> tuple[list[Recommendation], list[str]]:
    """Recommendations rendered from SQL; ids that do not exist are returned as missing."""
    recs: list[Recommendation] = []
    missing: list[str] = []
    rc = None
    if constraints is not None:
        try:
            rc = resolve(constraints, catalog.searcher.vocabulary)
        except Exception:  # noqa: BLE001 - preferences are a soft hint here
            rc = None
    with catalog.store.session() as session:
        products = load_products(session, [i.product_id for i in items])
        for item in items:
            product = products.get(item.product_id)
            if product is None:
                missing.append(item.product_id)
                continue
            variant = next((v for v in product.variants if v.id == item.variant_id), None)
            if variant is None and rc is not None:
                fits = [v for v in product.variants if variant_fits(v, rc)]
                if fits:
                    variant = min(fits, key=lambda v: (not v.in_stock, v.price, v.position))
            if variant is None:
                variant = best_variant(product)
            recs.append(
                Recommendation(
                    product_id=product.id,
                    title=product.title,
                    price=float(variant.price),
                    currency=variant.currency,
                    in_stock=variant.in_stock,
                    stock=variant.stock,
                    variant_id=variant.id,
                    variant=dict(variant.options),
                    reason=item.reason,
                    brand=product.brand,
                    rating=product.rating,
                    image_url=product.image_url,
                    category=product.category,
                )
            )
    return recs, missing


def make_recommend(catalog: Catalog) -> BaseTool:
    """The recommend tool (executed by the graph's finalize node, not the ToolNode)."""

    @tool("recommend")
    def recommend(items: list[RecItem], message: str = "") -> str:
        """Final answer: 1-4 products from tool results, best first, each with a short reason
        tied to the request that cites only tool facts. The store shows title, price, stock.

        Args:
            items: the picks.
            message: 1-2 sentences introducing them.
        """
        return "recommendations sent"

    return recommend


def recommendation_summary(rec: Recommendation) -> dict[str, Any]:
    """Compact dict for logs and tool_end events."""
    return {"id": rec.product_id, "price": rec.price, "in_stock": rec.in_stock}
