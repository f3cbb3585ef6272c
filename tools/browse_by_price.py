"""browse_by_price: a category (or everything) within a price range, sorted by price or rating."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.tools import BaseTool, tool

from catalog.constraints import Constraints, UnknownValue, fitting_variants, qualifying_ids, resolve
from catalog.service import Catalog
from tools.common import as_data, item_line, load_products, variant_dict


def browse(
    catalog: Catalog,
    category: str | None,
    min_price: float | None,
    max_price: float | None,
    sort: str,
    in_stock: bool,
    limit: int,
) -> tuple[str, dict[str, Any]]:
    """SQL browse; never raises."""
    artifact: dict[str, Any] = {"tool": "browse_by_price", "ids": [], "items": []}
    try:
        constraints = Constraints(
            category=category or None, min_price=min_price, max_price=max_price, in_stock=in_stock
        )
        rc = resolve(constraints, catalog.searcher.vocabulary)
    except UnknownValue as exc:
        artifact["unknown"] = {"field": exc.field_name, "value": exc.value, "valid": exc.valid}
        return (
            f"The store has no {exc.field_name} {exc.value!r}. "
            f"Valid values: {', '.join(exc.valid[:60])}."
        ), artifact
    except Exception as exc:  # noqa: BLE001
        return f"invalid browse request: {exc}", artifact
    with catalog.store.session() as session:
        ids = list(session.scalars(qualifying_ids(rc).limit(5000)))
        fits = fitting_variants(session, rc, ids)
        products = load_products(session, list(fits))
        items = [variant_dict(products[pid], v) for pid, v in fits.items() if pid in products]
    if sort == "price_desc":
        items.sort(key=lambda i: (-i["price"], i["id"]))
    elif sort == "rating":
        items.sort(key=lambda i: (-(i["rating"] or 0), i["price"], i["id"]))
    else:
        items.sort(key=lambda i: (i["price"], i["id"]))
    items = items[: max(1, min(int(limit), 20))]
    artifact["ids"] = [i["id"] for i in items]
    artifact["items"] = items
    label = ", ".join(rc.labels.get("category", [])) or "all categories"
    header = f"{len(items)} products in {label} sorted by {sort}:"
    return as_data(header, [item_line(i) for i in items]), artifact


def make_browse_by_price(catalog: Catalog) -> BaseTool:
    """Bind browse_by_price to a catalog."""

    @tool("browse_by_price", response_format="content_and_artifact")
    def browse_by_price(
        category: str | None = None,
        min_price: float | None = None,
        max_price: float | None = None,
        sort: Literal["price_asc", "price_desc", "rating"] = "price_asc",
        in_stock: bool = True,
        limit: int = 8,
    ) -> tuple[str, dict[str, Any]]:
        """List products of a category within a price range, sorted by price or rating.

        Use for "the cheapest laptops", "best rated frying pans under $40".

        Args:
            category: a store category, e.g. "Laptops" (unknown values return the valid list).
            min_price: lowest price.
            max_price: highest price.
            sort: price_asc (cheapest first), price_desc, or rating (best rated first).
            in_stock: only products in stock now (default true).
            limit: how many (1-20).
        """
        return browse(catalog, category, min_price, max_price, sort, in_stock, limit)

    return browse_by_price
