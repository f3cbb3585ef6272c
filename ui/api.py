"""The JSON endpoints beside the chat: health, recommendations for a storefront, popular items.

Built on the same `Searcher` and `Constraints` as the assistant's tools, so "in stock", "fits
the budget" and option matching mean exactly the same thing here. No Chainlit import: the app
mounts `create_router(...)` in front of Chainlit's catch-all route with `install_routes`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlalchemy import select, text
from starlette.concurrency import run_in_threadpool

from catalog.constraints import Constraints, UnknownValue
from catalog.models import Product
from catalog.search import Hit, SearchResult, rrf
from catalog.service import Catalog
from ui.api_input import MAX_BODY_BYTES, ApiError, query_dict, read_json, validated

log = logging.getLogger(__name__)

MAX_COUNT = 50
MAX_SESSION_ITEMS = 50
MAX_EXCLUDE = 200
SIGNAL_ITEMS = 5  # the most recent viewed products that seed "more like these"

ProductId = Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=True)]


@dataclass
class ApiState:
    """What the routes read: the open catalog and a description of the model."""

    catalog: Catalog
    model_name: str = "offline"
    model_mode: Literal["remote", "offline"] = "offline"
    # "ok" or "error: ..." for conversation storage (agent.storage_health.StorageHealth.status)
    storage: Callable[[], str] | None = None
    # chat sessions this process holds in memory (open, or closed and kept for a reconnect)
    sessions: Callable[[], int] | None = None


class PriceRange(BaseModel):
    """A finite, ordered price range (min > max is an error, never silently swapped)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    min_price: float | None = Field(default=None, ge=0)
    max_price: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> PriceRange:
        if (
            self.min_price is not None
            and self.max_price is not None
            and self.min_price > self.max_price
        ):
            raise ValueError("min_price must not be greater than max_price")
        return self


class Filters(PriceRange):
    """Hard filters, as in the assistant's search tool."""

    category: str | None = Field(default=None, max_length=200)
    brand: str | None = Field(default=None, max_length=200)
    options: dict[str, Annotated[str, StringConstraints(max_length=100)]] = Field(
        default_factory=dict, max_length=10
    )


