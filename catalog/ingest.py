"""Ingestion: validate every record, then write SQL and the vector index, crash-safely.

Policy: by default a file with any invalid record writes nothing (the report lists every bad
record with file, location and field); `skip_invalid=True` writes the valid ones. Re-ingesting
an unchanged file changes nothing: products are compared by content hash and vectors come from
the (model, text hash) embedding cache.

Write order, so that a crash (kill -9, power loss) at any point leaves a catalog that searches
correctly and heals itself (catalog/consistency.py):
1. new texts are encoded into the embedding cache, committed chunk by chunk: a re-run after
   an abort encodes only what was not cached yet;
2. SQL (products, lexical index, a new catalog version) in one transaction: all or nothing;
3. the vector index, from the cache; then the marker `index_version` = the new version.
A crash in step 3 leaves the marker behind the version; the next open (or ingest) repairs
the index from SQL. One writer at a time (catalog/write_lock.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import ValidationError
from sqlalchemy import delete, select

from catalog.consistency import check, index_products, index_version, mark_indexed, write_vectors
from catalog.documents import chroma_metadata, document_text
from catalog.embedding import Encoder, text_hash
from catalog.formats import FormatError, RawRecord, detect_format, reader_for
from catalog.index import VectorIndex
from catalog.models import Product, Variant, VariantOption
from catalog.normalize import normalize_option_name, normalize_value
from catalog.policy import policy_beside, save_policy
from catalog.schema import ProductIn
from catalog.store import CatalogStore
from catalog.write_lock import write_lock

__all__ = ["chroma_metadata", "document_text", "ingest", "seed_embedding_cache"]

Progress = Callable[[str, int, int], None]
_ENCODE_CHUNK = 256
_WRITE_CHUNK = 1000


@dataclass(frozen=True)
class RowError:
    """One problem with one record: where it is and which field is wrong."""

    file: str
    location: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.location}: {self.field}: {self.message}"


@dataclass
class IngestReport:
    """What an ingest did (or, when `written` is False, would have done)."""

    file: str
    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    rejected: int = 0
    encoded: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    version: str | None = None


class IngestRejected(Exception):
    """The file had invalid records and the policy is all-or-nothing."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__(f"{report.rejected} invalid record(s) in {report.file}; nothing written")
        self.report = report


