"""SHOP_DATABASE_URL=postgresql://…: the catalog on a real PostgreSQL server.

Ingest, idempotent re-ingest, full-text (tsvector) lexical search, the constraint rules and
degraded search all run the same way as on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.constraints import Constraints
from catalog.ingest import IngestRejected, ingest
from catalog.service import Catalog, open_catalog
from tests.catalog.sample import records, write_jsonl
from tests.conftest import need
from tests.postgres import pg_bin, postgres_server


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    need(pg_bin() is not None, "PostgreSQL server binaries not installed")
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_catalog(pg_url: str, tmp_path: Path, encoder) -> Catalog:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    catalog = open_catalog(pg_url, chroma_path=tmp_path / "chroma", encoder=encoder)
    with catalog.store.engine.begin() as conn:  # a clean catalog per test
        conn.execute(text("TRUNCATE products, catalog_meta CASCADE"))
        conn.execute(text("TRUNCATE product_fts"))
    return catalog


def run(catalog: Catalog, path: Path, **kw):  # type: ignore[no-untyped-def]
    index = catalog.open_index()
    return ingest(path, store=catalog.store, index=index, encoder=catalog.encoder, **kw)


def test_ingest_is_idempotent_on_postgres(pg_catalog: Catalog, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl")
    assert run(pg_catalog, path).added == 8
    again = run(pg_catalog, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 8)
    assert pg_catalog.store.product_count() == 8


def test_bad_rows_write_nothing_on_postgres(pg_catalog: Catalog, tmp_path: Path) -> None:
    rows = records()
    rows[3]["variants"][0]["price"] = -1
    with pytest.raises(IngestRejected):
        run(pg_catalog, write_jsonl(tmp_path / "bad.jsonl", rows))
    assert pg_catalog.store.product_count() == 0


def test_search_and_constraints_on_postgres(pg_catalog: Catalog, tmp_path: Path) -> None:
    run(pg_catalog, write_jsonl(tmp_path / "c.jsonl"))
    searcher = pg_catalog.searcher
    result = searcher.search("gooseneck kettle", k=3)
    assert result.hits[0].product_id == "K1" and result.hits[0].lexical_rank == 1
    fit = searcher.search(
        "hiking boots", Constraints(max_price=130, options={"size": "10"}, in_stock=True)
    )
    assert {h.product_id for h in fit.hits} == {"B1", "B2"}
    assert searcher.search("x", Constraints(category="tees")).hits[0].product_id == "T1"


def test_degraded_search_uses_postgres_full_text(pg_catalog: Catalog, tmp_path: Path) -> None:
    run(pg_catalog, write_jsonl(tmp_path / "c.jsonl"))

    class Down:
        def query(self, *a: object, **k: object) -> None:
            raise ConnectionError("down")

        def count(self) -> int:
            return 8

    pg_catalog.searcher._index = Down()  # type: ignore[assignment]
    pg_catalog.searcher._index_factory = Down  # type: ignore[assignment]
    result = pg_catalog.searcher.search("waterproof boots for the trail")
    assert result.degraded and result.hits
    assert {h.product_id for h in result.hits} <= {"B1", "B2", "B3", "B4"}
