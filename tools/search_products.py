"""search_products: hybrid search with price/category/brand/option/stock filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import InjectedState

from catalog.constraints import Constraints
from catalog.normalize import normalize_value
from catalog.search import SearchResult
from catalog.service import Catalog
from tools.fit import excluded_terms_in
from tools.rendering import as_data, clean, item_line
from tools.request import ShopperRequest, request_in

# extra hits fetched when the shopper ruled some out, so a page of them still leaves a result
EXCLUSION_HEADROOM = 10

# (query, candidate items) -> items best first; e.g. agent.rerank.LLMReranker. It may carry a
# `candidates` attribute: how many hits to retrieve for it (default 20).
Reranker = Callable[[str, list[dict[str, Any]]], list[dict[str, Any]]]


def _hit_items(result: SearchResult) -> list[dict[str, Any]]:
    items = []
    for h in result.hits:
        item = h.as_dict()
        items.append({k: item[k] for k in item if k not in ("dense_rank", "lexical_rank", "rank")})
    return items


def run_search(
    catalog: Catalog,
    query: str,
    constraints: Constraints,
    limit: int,
    reranker: Reranker | None = None,
    ruled_out: Callable[[dict[str, Any]], bool] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The search itself (also used by the offline planner's fallbacks and the evals).

    With a `reranker`, more candidates are retrieved and it picks and orders what is shown.
    `ruled_out(item)`: what the shopper excluded by a word or a brand ("no headlamps") is left
    out of the result while anything else is found (every pick is checked against it anyway;
    leaving it out keeps the candidates the model reads to what can be picked).
    """
    rerank = reranker is not None and bool(query.strip())
    k = max(limit, int(getattr(reranker, "candidates", 20))) if rerank else limit
    if ruled_out is not None:
        k += EXCLUSION_HEADROOM
    try:
        result = catalog.searcher.search(query, constraints, k=k)
    except Exception as exc:  # noqa: BLE001 - a tool never raises
        return f"search failed: {type(exc).__name__}; try again with fewer filters.", {
            "tool": "search_products",
            "ids": [],
            "error": str(exc),
        }
    artifact: dict[str, Any] = {
        "tool": "search_products",
        "query": query,
        "constraints": constraints.model_dump(exclude_defaults=True),
        "ids": [],
        "items": [],
        "no_match": result.no_match,
        "degraded": result.degraded,
        "degraded_reason": result.degraded_reason,
        "alternatives": [],
    }
    if result.unknown is not None:
        u = result.unknown
        artifact["unknown"] = {"field": u.field_name, "value": u.value, "valid": u.valid[:60]}
        valid = ", ".join(u.valid[:60])
        return (
            f"The store has no {u.field_name} {u.value!r}. Valid {u.field_name} values: {valid}. "
            "Retry with one of these, or without that filter."
        ), artifact
    items = _hit_items(result)
    if result.on_topic is not None:
        # only what the request is about: "camping" around $60 is not a "Campfire" hoodie
        # (catalog/topic.py); with none of it left, the shopper hears so, with alternatives
        items = [i for i in items if i["id"] in result.on_topic]
    if ruled_out is not None:
        items = [i for i in items if not ruled_out(i)]
    notes: list[str] = []
    if result.degraded:
        notes.append(
            "NOTE: search is degraded (vector search unavailable); results come from keyword "
            "search only. Tell the shopper results may be less complete."
        )
    filtered = bool(constraints.category or constraints.brand)
    if not items or (result.no_match and not filtered):
        alternatives = nearest_alternatives(catalog, query, constraints, limit=4)
        if ruled_out is not None:
            alternatives = [a for a in alternatives if not ruled_out(a)]
        artifact["alternatives"] = [a["id"] for a in alternatives]
        artifact["ids"] = [a["id"] for a in alternatives]
        artifact["items"] = alternatives
        header = (
            "No product in the store matches this request"
            + (" with these filters" if not constraints.is_empty() else "")
            + ". Tell the shopper honestly the store does not carry it"
            + (", and offer these nearest alternatives:" if alternatives else ".")
        )
        return as_data(" ".join([*notes, header]), [item_line(a) for a in alternatives]), artifact
    if rerank and reranker is not None and len(items) > 1:
        try:
            ranked = reranker(query, items)
        except Exception:  # noqa: BLE001 - a tool never raises
            ranked = []
        known = {i["id"] for i in items}
        ranked = [i for i in ranked if isinstance(i, dict) and i.get("id") in known]
        items = (ranked or items)[:limit]
        artifact["reranked"] = bool(ranked)
    else:
        items = items[:limit]
    artifact["ids"] = [i["id"] for i in items]
    artifact["items"] = items
    applied = ", ".join(f"{k}={v}" for k, v in result.applied.items() if not k.endswith("_matched"))
    header = f"{len(items)} products match {clean(query, 120)!r}" + (
        f" (filters: {applied})" if applied else ""
    )
    # what the header's filters already say is not repeated on every line (prompt tokens)
    lines = [
        item_line(
            i,
            category="category" not in result.applied,
            stock=not constraints.in_stock,
            variant=False,
        )
        for i in items
    ]
    return as_data(" ".join([*notes, header + ":"]), lines), artifact


