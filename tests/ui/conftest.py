"""Fixtures for the UI tests: one small ingested catalog per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.embedding import Encoder
from catalog.ingest import ingest
from catalog.service import Catalog
from tests.conftest import make_catalog
from tests.ui.catalog_data import write_catalog


@pytest.fixture(scope="session")
def small_catalog_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir (SHOP_DATA_DIR) holding the small catalog, ingested."""
    root = tmp_path_factory.mktemp("ui-data")
    return root


@pytest.fixture(scope="session")
def small_catalog(small_catalog_dir: Path, encoder: Encoder) -> Catalog:
    """The small UI catalog, opened and ingested (read-only for tests)."""
    catalog = make_catalog(small_catalog_dir, encoder)
    source = write_catalog(small_catalog_dir / "products.jsonl")
    ingest(source, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    return catalog
