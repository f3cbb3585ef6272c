"""Hybrid product search: dense (Chroma) + lexical (SQL full text), fused by reciprocal rank.

Filters act *inside* retrieval, with SQL's meaning of "qualifies" (`catalog.constraints`):
a per-version columnar copy of the filter facts (`catalog.filter_index`) turns the filter into
a mask over all products in a few milliseconds, then
- lexical: SQLite's full-text query checks the mask on each match in rank order (a UDF over a
  byte per rowid) and stops once it has enough; PostgreSQL's matches are checked in Python;
- dense: Chroma's over-fetched neighbours are checked against the mask; when too few qualify,
  every qualifying product is scored exactly against the in-memory vectors.
Either way a filtered query returns k hits whenever k products qualify, and the hits' fitting
variants are re-read from SQL before they are returned.

A Chroma failure or timeout degrades the search to lexical + SQL and flags it `degraded`.
"""

from __future__ import annotations

import concurrent.futures
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select

from catalog.constraints import (
    Constraints,
    Resolved,
    UnknownValue,
    Vocabulary,
    qualifying_ids,
    resolve,
    variant_conditions,
)
from catalog.embedding import Encoder
from catalog.filter_index import FilterIndex
from catalog.index import DenseHit, VectorIndex
from catalog.models import Product, Variant
from catalog.store import CatalogStore, search_tokens
from catalog.topic import TOPIC_NEIGHBOURS, about, confirmed, topic_codes

log = logging.getLogger(__name__)

