"""A small DummyJSON catalog (fast to ingest) shared by the agent tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.ingest import ingest
from tests.conftest import SHARED, make_catalog, need

DUMMY = SHARED / "data" / "dummyjson" / "products.json"


@pytest.fixture(scope="session")
def dummy_catalog(tmp_path_factory: pytest.TempPathFactory, encoder):  # type: ignore[no-untyped-def]
    """DummyJSON ingested once per run."""
    need(DUMMY.is_file(), f"{DUMMY} not found")
    root: Path = tmp_path_factory.mktemp("dummy-catalog")
    catalog = make_catalog(root, encoder)
    ingest(DUMMY, store=catalog.store, index=catalog.open_index(), encoder=encoder, fmt="dummyjson")
    return catalog
