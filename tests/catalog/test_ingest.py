"""Idempotent upserts, updates, replace, the embedding cache and the catalog version."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.consistency import check, pending
from catalog.ingest import ingest
from catalog.models import Product
from catalog.service import Catalog
from tests.catalog.sample import records, write_jsonl


def run(catalog: Catalog, path: Path, **kw):  # type: ignore[no-untyped-def]
    return ingest(
        path, store=catalog.store, index=catalog.open_index(), encoder=catalog.encoder, **kw
    )


def test_reingest_changes_nothing(empty_catalog: Catalog, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl")
    first = run(empty_catalog, path)
    version = empty_catalog.store.version()
    second = run(empty_catalog, path)
    assert (first.added, first.encoded) == (8, 8)
    assert (second.added, second.updated, second.unchanged, second.encoded) == (0, 0, 8, 0)
    assert empty_catalog.store.version() == version


def test_update_reencodes_only_changed_text(empty_catalog: Catalog, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl")
    run(empty_catalog, path)
    version = empty_catalog.store.version()
    rows = records()
    rows[0]["variants"][0]["stock"] = 0  # stock only: same embedded text
    rows[1]["description"] = "Completely new words about a mid-height boot."
    report = run(empty_catalog, write_jsonl(path, rows))
    assert (report.updated, report.unchanged, report.encoded) == (2, 6, 1)
    assert empty_catalog.store.version() != version
    with empty_catalog.store.session() as s:
        assert s.get(Product, "B1").variants[0].stock == 0  # type: ignore[union-attr]


def test_replace_deletes_missing_products(empty_catalog: Catalog, tmp_path: Path) -> None:
    run(empty_catalog, write_jsonl(tmp_path / "c.jsonl"))
    report = run(empty_catalog, write_jsonl(tmp_path / "d.jsonl", records()[:3]), replace=True)
    assert (report.deleted, report.unchanged) == (5, 3)
    assert empty_catalog.store.product_count() == 3
    assert empty_catalog.open_index().count() == 3
    hits = empty_catalog.searcher.search("electric kettle for tea").hits
    assert "K1" not in {h.product_id for h in hits}


def test_lost_index_is_repaired_on_reingest(empty_catalog: Catalog, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl")
    run(empty_catalog, path)
    empty_catalog.open_index().delete(["B1", "K1"])
    report = run(empty_catalog, path)
    assert report.encoded == 0  # vectors come back from the cache
    assert empty_catalog.open_index().count() == 8


def test_index_failure_keeps_sql_and_the_cache_and_heals(
    empty_catalog: Catalog, tmp_path: Path
) -> None:
    """SQL commits before the vector index is written: an index failure leaves the new
    catalog searchable by SQL, the marker says the index is behind, the encoded vectors
    stay cached, and the next ingest finishes the index without encoding again."""
    real = empty_catalog.open_index()

    class Broken:
        def doc_hashes(self) -> dict[str, str | None]:
            return real.doc_hashes()

        def upsert(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("disk full")

    path = write_jsonl(tmp_path / "c.jsonl")
    with pytest.raises(RuntimeError, match="disk full"):
        ingest(
            path,
            store=empty_catalog.store,
            index=Broken(),  # type: ignore[arg-type]
            encoder=empty_catalog.encoder,
        )
    assert empty_catalog.store.product_count() == 8
    assert pending(empty_catalog.store)  # the marker: the index is behind SQL
    assert check(empty_catalog.store, real).missing
    report = run(empty_catalog, path)
    assert (report.unchanged, report.encoded) == (8, 0)  # the cache survived the failure
    assert check(empty_catalog.store, real).ok