class RecommendationRequest(BaseModel):
    """POST /api/recommendations body."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    user_id: str | None = Field(default=None, max_length=128)
    session_items: list[ProductId] = Field(default_factory=list, max_length=MAX_SESSION_ITEMS)
    exclude: list[ProductId] = Field(default_factory=list, max_length=MAX_EXCLUDE)
    # strict: JSON `true` or "5" is not a count
    count: int = Field(default=10, ge=1, le=MAX_COUNT, strict=True)
    filters: Filters | None = None


class PopularQuery(PriceRange):
    """GET /api/popular query parameters (unknown ones are refused, as in the POST body)."""

    count: int = Field(default=10, ge=1, le=MAX_COUNT)
    category: str | None = Field(default=None, max_length=200)
    brand: str | None = Field(default=None, max_length=200)


class RecommendedItem(BaseModel):
    """One ranked product (facts from SQL)."""

    id: str
    title: str
    brand: str | None
    category: str
    rating: float | None
    price: float
    currency: str
    in_stock: bool
    stock: int | None
    variant_id: str
    variant: dict[str, str]
    rank: int
    source: Literal["similar", "popular"]
    request_id: str


class RecommendationResponse(BaseModel):
    """The ranked list and how it was made."""

    request_id: str
    strategy: Literal["similar", "popular", "mixed"]
    items: list[RecommendedItem]


def _unknown_422(exc: UnknownValue, loc: list[str]) -> HTTPException:
    return HTTPException(
        status_code=422,
        detail=[
            {
                "loc": [*loc, exc.field_name],
                "msg": f"unknown {exc.field_name} {exc.value!r}",
                "type": "unknown_value",
                "valid": exc.valid[:50],
            }
        ],
    )


def _constraints(filters: Filters | None, exclude: list[str]) -> Constraints:
    data: dict[str, Any] = filters.model_dump() if filters else {}
    return Constraints(**data, in_stock=True, exclude_ids=exclude)


def _existing_ids(catalog: Catalog, ids: list[str]) -> list[str]:
    """The given ids that name products, in the given order (unknown ids are ignored)."""
    if not ids:
        return []
    with catalog.store.session() as session:
        found = set(session.scalars(select(Product.id).where(Product.id.in_(ids))))
    return [pid for pid in ids if pid in found]


def _check(result: SearchResult, loc: list[str]) -> SearchResult:
    if result.unknown is not None:
        raise _unknown_422(result.unknown, loc)
    return result


def popular(
    catalog: Catalog, count: int, constraints: Constraints, loc: list[str] | None = None
) -> list[Hit]:
    """Best-rated in-stock products that qualify (the no-signal fallback)."""
    c = constraints.model_copy(update={"in_stock": True})
    return _check(catalog.searcher.search("", c, k=count), loc or ["query"]).hits


def recommend(catalog: Catalog, request: RecommendationRequest) -> RecommendationResponse:
    """Rank in-stock products like the ones viewed, never ones already seen or excluded."""
    request_id = uuid.uuid4().hex
    viewed = _existing_ids(catalog, list(dict.fromkeys(request.session_items)))
    excluded = list(dict.fromkeys([*request.session_items, *request.exclude]))
    constraints = _constraints(request.filters, excluded)
    loc = ["body", "filters"]

    similar: list[Hit] = []
    if viewed:
        seeds = viewed[-SIGNAL_ITEMS:]
        with catalog.store.session() as session:
            rows = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(seeds)))}
        rankings: list[list[str]] = []
        by_id: dict[str, Hit] = {}
        for pid in reversed(seeds):  # most recent first
            product = rows[pid]
            query = f"{product.title} {product.category}"
            result = _check(catalog.searcher.search(query, constraints, k=request.count), loc)
            rankings.append([h.product_id for h in result.hits])
            for hit in result.hits:
                by_id.setdefault(hit.product_id, hit)
        fused = rrf(rankings)
        similar = [by_id[p] for p in sorted(fused, key=lambda p: (-fused[p], p))]
        similar = similar[: request.count]

    fill: list[Hit] = []
    if len(similar) < request.count:
        taken = [h.product_id for h in similar]
        more = constraints.model_copy(update={"exclude_ids": [*excluded, *taken]})
        fill = popular(catalog, request.count - len(similar), more, loc)

    items = [
        _item(hit, rank, "similar", request_id) for rank, hit in enumerate(similar, start=1)
    ] + [
        _item(hit, rank, "popular", request_id)
        for rank, hit in enumerate(fill, start=len(similar) + 1)
    ]
    strategy = "similar" if not fill else ("popular" if not similar else "mixed")
    return RecommendationResponse(request_id=request_id, strategy=strategy, items=items)


def _item(hit: Hit, rank: int, source: str, request_id: str) -> RecommendedItem:
    return RecommendedItem(
        id=hit.product_id,
        title=hit.title,
        brand=hit.brand,
        category=hit.category,
        rating=hit.rating,
        price=hit.price,
        currency=hit.currency,
        in_stock=hit.in_stock,
        stock=hit.stock,
        variant_id=hit.variant_id,
        variant=hit.variant_options,
        rank=rank,
        source=source,  # type: ignore[arg-type]
        request_id=request_id,
    )


def health(state: ApiState) -> tuple[int, dict[str, Any]]:
    """The health report and its HTTP status (503 only when SQL is unreachable).

    `stores.storage` says whether conversations can be written (a full disk or read-only
    data dir makes it "error: ...", and the status "degraded": the chat still answers).
    """
    catalog = state.catalog
    stores: dict[str, str] = {}
    products: int | None = None
    version: str | None = None
    try:
        with catalog.store.session() as session:
            session.execute(text("SELECT 1"))
        products = catalog.store.product_count()
        version = catalog.store.version()
        stores["sql"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        stores["sql"] = f"error: {type(exc).__name__}"
    try:
        catalog.searcher.index().count()
        stores["vectors"] = "ok"
    except Exception as exc:  # noqa: BLE001
        stores["vectors"] = f"error: {type(exc).__name__}"
    if state.storage is not None:
        try:
            stores["storage"] = state.storage()
        except Exception as exc:  # noqa: BLE001
            stores["storage"] = f"error: {type(exc).__name__}"
    ok = all(v == "ok" for v in stores.values())
    body = {
        "status": "ok" if ok else "degraded",
        "catalog": {"products": products, "version": version},
        "model": {"name": state.model_name, "mode": state.model_mode},
        "stores": stores,
    }
    if state.sessions is not None:
        body["sessions"] = state.sessions()
    return (200 if stores["sql"] == "ok" else 503), body


def create_router(get_state: Callable[[], ApiState]) -> APIRouter:
    """The routes, reading the state lazily (the catalog may open after the routes exist)."""
    router = APIRouter()

    @router.get("/healthz")
    def healthz() -> JSONResponse:
        status, body = health(get_state())
        return JSONResponse(body, status_code=status)

    @router.post(
        "/api/recommendations",
        response_model=RecommendationResponse,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": RecommendationRequest.model_json_schema()}
                },
            }
        },
    )
    async def recommendations(request: Request) -> Response:
        # The body is read and validated here, not by FastAPI: its size is capped while it
        # streams in, NaN/Infinity are refused, and a 422 never echoes the input back.
        try:
            data = await read_json(request, MAX_BODY_BYTES)
            body = validated(RecommendationRequest, data, ["body"])
            result = await run_in_threadpool(recommend, get_state().catalog, body)
        except ApiError as exc:
            return exc.response()
        except HTTPException as exc:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return JSONResponse(result.model_dump(mode="json"))

    @router.get("/api/popular", response_model=RecommendationResponse)
    def popular_items(request: Request) -> Response:
        try:
            query = validated(PopularQuery, query_dict(request), ["query"])
        except ApiError as exc:
            return exc.response()
        request_id = uuid.uuid4().hex
        constraints = Constraints(
            category=query.category or None,
            brand=query.brand or None,
            min_price=query.min_price,
            max_price=query.max_price,
            in_stock=True,
        )
        try:
            hits = popular(get_state().catalog, query.count, constraints, ["query"])
        except HTTPException as exc:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        items = [_item(h, i, "popular", request_id) for i, h in enumerate(hits, start=1)]
        body = RecommendationResponse(request_id=request_id, strategy="popular", items=items)
        return JSONResponse(body.model_dump(mode="json"))

    return router


def install_routes(app: FastAPI, router: APIRouter) -> None:
    """Add `router`'s routes at the front, ahead of Chainlit's catch-all `/{full_path:path}`."""
    before = len(app.router.routes)
    app.include_router(router)
    added = app.router.routes[before:]
    del app.router.routes[before:]
    app.router.routes[0:0] = added