def content_hash(product: ProductIn, source: str) -> str:
    """Hash of everything stored for a product."""
    payload = json.dumps([source, product.model_dump(mode="json")], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def to_row(product: ProductIn, source: str, doc_hash: str) -> Product:
    """The ORM row (with variants and option rows) for a validated product."""
    prices = [v.price for v in product.variants]
    row = Product(
        id=product.id,
        title=product.title,
        description=product.description,
        brand=product.brand,
        brand_norm=normalize_value(product.brand) if product.brand else None,
        category=product.category,
        category_norm=normalize_value(product.category),
        tags=product.tags,
        rating=product.rating,
        attributes=product.attributes,
        image_url=product.image_url,
        source=source,
        content_hash=content_hash(product, source),
        doc_hash=doc_hash,
        price_min=min(prices),
        price_max=max(prices),
        currency=product.variants[0].currency,
        in_stock=product.in_stock,
    )
    for position, v in enumerate(product.variants):
        row.variants.append(
            Variant(
                id=v.id,
                position=position,
                options=v.options,
                price=v.price,
                currency=v.currency,
                stock=v.stock,
                available=v.available,
                option_rows=[
                    VariantOption(
                        name=normalize_option_name(name),
                        value=value,
                        value_norm=normalize_value(value),
                    )
                    for name, value in v.options.items()
                ],
            )
        )
    return row


def validate(path: Path, fmt: str) -> tuple[list[tuple[str, ProductIn]], list[RowError]]:
    """Read and validate every record; return the valid ones (with location) and all errors."""
    valid: list[tuple[str, ProductIn]] = []
    errors: list[RowError] = []
    seen_products: dict[str, str] = {}
    seen_variants: dict[str, str] = {}
    seen_any = False
    try:
        for record in reader_for(fmt)(path):
            seen_any = True
            _check(record, path, valid, errors, seen_products, seen_variants)
    except FormatError as exc:
        return [], [RowError(exc.file, exc.location, "-", exc.message)]
    if not seen_any:
        return [], [RowError(str(path), "file", "-", "no records found (empty file)")]
    return valid, errors


def _check(
    record: RawRecord,
    path: Path,
    valid: list[tuple[str, ProductIn]],
    errors: list[RowError],
    seen_products: dict[str, str],
    seen_variants: dict[str, str],
) -> None:
    """Validate one record against the schema and the ids seen so far in the file."""
    try:
        product = ProductIn.model_validate(record.data)
    except ValidationError as exc:
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "-"
            errors.append(RowError(str(path), record.location, name, err["msg"]))
        return
    if product.id in seen_products:
        errors.append(
            RowError(
                str(path),
                record.location,
                "id",
                f"duplicate product id {product.id!r} (first at {seen_products[product.id]})",
            )
        )
        return
    clash = next((v.id for v in product.variants if v.id in seen_variants), None)
    if clash is not None:
        errors.append(
            RowError(
                str(path),
                record.location,
                "variants.id",
                f"variant id {clash!r} already used at {seen_variants[clash]}",
            )
        )
        return
    seen_products[product.id] = record.location
    seen_variants.update({v.id: record.location for v in product.variants})
    valid.append((record.location, product))


def embed_documents(
    store: CatalogStore,
    encoder: Encoder,
    texts: dict[str, str],
    progress: Progress | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Vectors for text hashes: cached ones read back, missing ones encoded.

    Returns (all vectors, the newly encoded ones to add to the cache).
    """
    hashes = list(texts)
    vectors = store.cached_vectors(encoder.model_name, hashes)
    missing = [h for h in hashes if h not in vectors]
    fresh: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), _ENCODE_CHUNK):
        chunk = missing[start : start + _ENCODE_CHUNK]
        encoded = encoder.encode([texts[h] for h in chunk])
        fresh.update(zip(chunk, encoded, strict=True))
        if progress:
            progress("encode", min(start + _ENCODE_CHUNK, len(missing)), len(missing))
    vectors.update(fresh)
    return vectors, fresh


def ingest(
    path: Path,
    *,
    store: CatalogStore,
    index: VectorIndex,
    encoder: Encoder,
    fmt: str = "auto",
    replace: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Validate `path` and upsert it into SQL and Chroma; raise IngestRejected on bad rows.

    With `replace`, products absent from the file are deleted.
    """
    path = Path(path)
    if fmt == "auto":
        try:
            fmt = detect_format(path)
        except FormatError as exc:
            report = IngestReport(str(path), "auto", rejected=1)
            report.errors.append(RowError(exc.file, exc.location, "-", exc.message))
            raise IngestRejected(report) from None
    valid, errors = validate(path, fmt)
    report = IngestReport(str(path), fmt, errors=errors)
    report.rejected = len({(e.location) for e in errors})
    if errors and not skip_invalid:
        raise IngestRejected(report)
    with write_lock(store.engine):
        _write(store, index, encoder, valid, fmt, report, replace=replace, progress=progress)
        # The store's policy document ships beside its catalog file (policy.md).
        policy = policy_beside(path)
        if policy is not None:
            save_policy(store, policy.read_text(encoding="utf-8"))
    report.written = True
    return report


def _write(
    store: CatalogStore,
    index: VectorIndex,
    encoder: Encoder,
    valid: list[tuple[str, ProductIn]],
    source: str,
    report: IngestReport,
    *,
    replace: bool,
    progress: Progress | None,
) -> None:
    """The three steps of the module docstring, under the write lock."""
    with store.session() as session:
        existing = dict(session.execute(select(Product.id, Product.content_hash)).all())
    changed: list[ProductIn] = []
    for _, product in valid:
        old = existing.get(product.id)
        if old is None:
            report.added += 1
            changed.append(product)
        elif old != content_hash(product, source):
            report.updated += 1
            changed.append(product)
        else:
            report.unchanged += 1
    file_ids = {p.id for _, p in valid}
    deleted = sorted(set(existing) - file_ids) if replace else []
    report.deleted = len(deleted)
    # What an earlier crash (or a wiped index) left behind is repaired in the same pass.
    drift = check(store, index)
    changed_ids = {p.id for p in changed}
    gone = set(deleted)
    refresh = [pid for pid in drift.missing + drift.stale if pid not in changed_ids | gone]

    if not changed and not deleted and drift.ok:
        report.version = store.version()
        if index_version(store) is None:  # a data dir from before the marker existed
            with store.session() as session, session.begin():
                mark_indexed(session, report.version)
        return

    # 1. New texts into the embedding cache, one commit per chunk.
    hashes: dict[str, str] = {}
    for start in range(0, len(changed), _ENCODE_CHUNK):
        chunk = changed[start : start + _ENCODE_CHUNK]
        docs = {p.id: document_text(p) for p in chunk}
        hashes.update({pid: text_hash(doc) for pid, doc in docs.items()})
        _, fresh = embed_documents(store, encoder, {hashes[pid]: doc for pid, doc in docs.items()})
        if fresh:
            with store.session() as session, session.begin():
                store.cache_vectors(session, encoder.model_name, fresh)
        report.encoded += len(fresh)
        if progress:
            progress("encode", start + len(chunk), len(changed))

    # 2. SQL in one transaction, written in chunks so memory follows the chunk size.
    before = store.version()
    unmarked = index_version(store) is None
    with store.session() as session, session.begin():
        if unmarked:  # the index matched the catalog before this ingest: say so
            mark_indexed(session, before)
        for start in range(0, len(changed), _WRITE_CHUNK):
            chunk = changed[start : start + _WRITE_CHUNK]
            ids = [p.id for p in chunk]
            session.execute(delete(Product).where(Product.id.in_(ids)))
            store.delete_lexical(session, ids)
            rows = [to_row(p, source, hashes[p.id]) for p in chunk]
            session.add_all(rows)
            session.flush()
            store.write_lexical(session, rows)
            session.expunge_all()
        for start in range(0, len(deleted), _WRITE_CHUNK):
            chunk_ids = deleted[start : start + _WRITE_CHUNK]
            session.execute(delete(Product).where(Product.id.in_(chunk_ids)))
            store.delete_lexical(session, chunk_ids)
        report.version = store.bump_version(session)

    # 3. The vector index, then the marker saying it matches this version.
    total = len(changed) + len(refresh)
    for start in range(0, len(changed), _WRITE_CHUNK):
        chunk = changed[start : start + _WRITE_CHUNK]
        report.encoded += index_products(store, index, encoder, [(hashes[p.id], p) for p in chunk])
        if progress:
            progress("ingest", start + len(chunk), total)
    if refresh:
        write_vectors(store, index, encoder, refresh)
    if deleted or drift.orphans:
        index.delete(sorted(gone | set(drift.orphans)))
    with store.session() as session, session.begin():
        mark_indexed(session, report.version)
    if progress:
        progress("ingest", total, total)


def seed_embedding_cache(store: CatalogStore, path: Path) -> int:
    """Load a shipped cache (an .npz of `model`, `hashes`, `vectors`); return rows added."""
    data = np.load(path, allow_pickle=False)
    model = str(data["model"])
    hashes = [str(h) for h in data["hashes"]]
    vectors = data["vectors"].astype(np.float32)
    have = store.cached_vectors(model, hashes)
    new = {h: v for h, v in zip(hashes, vectors, strict=True) if h not in have}
    if new:
        with store.session() as session, session.begin():
            store.cache_vectors(session, model, new)
    return len(new)


def export_embedding_cache(
    store: CatalogStore, model: str, hashes: Iterable[str], path: Path
) -> int:
    """Write the cache rows for `hashes` to an .npz (used to ship the demo's vectors)."""
    wanted = sorted(set(hashes))
    found = store.cached_vectors(model, wanted)
    keys = [h for h in wanted if h in found]
    np.savez_compressed(
        path,
        model=np.array(model),
        hashes=np.array(keys),
        vectors=np.stack([found[h] for h in keys]).astype(np.float32),
    )
    return len(keys)
