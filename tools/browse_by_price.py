"""browse_by_price: a category (or everything) within a price range, sorted by price or rating."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.tools import BaseTool, tool

from catalog.constraints import Constraints, UnknownValue, fitting_variants, qualifying_ids, resolve
from catalog.models import Product
from catalog.normalize import fold
from catalog.service import Catalog
from tools.rendering import as_data, item_line, load_products, variant_dict


def browse(
    catalog: Catalog,
    category: str | None,
    min_price: float | None,
    max_price: float | None,
    sort: str,
    in_stock: bool,
    limit: int,
    features: list[str] | None = None,
    options: dict[str, str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """SQL browse; never raises. `features` (words like "4-season") rank first the products
    whose title or attribute values contain the most of them; when none does, they are
    ignored and the artifact says so (`features_matched` false)."""
    artifact: dict[str, Any] = {"tool": "browse_by_price", "ids": [], "items": []}
    try:
        constraints = Constraints(
            category=category or None,
            min_price=min_price,
            max_price=max_price,
            in_stock=in_stock,
            options=options or {},
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
        wanted = [f for f in (fold(str(x)) for x in features or []) if f]
        hits = {i["id"]: _feature_hits(products[i["id"]], wanted) for i in items} if wanted else {}
    # A feature few products have says more than a common one: weigh each by its rarity.
    common = {w: sum(1 for h in hits.values() if w in h) for w in wanted}
    matches = {pid: sum(1 / common[w] for w in h) for pid, h in hits.items()}
    if wanted:
        artifact["features_matched"] = any(matches.values())
    if sort == "price_desc":
        items.sort(key=lambda i: (-i["price"], i["id"]))
    elif sort == "rating":
        items.sort(key=lambda i: (-(i["rating"] or 0), i["price"], i["id"]))
    else:
        items.sort(key=lambda i: (i["price"], i["id"]))
    if wanted and artifact["features_matched"]:
        items = [i for i in items if matches[i["id"]]]
        items.sort(key=lambda i: -matches[i["id"]])  # stable: the chosen order breaks ties
    items = items[: max(1, min(int(limit), 20))]
    artifact["ids"] = [i["id"] for i in items]
    artifact["items"] = items
    label = ", ".join(rc.labels.get("category", [])) or "all categories"
    header = f"{len(items)} products in {label} sorted by {sort}:"
    one_category = len(rc.labels.get("category", [])) == 1
    return as_data(header, [item_line(i, category=not one_category) for i in items]), artifact


def _feature_hits(product: Product, wanted: list[str]) -> set[str]:
    """How many of the folded feature phrases the product's title or attribute values hold."""
    values = [product.title]
    for k, v in (product.attributes or {}).items():
        if v is True:
            values.append(k)  # "noise_cancelling": true has the feature; false has not
        elif v is not False and not isinstance(v, dict | list):
            values.append(f"{k} {v}")
    text = f" {' '.join(fold(str(v)) for v in values)} "
    return {w for w in wanted if f" {w} " in text}


def make_browse_by_price(catalog: Catalog) -> BaseTool:
    """Bind browse_by_price to a catalog."""

    @tool("browse_by_price", response_format="content_and_artifact")
    def browse_by_price(
        category: str | None = None,
        min_price: float | None = None,
        max_price: float | None = None,
        sort: Literal["price_asc", "price_desc", "rating"] = "price_asc",
        in_stock: bool = True,
        limit: int = 6,
        features: list[str] | None = None,
        options: dict[str, str] | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """A category's products in a price range, sorted by price or by rating: for the
        cheapest or the best rated of a kind.

        Args:
            category: store category (an unknown one returns the valid ones).
            min_price: price floor.
            max_price: price cap.
            sort: price_asc is cheapest first, rating is best rated first.
            in_stock: in stock now only.
            limit: 1-20.
            features: words from the shopper's request the products should have; most
                matches first.
            options: option name to value, only those the shopper stated.
        """
        return browse(
            catalog, category, min_price, max_price, sort, in_stock, limit, features, options
        )

    return browse_by_price
