"""Hybrid product search: dense (Chroma) + lexical (SQL full text), fused by reciprocal rank.

Filters resolve in SQL, the source of truth for price and stock, and act *inside* retrieval:
- lexical: the full-text query joins the qualifying-products subquery, so SQL returns the best
  qualifying matches directly;
- dense: Chroma is asked for an over-fetched neighbour list which SQL then checks; when too few
  of those qualify, the qualifying set is materialised and scored exactly against the cached
  vectors. Either way a filtered query returns k hits whenever k products qualify.

A Chroma failure or timeout degrades the search to lexical + SQL and flags it `degraded`.
"""

from __future__ import annotations

import concurrent.futures
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import column, select, table, text

from catalog.constraints import (
    Constraints,
    Resolved,
    UnknownValue,
    Vocabulary,
    product_conditions,
    qualifies,
    qualifying_ids,
    resolve,
    variant_conditions,
)
from catalog.embedding import Encoder
from catalog.index import DenseHit, VectorIndex
from catalog.models import Product, Variant
from catalog.store import CatalogStore, search_tokens

log = logging.getLogger(__name__)

RRF_K = 60
_WALK_LIMIT = 4000  # products of the exact ranking checked before materialising the filter
_WALK_BATCH = 500
# Calibrated on the demo catalog (bench/retrieval_quality.py): queries for things the store
# does not sell top out below this cosine similarity; real requests sit above it.
NO_MATCH_SIMILARITY = 0.35