def nearest_alternatives(
    catalog: Catalog, query: str, constraints: Constraints, limit: int = 4
) -> list[dict[str, Any]]:
    """When nothing matches: the closest items, found by dropping one kind of requirement at a
    time — price first, then options, then both — within the category asked for (else the
    category nearest to the query). The items do not fit; the answer labels what they miss."""
    try:
        base = constraints.model_copy(update={"in_stock": True})
        if not base.category:
            loose = catalog.searcher.search(
                query, Constraints(exclude_ids=constraints.exclude_ids), k=5
            )
            if not loose.hits:
                return []
            base = base.model_copy(update={"category": loose.hits[0].category})
        no_price = {"min_price": None, "max_price": None}
        priced = base.max_price is not None or base.min_price is not None
        for relaxed, by_price in (
            (base.model_copy(update=no_price), priced),
            (base.model_copy(update={"options": {}}), False),
            (base.model_copy(update={**no_price, "options": {}, "brand": None}), priced),
        ):
            found = catalog.searcher.search(query, relaxed, k=60 if by_price else limit)
            if found.hits:
                items = _hit_items(found)
                if by_price:  # over budget: the nearest prices first
                    target = base.max_price if base.max_price is not None else 0.0
                    items.sort(key=lambda i: abs(i["price"] - target))
                return items[:limit]
        return []
    except Exception:  # noqa: BLE001
        return []


def ruled_out_by(req: ShopperRequest) -> Callable[[dict[str, Any]], bool]:
    """Whether a hit is something the shopper ruled out by a word of its title or its brand."""
    brands = {normalize_value(b) for b in req.exclude_brands}

    def ruled_out(item: dict[str, Any]) -> bool:
        if normalize_value(str(item.get("brand") or "")) in brands:
            return True
        return bool(excluded_terms_in(req, str(item.get("title") or "")))

    return ruled_out


def make_search_products(catalog: Catalog, reranker: Reranker | None = None) -> BaseTool:
    """Bind search_products to a catalog (and optionally a re-ranker of its results)."""

    @tool("search_products", response_format="content_and_artifact")
    def search_products(
        query: str,
        state: Annotated[dict, InjectedState],
        max_price: float | None = None,
        min_price: float | None = None,
        category: str | None = None,
        brand: str | None = None,
        options: dict[str, str] | None = None,
        in_stock: bool = False,
        exclude_shown: bool = True,
        limit: int = 6,
    ) -> tuple[str, dict[str, Any]]:
        """Search the catalog; every filter applies to one variant together.

        Args:
            query: what the shopper is looking for, in their words.
            max_price: the shopper's budget cap, as a number; only when they stated one.
            min_price: price floor; only when the shopper stated one.
            category: store category (an unknown one returns the valid ones).
            brand: brand (an unknown one returns the valid ones).
            options: option name to value, only those the shopper stated.
            in_stock: in stock now only.
            exclude_shown: skip products already shown.
            limit: 1-20.
        """
        req = request_in(state or {})
        # What the shopper ruled out is always excluded; what was shown, unless asked again.
        shown = [s.product_id for s in req.shown] if exclude_shown else []
        shown += [pid for pid in req.excluded_ids() if pid not in shown]
        try:
            constraints = Constraints(
                min_price=min_price,
                max_price=max_price,
                category=category or None,
                brand=brand or None,
                options={k: str(v) for k, v in (options or {}).items() if v},
                in_stock=in_stock,
                exclude_ids=shown,
            )
        except Exception as exc:  # noqa: BLE001
            return f"invalid filters: {exc}", {"tool": "search_products", "ids": []}
        return run_search(
            catalog,
            query,
            constraints,
            max(1, min(int(limit), 20)),
            reranker,
            ruled_out=ruled_out_by(req) if req.exclude_terms or req.exclude_brands else None,
        )

    return search_products