RRF_K = 60
_LEXICAL_HEAD = 300  # best full-text matches checked before ranking every match
# Calibrated on the demo catalog (bench/retrieval_quality.py): queries for things the store
# does not sell top out below this cosine similarity; real requests sit above it.
NO_MATCH_SIMILARITY = 0.35
QUERY_CACHE = 2048  # recent query vectors kept per searcher (see embed_query)


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
    # with filters and no category: the ranked products in the categories the request is
    # about (catalog/topic.py), which rank first; None when the request has no clear topic
    on_topic: set[str] | None = None


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
        self._vocab: tuple[str | None, Vocabulary] | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self._snapshot: _Snapshot | None = None
        self._snapshot_lock = threading.Lock()
        self.query_cache = QUERY_CACHE  # 0: encode every query (benchmarks of encoding)
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_lock = threading.Lock()
        self._index_lock = threading.Lock()

    # -- freshness -----------------------------------------------------------------------
    #
    # Every ingest gives the catalog a new version (catalog.store). A searcher checks it at
    # each search and `refresh()`, and on a change drops everything derived from the catalog:
    # the vocabulary, the filter index and vectors (the snapshot), the vector-index handle.
    # Anything else in the process that caches catalog-derived data (the offline planner's
    # parser, a tool's lookup table) must key that cache on `version` and rebuild when it
    # changes; the assistant calls `refresh()` at the start of every turn.

    @property
    def version(self) -> str | None:
        """The catalog version this searcher last saw (no I/O; None before the first check)."""
        return self._version

    def refresh(self) -> bool:
        """Notice a new catalog version (an ingest by another process); return True if new."""
        version = self.store.version()
        if version == self._version:
            return False
        self._version = version
        self._vocab = None  # the vocabulary, filter index and vectors reload for this version
        self._index = None  # reopened lazily: a new client sees the other process's writes
        return True

    @property
    def vocabulary(self) -> Vocabulary:
        """The catalog's categories, brands and option values, for the version last seen
        (one object per version, so callers can tell a new one by identity)."""
        vocab = self._vocab
        if vocab is None or vocab[0] != self._version:
            with self.store.session() as session:
                vocab = (self._version, Vocabulary.load(session))
            self._vocab = vocab
        return vocab[1]

    def index(self) -> VectorIndex:
        """The vector index, opened on first use (once, however many searches start at once)."""
        index = self._index
        if index is None:
            with self._index_lock:
                if self._index is None:
                    self._index = self._index_factory()
                index = self._index
        return index

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
        near: list[str] = []
        if query.strip():
            t0 = time.perf_counter()
            vector = self.embed_query(query)
            embed_s = time.perf_counter() - t0
            result.timings_ms["embed"] = round(embed_s * 1000, 2)
            started += embed_s  # the query embedding is timed on its own
            t0 = time.perf_counter()
            mask = None if rc.is_empty else self.snapshot().filters.mask(rc)
            result.timings_ms["filter"] = _ms(t0)
            # Dense (Chroma, in the pool) and lexical (SQL, here) run side by side.
            future = self._pool.submit(self._timed, self._dense_ranked, vector, depth, mask)
            t0 = time.perf_counter()
            scope = self._fts_scope(rc)
            lexical = self._lexical(query, depth, widen=False, mask=mask, scope=scope)
            result.timings_ms["lexical"] = _ms(t0)
            try:
                (dense, best_any, near), result.timings_ms["dense"] = future.result(
                    timeout=self.dense_timeout_s
                )
            except Exception as exc:  # noqa: BLE001 - any vector-store failure degrades
                if isinstance(exc, concurrent.futures.TimeoutError):
                    exc = TimeoutError(f"vector search took over {self.dense_timeout_s}s")
                log.warning("dense search failed, degrading to lexical: %s", exc)
                result.degraded = True
                result.degraded_reason = f"vector search unavailable ({type(exc).__name__}: {exc})"
                # Alone, lexical widens to any-word matches so the shopper still gets k hits.
                lexical = self._lexical(query, depth, widen=True, mask=mask, scope=scope)
        t_retrieved = time.perf_counter()

        if not query.strip():
            ranked = self._browse(rc, k)
            similarity: dict[str, float] = {}
            fused = {pid: 1.0 / (RRF_K + i) for i, pid in enumerate(ranked, start=1)}
        else:
            similarity = dict(dense)
            fused = rrf([[pid for pid, _ in dense], lexical])
        ranked = sorted(fused, key=lambda pid: (-fused[pid], pid))
        if near and not rc.categories:
            # filtered, with no category asked: what the request is about first (catalog/topic.py)
            filters = self.snapshot().filters
            topic = topic_codes(near, filters.row, filters.category)
            if len(topic) > 1:  # one category: the words could only confirm it
                words = self._lexical(query, TOPIC_NEIGHBOURS, widen=False)
                topic = confirmed(topic, words, filters.row, filters.category)
            if topic:
                result.on_topic = set(about(ranked, topic, filters.row, filters.category))
                ranked = sorted(ranked, key=lambda pid: pid not in result.on_topic)  # stable
        top = ranked[:k]
        t0 = time.perf_counter()
        result.hits = self._hydrate(top, rc, fused, similarity, dense, lexical)
        result.timings_ms["hydrate"] = _ms(t0)
        if query.strip():
            # "Does the store sell this at all?" is judged on the best match in the whole
            # catalog, so a budget or size filter that excludes everything is not a no-match.
            result.no_match = (
                not lexical if result.degraded else best_any < self.no_match_similarity
            )
        result.timings_ms |= {"retrieval": _ms(started, t_retrieved), "total": _ms(started)}
        return result

    @staticmethod
    def _timed(fn: Callable[..., Any], *args: Any) -> tuple[Any, float]:
        t0 = time.perf_counter()
        return fn(*args), _ms(t0)

    def embed_query(self, query: str) -> np.ndarray:
        """The query vector (kept separate so benchmarks can time it apart).

        Recent query vectors are kept (an LRU of `query_cache` entries, ~1.5 KB each): a
        conversation refines the same words turn after turn and shoppers ask for the same
        things, and encoding is the largest CPU cost of a search (~15 ms on one core)."""
        with self._query_lock:
            vector = self._query_vectors.get(query)
            if vector is not None:
                self._query_vectors.move_to_end(query)
                return vector
        vector = self.encoder.encode([query])[0]
        vector.flags.writeable = False  # shared between callers
        with self._query_lock:
            self._query_vectors[query] = vector
            while len(self._query_vectors) > self.query_cache:
                self._query_vectors.popitem(last=False)
        return vector

    def dense(self, vector: np.ndarray, rc: Resolved, depth: int) -> list[tuple[str, float]]:
        """Top `depth` qualifying products by cosine similarity, as (id, similarity)."""
        mask = None if rc.is_empty else self.snapshot().filters.mask(rc)
        return self._dense_ranked(vector, depth, mask)[0]

    def lexical(self, query: str, rc: Resolved, depth: int) -> list[str]:
        """Top `depth` qualifying products by full-text rank; products matching any query
        word fill the list after those matching all of them (lexical search on its own)."""
        mask = None if rc.is_empty else self.snapshot().filters.mask(rc)
        return self._lexical(query, depth, widen=True, mask=mask, scope=self._fts_scope(rc))

    def warm(self) -> None:
        """Load what the first search would otherwise wait for: the embedding model and this
        version's filter index and vectors (seconds at 100k products). Safe to run in a
        background thread while searches are served."""
        self.refresh()
        self.embed_query("warm up")
        self.snapshot()

    def snapshot(self) -> _Snapshot:
        """Vectors and filter columns of every product, loaded once per catalog version."""
        snap = self._snapshot
        if snap is not None and snap.version == self._version:
            return snap
        with self._snapshot_lock:  # one load at a time; later callers reuse it
            if self._snapshot is None or self._snapshot.version != self._version:
                self._snapshot = self._load_snapshot(self._version)
            return self._snapshot

    def _load_snapshot(self, version: str | None) -> _Snapshot:
        # One session, so the ids, filter columns, vectors and rowids share a snapshot.
        with self.store.session() as session:
            ids = list(session.scalars(select(Product.id).order_by(Product.id)))
            filters = FilterIndex.load(session, ids)
            vectors = np.zeros((len(ids), 0), dtype=np.float32)  # sized by the first vector
            has_vector = np.zeros(len(ids), dtype=bool)
            for pid, blob in self.store.product_vectors(session, self.encoder.model_name):
                r = filters.row.get(pid)
                if r is None:
                    continue
                vector = np.frombuffer(blob, dtype=np.float32)
                if not vectors.shape[1]:
                    vectors = np.zeros((len(ids), len(vector)), dtype=np.float32)
                vectors[r] = vector
                has_vector[r] = True
            fts_rows = np.zeros(0, dtype=np.int64)
            if self.store.is_sqlite:
                pairs = self.store.fts_rowids(session)
                fts_rows = np.full(max((r for r, _ in pairs), default=-1) + 1, -1, np.int64)
                for rowid, pid in pairs:
                    fts_rows[rowid] = filters.row.get(pid, -1)
        return _Snapshot(version, filters, vectors, has_vector, fts_rows)

    def _dense_ranked(
        self, vector: np.ndarray, depth: int, mask: np.ndarray | None
    ) -> tuple[list[tuple[str, float]], float, list[str]]:
        """Qualifying (id, similarity) best first, the best similarity in the catalog, and the
        nearest products whatever the filter (best first; what the request is about).

        Chroma's nearest neighbours are over-fetched and checked against the filter mask;
        when too few of them qualify, every qualifying product is scored exactly instead.
        """
        index = self.index()
        if mask is None:
            hits = index.query(vector, depth)
            if len(self._known([h.product_id for h in hits])) < len(hits):
                # Vectors SQL does not know (an ingest died between the stores; catalog/
                # consistency.py repairs that) must not crowd out real products: rank
                # exactly over SQL's products instead.
                everything = np.ones(len(self.snapshot().filters.ids), dtype=bool)
                exact = self._exact(vector, everything, depth)
                return exact, max((score for _, score in exact), default=0.0), []
            return [(h.product_id, h.similarity) for h in hits], _best(hits), []
        total = index.count()
        hits = index.query(vector, min(total, max(depth * 4, TOPIC_NEIGHBOURS)))
        row = self.snapshot().filters.row
        found = [
            (h.product_id, h.similarity)
            for h in hits
            if h.product_id in row and mask[row[h.product_id]]
        ]
        near = [h.product_id for h in hits]
        if len(found) >= depth or len(hits) >= total:
            return found[:depth], _best(hits), near
        return self._exact(vector, mask, depth), _best(hits), near

    def _known(self, ids: list[str]) -> set[str]:
        """Which of `ids` are products in SQL (one indexed lookup)."""
        if not ids:
            return set()
        with self.store.session() as session:
            return set(session.scalars(select(Product.id).where(Product.id.in_(ids))))

    def _exact(self, vector: np.ndarray, mask: np.ndarray, depth: int) -> list[tuple[str, float]]:
        """Exact cosine ranking of every qualifying product, against the in-memory vectors."""
        snap = self.snapshot()
        rows = np.flatnonzero(mask & snap.has_vector)
        if not len(rows):
            return []
        query = vector.astype(np.float32)
        if len(rows) * 4 < len(mask):  # selective: score only the qualifying rows
            scores = snap.vectors[rows] @ query
        else:  # broad: one pass over the matrix beats gathering most of it
            scores = (snap.vectors @ query)[rows]
        head = min(depth, len(rows))
        top = np.argpartition(-scores, head - 1)[:head] if head < len(rows) else np.arange(head)
        top = top[np.argsort(-scores[top])]
        return [(snap.filters.ids[rows[i]], float(scores[i])) for i in top]

    def _lexical(
        self,
        query: str,
        depth: int,
        widen: bool = True,
        mask: np.ndarray | None = None,
        scope: str | None = None,
    ) -> list[str]:
        """Best qualifying full-text matches, best first.

        Products matching every query word rank first; with `widen`, any-word matches fill
        the list when that gives fewer than `depth`. With a filter, SQLite checks the mask on
        each match in rank order and stops at the limit; on PostgreSQL the best few hundred
        matches are checked first, and all matches only when too few of those qualify. Either
        way the result is the best qualifying matches.
        """
        tokens = search_tokens(query)
        if not tokens:
            return []
        allowed = self._rowid_mask(mask) if mask is not None and self.store.is_sqlite else None
        share = float(mask.mean()) if mask is not None and len(mask) else 1.0
        found: list[str] = []
        for mode in ("and", "or") if widen and len(tokens) > 1 else ("and",):
            match = self.store.match_expression(tokens, mode)
            if scope:
                match = f"({match}) AND {scope}"
            need = depth - len(found)
            full_text = self.store.full_text_ids
            if mask is None or allowed is not None:
                ranked = full_text(match, depth + len(found), allowed)
            elif share * _LEXICAL_HEAD < 2 * need:
                # A selective filter: most of any head would not qualify; rank every match.
                ranked = self._allowed(full_text(match, None), mask)
            else:
                head = full_text(match, _LEXICAL_HEAD)
                ranked = self._allowed(head, mask)
                if len(ranked) < need and len(head) == _LEXICAL_HEAD:
                    ranked = self._allowed(full_text(match, None), mask)
            found += [pid for pid in ranked if pid not in found]
            if len(found) >= depth:
                break
        return found[:depth]

    def _fts_scope(self, rc: Resolved) -> str | None:
        """An FTS5 filter on the zero-weight `facets` column that every product of the
        requested categories/brands passes (their names as stored, as phrases), or None.

        It narrows the full-text work to those products early without changing any score;
        the mask still decides exactly, so a phrase that also matches another name does no
        harm.
        """
        if not self.store.is_sqlite or not (rc.categories or rc.brands):
            return None
        filters = self.snapshot().filters
        parts = []
        for wanted, raw in (
            (rc.categories, filters.raw_categories),
            (rc.brands, filters.raw_brands),
        ):
            if not wanted:
                continue
            names = sorted({name for norm in wanted for name in raw.get(norm, ())})
            phrases = [p for p in (_phrase(n) for n in names) if p]
            if len(phrases) < len(names):
                return None  # a name with no indexable word: no safe column filter
            parts.append(f"facets : ({' OR '.join(phrases)})")
        return " AND ".join(parts) or None

    def _allowed(self, ids: list[str], mask: np.ndarray) -> list[str]:
        row = self.snapshot().filters.row
        return [pid for pid in ids if pid in row and mask[row[pid]]]

    def _rowid_mask(self, mask: np.ndarray) -> bytes:
        """The product mask as one byte per full-text rowid (SQLite)."""
        fts_rows = self.snapshot().fts_rows
        ok = np.zeros(len(fts_rows), dtype=np.uint8)
        known = fts_rows >= 0
        ok[known] = mask[fts_rows[known]]
        return ok.tobytes()

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
                        Product.id,
                        Product.title,
                        Product.brand,
                        Product.category,
                        Product.rating,
                        Product.category_norm,
                        Product.brand_norm,
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
                # Product conditions are checked below on these rows: in one SQL condition
                # SQLite would plan this lookup of ten ids through the category index.
                .where(Variant.product_id.in_(ids), *variant_conditions(rc))
            )
            for v in variants:
                best = fits.get(v.product_id)
                if best is None or _fit_key(v) < _fit_key(best):
                    fits[v.product_id] = v
        hits: list[Hit] = []
        for pid in ids:
            product = products.get(pid)
            variant = fits.get(pid)
            if product is None or variant is None or not _product_fits(product, rc):
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
class _Snapshot:
    """One catalog version's product vectors, row-aligned with its filter index."""

    version: str | None
    filters: FilterIndex
    vectors: np.ndarray  # zero rows where `has_vector` is False
    has_vector: np.ndarray
    fts_rows: np.ndarray  # full-text rowid -> product row (-1: none); SQLite only


def _product_fits(product: Any, rc: Resolved) -> bool:
    """The product-level conditions (category, brand, exclusions) on a product row."""
    return (
        (not rc.categories or product.category_norm in rc.categories)
        and (not rc.brands or product.brand_norm in rc.brands)
        and product.id not in rc.exclude_ids
    )


def _in_stock(variant: Any) -> bool:
    return bool(variant.available) and (variant.stock is None or variant.stock > 0)


def _fit_key(variant: Any) -> tuple[bool, float, int]:
    """The same preference as constraints.fitting_variants: in stock, then cheapest, then first."""
    return (not _in_stock(variant), float(variant.price), variant.position)


def _phrase(name: str) -> str:
    """An FTS5 phrase for a stored name: its words, quoted (empty if it has none)."""
    words = re.findall(r"\w+", name.lower())
    return '"' + " ".join(words) + '"' if words else ""


def _ms(since: float, until: float | None = None) -> float:
    return round(((until or time.perf_counter()) - since) * 1000, 2)


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