@dataclass(frozen=True)
class Hit:
    """One ranked product, with the variant through which it qualifies."""

    product_id: str
    title: str
    brand: str | None
    category: str
    rating: float | None
    price: float
    currency: str
    in_stock: bool
    variant_id: str
    variant_options: dict[str, str]
    stock: int | None
    score: float
    rank: int
    similarity: float | None
    dense_rank: int | None
    lexical_rank: int | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (`id` is the product id)."""
        return {
            "id": self.product_id,
            "title": self.title,
            "brand": self.brand,
            "category": self.category,
            "rating": self.rating,
            "price": self.price,
            "currency": self.currency,
            "in_stock": self.in_stock,
            "variant_id": self.variant_id,
            "variant": self.variant_options,
            "stock": self.stock,
            "score": round(self.score, 6),
            "rank": self.rank,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
        }


@dataclass
class SearchResult:
    """Ranked hits plus what the caller must know about how they were found."""

    query: str
    hits: list[Hit]
    no_match: bool = False
    degraded: bool = False
    degraded_reason: str | None = None
    unknown: UnknownValue | None = None
    applied: dict[str, Any] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)


def rrf(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal-rank fusion: each list contributes 1 / (k + rank) for every id it ranks."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, pid in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (k + rank)
    return scores


class Searcher:
    """The one search function the tools call: text + constraints → ranked hits."""

    def __init__(
        self,
        store: CatalogStore,
        index_factory: Callable[[], VectorIndex],
        encoder: Encoder,
        *,
        no_match_similarity: float = NO_MATCH_SIMILARITY,
        dense_timeout_s: float = 5.0,
    ) -> None:
        self.store = store
        self.encoder = encoder
        self.no_match_similarity = no_match_similarity
        self.dense_timeout_s = dense_timeout_s
        self._index_factory = index_factory
        self._index: VectorIndex | None = None
        self._version: str | None = None
        self._vocab: Vocabulary | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self._matrix: _Matrix | None = None

    # -- freshness -----------------------------------------------------------------------

    def refresh(self) -> bool:
        """Notice a new catalog version (an ingest by another process); return True if new."""
        version = self.store.version()
        if version == self._version:
            return False
        self._version = version
        self._vocab = None
        self._index = None  # reopened lazily: a new client sees the other process's writes
        return True

    @property
    def vocabulary(self) -> Vocabulary:
        """The catalog's categories, brands and option values (cached per version)."""
        if self._vocab is None:
            with self.store.session() as session:
                self._vocab = Vocabulary.load(session)
        return self._vocab

    def index(self) -> VectorIndex:
        """The vector index, opened on first use."""
        if self._index is None:
            self._index = self._index_factory()
        return self._index

    # -- search --------------------------------------------------------------------------

    def search(
        self, query: str, constraints: Constraints | None = None, k: int = 10
    ) -> SearchResult:
        """Rank up to `k` qualifying products for `query`; never raises for bad input."""
        started = time.perf_counter()
        self.refresh()
        constraints = constraints or Constraints()
        try:
            rc = resolve(constraints, self.vocabulary)
        except UnknownValue as exc:
            return SearchResult(query=query, hits=[], unknown=exc)
        result = SearchResult(query=query, hits=[], applied=_applied(constraints, rc))
        depth = max(k * 3, 30)

        dense: list[tuple[str, float]] = []
        best_any = 0.0
        lexical: list[str] = []
        if query.strip():
            t0 = time.perf_counter()
            vector = self.embed_query(query)
            result.timings_ms["embed"] = round((time.perf_counter() - t0) * 1000, 2)
            started = time.perf_counter()  # the query embedding is timed on its own
            # Dense (Chroma, in the pool) and lexical (SQL, here) run side by side.
            future = self._pool.submit(self._dense_ranked, vector, rc, depth)
            lexical = self._lexical(query, rc, depth, widen=False)
            try:
                dense, best_any = future.result(timeout=self.dense_timeout_s)
            except Exception as exc:  # noqa: BLE001 - any vector-store failure degrades
                if isinstance(exc, concurrent.futures.TimeoutError):
                    exc = TimeoutError(f"vector search took over {self.dense_timeout_s}s")
                log.warning("dense search failed, degrading to lexical: %s", exc)
                result.degraded = True
                result.degraded_reason = f"vector search unavailable ({type(exc).__name__}: {exc})"
                # Alone, lexical widens to any-word matches so the shopper still gets k hits.
                lexical = self._lexical(query, rc, depth, widen=True)
        t_retrieved = time.perf_counter()

        if not query.strip():
            ranked = self._browse(rc, k)
            similarity: dict[str, float] = {}
            fused = {pid: 1.0 / (RRF_K + i) for i, pid in enumerate(ranked, start=1)}
        else:
            similarity = dict(dense)
            fused = rrf([[pid for pid, _ in dense], lexical])
        top = sorted(fused, key=lambda pid: (-fused[pid], pid))[:k]
        result.hits = self._hydrate(top, rc, fused, similarity, dense, lexical)
        if query.strip():
            # "Does the store sell this at all?" is judged on the best match in the whole
            # catalog, so a budget or size filter that excludes everything is not a no-match.
            result.no_match = (
                not lexical if result.degraded else best_any < self.no_match_similarity
            )
        result.timings_ms |= {
            "retrieval": round((t_retrieved - started) * 1000, 2),
            "total": round((time.perf_counter() - started) * 1000, 2),
        }
        return result

    def embed_query(self, query: str) -> np.ndarray:
        """The query vector (kept separate so benchmarks can time it apart)."""
        return self.encoder.encode([query])[0]

    def dense(self, vector: np.ndarray, rc: Resolved, depth: int) -> list[tuple[str, float]]:
        """Top `depth` qualifying products by cosine similarity, as (id, similarity)."""
        return self._dense_ranked(vector, rc, depth)[0]

    def _dense_ranked(
        self, vector: np.ndarray, rc: Resolved, depth: int
    ) -> tuple[list[tuple[str, float]], float]:
        """Qualifying (id, similarity) best first, and the best similarity in the catalog."""
        index = self.index()
        if rc.is_empty:
            hits = index.query(vector, depth)
            return [(h.product_id, h.similarity) for h in hits], _best(hits)
        total = index.count()
        hits = index.query(vector, min(total, max(depth * 4, 100)))
        best_any = _best(hits)
        with self.store.session() as session:
            ok = set(
                session.scalars(
                    qualifying_ids(rc).where(Product.id.in_([h.product_id for h in hits]))
                )
            )
        found = [(h.product_id, h.similarity) for h in hits if h.product_id in ok]
        if len(found) >= depth or len(hits) >= total:
            return found[:depth], best_any
        if rc.categories or rc.brands:
            # A category or brand bounds the qualifying set through an index: materialise it.
            with self.store.session() as session:
                ids = list(session.scalars(qualifying_ids(rc)))
            return self._exact(vector, ids, depth), best_any
        return self._walk(vector, rc, depth), best_any

    def _walk(self, vector: np.ndarray, rc: Resolved, depth: int) -> list[tuple[str, float]]:
        """Exact ranking of the whole catalog, checked against the filter in batches.

        Too few of the nearest neighbours qualified. A broad filter still finds `depth`
        qualifying products within the first few thousand of the exact ranking; a selective
        one has a small qualifying set, which is then materialised and scored directly.
        """
        matrix = self._vectors()
        if not matrix.ids:
            return []
        scores = matrix.vectors @ vector.astype(np.float32)
        head = min(len(scores), _WALK_LIMIT)
        top = np.argpartition(-scores, head - 1)[:head]
        top = top[np.argsort(-scores[top])]
        found: list[tuple[str, float]] = []
        for start in range(0, len(top), _WALK_BATCH):
            batch = [matrix.ids[i] for i in top[start : start + _WALK_BATCH]]
            with self.store.session() as session:
                ok = set(
                    session.scalars(
                        qualifying_ids(rc).where(
                            Variant.product_id.in_(batch)
                            if rc.filters_variants
                            else Product.id.in_(batch)
                        )
                    )
                )
            found += [(pid, float(scores[matrix.row[pid]])) for pid in batch if pid in ok]
            if len(found) >= depth:
                return found[:depth]
        if head == len(scores):
            return found  # the whole catalog was walked: this is everything that qualifies
        with self.store.session() as session:
            ids = list(session.scalars(qualifying_ids(rc)))
        return self._exact(vector, ids, depth)

    def _exact(self, vector: np.ndarray, ids: list[str], depth: int) -> list[tuple[str, float]]:
        """Exact cosine over a materialised qualifying set, against the in-memory matrix."""
        matrix = self._vectors()
        rows = [matrix.row[pid] for pid in ids if pid in matrix.row]
        if not rows:
            return []
        scores = matrix.vectors[rows] @ vector.astype(np.float32)
        order = np.argsort(-scores)[:depth]
        return [(matrix.ids[rows[i]], float(scores[i])) for i in order]

    def _vectors(self) -> _Matrix:
        """Every product's vector (from the embedding cache), loaded once per catalog version."""
        if self._matrix is None or self._matrix.version != self._version:
            with self.store.session() as session:
                ids = list(session.scalars(select(Product.id).order_by(Product.id)))
            found = self.store.product_vectors(self.encoder.model_name, ids)
            keep = [pid for pid in ids if pid in found]
            vectors = (
                np.stack([found[pid] for pid in keep])
                if keep
                else np.zeros((0, 384), dtype=np.float32)
            )
            self._matrix = _Matrix(
                self._version, keep, {pid: i for i, pid in enumerate(keep)}, vectors
            )
        return self._matrix

    def _lexical(self, query: str, rc: Resolved, depth: int, widen: bool = True) -> list[str]:
        """Best qualifying full-text matches, best first.

        Products matching every query word rank first; with `widen`, any-word matches fill
        the list when that gives fewer than `depth`. Qualification is a correlated condition
        per match, so its cost follows the number of matches rather than the catalog size.
        """
        tokens = search_tokens(query)
        if not tokens:
            return []
        fts = table("product_fts", column("product_id"))
        found: list[str] = []
        for mode in ("and", "or") if widen and len(tokens) > 1 else ("and",):
            match = self.store.match_expression(tokens, mode)
            if self.store.is_sqlite:
                where = text("product_fts MATCH :q").bindparams(q=match)
            else:
                where = text("document @@ to_tsquery('english', :q)").bindparams(q=match)
            stmt = (
                select(fts.c.product_id)
                .where(where, qualifies(fts.c.product_id, rc))
                .order_by(
                    text(self.store.lexical_ranking()).bindparams(q=match)
                    if not self.store.is_sqlite
                    else text(self.store.lexical_ranking())
                )
                .limit(depth + len(found))
            )
            with self.store.session() as session:
                for pid in session.scalars(stmt):
                    if pid not in found:
                        found.append(pid)
            if len(found) >= depth:
                break
        return found[:depth]

    def _browse(self, rc: Resolved, k: int) -> list[str]:
        """No query text: qualifying products, best rated first."""
        with self.store.session() as session:
            stmt = (
                select(Product.id)
                .where(Product.id.in_(qualifying_ids(rc)))
                .order_by(Product.in_stock.desc(), Product.rating.desc(), Product.id)
                .limit(k)
            )
            return list(session.scalars(stmt))

    def _hydrate(
        self,
        ids: list[str],
        rc: Resolved,
        fused: dict[str, float],
        similarity: dict[str, float],
        dense: list[tuple[str, float]],
        lexical: list[str],
    ) -> list[Hit]:
        dense_rank = {pid: i for i, (pid, _) in enumerate(dense, start=1)}
        lexical_rank = {pid: i for i, pid in enumerate(lexical, start=1)}
        # Plain column reads, not ORM objects: hydration runs on every search.
        with self.store.session() as session:
            products = {
                row.id: row
                for row in session.execute(
                    select(
                        Product.id, Product.title, Product.brand, Product.category, Product.rating
                    ).where(Product.id.in_(ids))
                )
            }
            fits: dict[str, Any] = {}
            variants = session.execute(
                select(
                    Variant.id,
                    Variant.product_id,
                    Variant.position,
                    Variant.options,
                    Variant.price,
                    Variant.currency,
                    Variant.stock,
                    Variant.available,
                )
                .join(Product, Product.id == Variant.product_id)
                .where(
                    Variant.product_id.in_(ids), *variant_conditions(rc), *product_conditions(rc)
                )
            )
            for v in variants:
                best = fits.get(v.product_id)
                if best is None or _fit_key(v) < _fit_key(best):
                    fits[v.product_id] = v
        hits: list[Hit] = []
        for pid in ids:
            product = products.get(pid)
            variant = fits.get(pid)
            if product is None or variant is None:
                continue  # deleted or changed since retrieval: SQL has the last word
            hits.append(
                Hit(
                    product_id=pid,
                    title=product.title,
                    brand=product.brand,
                    category=product.category,
                    rating=product.rating,
                    price=float(variant.price),
                    currency=variant.currency,
                    in_stock=_in_stock(variant),
                    variant_id=variant.id,
                    variant_options=dict(variant.options or {}),
                    stock=variant.stock,
                    score=fused[pid],
                    rank=len(hits) + 1,
                    similarity=similarity.get(pid),
                    dense_rank=dense_rank.get(pid),
                    lexical_rank=lexical_rank.get(pid),
                )
            )
        return hits


@dataclass(frozen=True)
class _Matrix:
    """All product vectors of one catalog version, row-aligned with `ids`."""

    version: str | None
    ids: list[str]
    row: dict[str, int]
    vectors: np.ndarray


def _in_stock(variant: Any) -> bool:
    return bool(variant.available) and (variant.stock is None or variant.stock > 0)


def _fit_key(variant: Any) -> tuple[bool, float, int]:
    """The same preference as constraints.fitting_variants: in stock, then cheapest, then first."""
    return (not _in_stock(variant), float(variant.price), variant.position)


def _best(hits: Sequence[DenseHit]) -> float:
    return max((h.similarity for h in hits), default=0.0)


def _applied(constraints: Constraints, rc: Resolved) -> dict[str, Any]:
    applied: dict[str, Any] = {
        k: v
        for k, v in constraints.model_dump().items()
        if v not in (None, False, [], {}) and k != "exclude_ids"
    }
    applied.update({f"{k}_matched": v for k, v in rc.labels.items()})
    return applied
