"""Shared fixtures: temp catalogs, the encoder, and the rules for optional resources.

Sockets are blocked except loopback (pytest-socket, see pyproject addopts), so any hidden
download fails loudly. Tests needing ../shared or Chromium skip with a reason on a developer
machine without them and fail when CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# The turn deadline (SHOP_TURN_DEADLINE_S, 25 s) runs on the real clock: a turn on a loaded
# machine must not meet it by accident (a first turn that loads a model, say). Its behaviour
# is tested with an injected clock (tests/reliability/test_turn_deadline.py); servers and CLI
# processes the tests start inherit this too.
os.environ.setdefault("SHOP_TURN_DEADLINE_S", "600")

from catalog.embedding import Encoder  # noqa: E402
from catalog.ingest import ingest, seed_embedding_cache  # noqa: E402
from catalog.service import Catalog, open_catalog  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEMO_JSONL = ROOT / "catalog" / "demo" / "products.jsonl"
DEMO_CACHE = ROOT / "catalog" / "demo" / "embeddings.npz"
IN_CI = os.environ.get("CI", "").lower() == "true"


def need(condition: bool, reason: str) -> None:
    """Skip (locally) or fail (in CI) when an optional resource is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the repo (skip locally, fail in CI when absent)."""
    need(SHARED.is_dir(), f"{SHARED} not found")
    return SHARED


@pytest.fixture
def chromium() -> str:
    """Path of Debian's Chromium (skip locally, fail in CI when absent)."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    need(Path(path).exists(), "Debian chromium not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """One loaded embedding model for the whole run."""
    return Encoder()


def make_catalog(root: Path, encoder: Encoder) -> Catalog:
    """An empty catalog in `root` (SQLite file + embedded Chroma)."""
    return open_catalog(
        f"sqlite:///{root / 'catalog.db'}", chroma_path=root / "chroma", encoder=encoder
    )


@pytest.fixture
def empty_catalog(tmp_path: Path, encoder: Encoder) -> Catalog:
    """A fresh, empty catalog in a temp dir."""
    return make_catalog(tmp_path, encoder)


@pytest.fixture(scope="session")
def demo_catalog(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[Catalog]:
    """The bundled demo catalog, ingested once per run into a temp dir (read-only for tests)."""
    root = tmp_path_factory.mktemp("demo-catalog")
    catalog = make_catalog(root, encoder)
    if DEMO_CACHE.exists():
        seed_embedding_cache(catalog.store, DEMO_CACHE)
    ingest(DEMO_JSONL, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    yield catalog


@pytest.fixture(scope="session")
def tau2_catalog(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Iterator[Catalog]:
    """τ²-retail's products (../shared), ingested once per run (read-only for tests)."""
    path = SHARED / "data" / "tau2-retail" / "db.json"
    need(path.exists(), f"{path} not found")
    catalog = make_catalog(tmp_path_factory.mktemp("tau2"), encoder)
    ingest(path, store=catalog.store, index=catalog.open_index(), encoder=encoder, fmt="tau2")
    yield catalog


@pytest.fixture(scope="session")
def small_catalog_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data dir (SHOP_DATA_DIR) of `small_catalog`."""
    return tmp_path_factory.mktemp("small-catalog")


@pytest.fixture(scope="session")
def small_catalog(small_catalog_root: Path, encoder: Encoder) -> Catalog:
    """The 7-product catalog of tests/ui/catalog_data.py, ingested once per run (read-only
    for tests; tests/ui keeps its own copy)."""
    from tests.ui.catalog_data import write_catalog

    catalog = make_catalog(small_catalog_root, encoder)
    source = write_catalog(small_catalog_root / "products.jsonl")
    ingest(source, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    return catalog
