"""Fixtures shared by the catalog tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.ingest import ingest
from catalog.service import Catalog
from tests.catalog.sample import write_jsonl


@pytest.fixture
def sample(empty_catalog: Catalog, tmp_path: Path) -> Catalog:
    """The hand-written sample catalog (tests/catalog/sample.py), ingested into a temp dir."""
    ingest(
        write_jsonl(tmp_path / "c.jsonl"),
        store=empty_catalog.store,
        index=empty_catalog.open_index(),
        encoder=empty_catalog.encoder,
    )
    return empty_catalog
