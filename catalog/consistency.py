"""SQL and the vector index agree: a marker, a check, and a repair.

SQL is the source of truth; the vector index is derived from it. Ingest commits SQL first
and writes the index after, so a crash can leave the index behind (products missing or
stale there, deleted ones still there), never ahead. The marker says so cheaply: the
catalog meta row `index_version` names the catalog version the index was last brought up
to; an ingest that died after its SQL commit leaves it behind `version`.

`check` compares the two stores in full (ids, and each vector's `doc_hash` against SQL's);
`repair` rewrites what differs from the embedding cache (encoding only texts not in it) and
deletes orphans; `ensure_consistent` runs both when the marker says an ingest did not
finish and no other writer holds the catalog (`catalog.write_lock`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalog.documents import chroma_metadata, document_text, from_row
from catalog.embedding import Encoder, text_hash
from catalog.index import VectorIndex
from catalog.models import CatalogMeta, Product
from catalog.schema import ProductIn
from catalog.store import CatalogStore
from catalog.write_lock import write_lock

log = logging.getLogger(__name__)

INDEX_VERSION = "index_version"
_CHUNK = 1000

Progress = Callable[[str, int, int], None]


@dataclass
class Consistency:
    """How SQL and the vector index differ (all empty and not pending: consistent)."""

    products: int
    vectors: int
    pending: bool  # an ingest committed SQL but did not finish the index
    missing: list[str] = field(default_factory=list)  # in SQL, not in the index
    stale: list[str] = field(default_factory=list)  # indexed from other text than SQL's
    orphans: list[str] = field(default_factory=list)  # in the index, not in SQL

    @property
    def ok(self) -> bool:
        return not (self.pending or self.missing or self.stale or self.orphans)

    def summary(self) -> dict[str, object]:
        """JSON-ready counts (for `shop info`)."""
        return {
            "consistent": self.ok,
            "products": self.products,
            "vectors": self.vectors,
            "unfinished_ingest": self.pending,
            "missing": len(self.missing),
            "stale": len(self.stale),
            "orphans": len(self.orphans),
        }


def index_version(store: CatalogStore) -> str | None:
    """The catalog version the index was last brought up to (None: never recorded)."""
    with store.session() as session:
        row = session.get(CatalogMeta, INDEX_VERSION)
        return row.value if row else None


def mark_indexed(session: Session, version: str) -> None:
    """Record, in the caller's transaction, that the index matches catalog `version`."""
    session.merge(CatalogMeta(key=INDEX_VERSION, value=version))


def pending(store: CatalogStore) -> bool:
    """The cheap check: did an ingest commit SQL and not finish the index?"""
    recorded = index_version(store)
    return recorded is not None and recorded != store.version()


def check(store: CatalogStore, index: VectorIndex) -> Consistency:
    """Compare every product in SQL with the index (reads all ids and doc hashes)."""
    with store.session() as session:
        sql = dict(session.execute(select(Product.id, Product.doc_hash)).all())
    indexed = index.doc_hashes()
    report = Consistency(products=len(sql), vectors=len(indexed), pending=pending(store))
    report.missing = sorted(pid for pid in sql if pid not in indexed)
    report.orphans = sorted(pid for pid in indexed if pid not in sql)
    report.stale = sorted(
        pid for pid, h in indexed.items() if pid in sql and h is not None and h != sql[pid]
    )
    # Entries written before doc hashes were kept are checked only when an ingest died
    # (then they may be stale): rewriting them all costs one pass, never an encode.
    if report.pending:
        report.stale += sorted(pid for pid, h in indexed.items() if pid in sql and h is None)
    return report


def write_vectors(
    store: CatalogStore,
    index: VectorIndex,
    encoder: Encoder,
    ids: Sequence[str],
    progress: Progress | None = None,
) -> int:
    """(Re)write the index entries of `ids` from their SQL rows (see `index_products`)."""
    encoded = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        with store.session() as session:
            rows = session.scalars(
                select(Product).where(Product.id.in_(chunk)).options(selectinload(Product.variants))
            ).all()
            products = [(row.doc_hash, from_row(row)) for row in rows]
        encoded += index_products(store, index, encoder, products)
        if progress:
            progress("index", min(start + _CHUNK, len(ids)), len(ids))
    return encoded


def index_products(
    store: CatalogStore,
    index: VectorIndex,
    encoder: Encoder,
    products: Sequence[tuple[str | None, ProductIn]],
) -> int:
    """Upsert index entries for (doc hash, product) pairs; vectors come from the embedding
    cache, and texts not in it are encoded and cached first. Returns how many were encoded."""
    if not products:
        return 0
    texts = {p.id: document_text(p) for _, p in products}
    hashes = {p.id: h or text_hash(texts[p.id]) for h, p in products}
    vectors = store.cached_vectors(encoder.model_name, list(set(hashes.values())))
    missing = {h: texts[pid] for pid, h in hashes.items() if h not in vectors}
    if missing:
        fresh = dict(zip(missing, encoder.encode(list(missing.values())), strict=True))
        with store.session() as session, session.begin():
            store.cache_vectors(session, encoder.model_name, fresh)
        vectors.update(fresh)
    index.upsert(
        [p.id for _, p in products],
        np.stack([vectors[hashes[p.id]] for _, p in products]),
        [texts[p.id] for _, p in products],
        [chroma_metadata(p, hashes[p.id]) for _, p in products],
    )
    return len(missing)


def repair(
    store: CatalogStore, index: VectorIndex, encoder: Encoder, found: Consistency | None = None
) -> Consistency:
    """Make the index match SQL (the caller holds the write lock); returns what was wrong."""
    found = found or check(store, index)
    version = store.version()
    if found.missing or found.stale:
        write_vectors(store, index, encoder, found.missing + found.stale)
    if found.orphans:
        index.delete(found.orphans)
    with store.session() as session, session.begin():
        # A new version, so running searchers reopen the index and reload their snapshot.
        new = store.bump_version(session) if not found.ok else version
        mark_indexed(session, new)
    if not found.ok:
        log.warning("repaired the vector index: %s", found.summary())
    return found


def ensure_consistent(
    store: CatalogStore, index_factory: Callable[[], VectorIndex], encoder: Encoder
) -> Consistency | None:
    """Repair after an unfinished ingest (the marker says so) unless another writer holds
    the catalog; None when there was nothing to do or someone else is writing."""
    if store.read_only or not pending(store):
        return None
    with write_lock(store.engine, blocking=False) as mine:
        if not mine or not pending(store):
            return None  # an ingest is running and will finish the index itself
        return repair(store, index_factory(), encoder)
