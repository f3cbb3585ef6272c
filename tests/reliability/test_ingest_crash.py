"""Item 6: a crashed ingest never breaks search, is reported, and heals.

Real `kill -9`s at chosen points of a real ingest (tests/reliability/ingest_until.py waits
there), then the data dir is opened again: search must match a cleanly loaded catalog, the
consistency check must say what happened, and a re-run must not re-encode what was cached.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from catalog.consistency import check, pending
from catalog.documents import chroma_metadata, document_text
from catalog.embedding import Encoder, text_hash
from catalog.ingest import ingest, seed_embedding_cache
from catalog.schema import ProductIn
from catalog.service import Catalog, open_catalog
from tests.conftest import DEMO_CACHE, DEMO_JSONL, ROOT, make_catalog
from tests.reliability.conftest import shop

pytestmark = pytest.mark.slow
QUERIES = ["waterproof hiking boots", "warm sleeping bag for winter", "camping stove"]


def subset(path: Path, start: int, count: int) -> Path:
    lines = DEMO_JSONL.read_text().splitlines()[start : start + count]
    path.write_text("\n".join(lines) + "\n")
    return path


def open_dir(root: Path, encoder: Encoder) -> Catalog:
    """Open a data dir like every entry point does (open_catalog repairs on open)."""
    return open_catalog(
        f"sqlite:///{root / 'catalog.db'}", chroma_path=root / "chroma", encoder=encoder
    )


def kill_at(root: Path, source: Path, stage: str, count: int) -> None:
    """Run the ingest in a subprocess, wait until it parks at `stage`, kill -9 it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.ingest_until", str(root), str(source), stage,
         str(count)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the ingest has reached the point
        assert line.strip() == "PAUSED", line
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def ranked(catalog: Catalog) -> list[list[str]]:
    return [[h.product_id for h in catalog.searcher.search(q, k=5).hits] for q in QUERIES]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Catalog:
    """The same 300 demo products, loaded without interruption."""
    root = tmp_path_factory.mktemp("clean")
    catalog = make_catalog(root, encoder)
    seed_embedding_cache(catalog.store, DEMO_CACHE)
    source = subset(root / "p.jsonl", 0, 300)
    ingest(source, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    return catalog


def test_kill_while_writing_the_index_heals_on_open(
    tmp_path: Path, encoder: Encoder, clean: Catalog
) -> None:
    seeded = make_catalog(tmp_path, encoder)
    seed_embedding_cache(seeded.store, DEMO_CACHE)
    source = subset(tmp_path / "p.jsonl", 0, 300)
    kill_at(tmp_path, source, "index", 2)  # SQL committed, 100 of 300 vectors written

    from catalog.store import CatalogStore

    store = CatalogStore.open(f"sqlite:///{tmp_path / 'catalog.db'}")
    assert store.product_count() == 300 and pending(store)  # the marker says it
    gap = check(store, seeded.open_index())
    assert not gap.ok and len(gap.missing) == 200 and gap.summary()["unfinished_ingest"]
    info = shop("info", env={"SHOP_DATA_DIR": str(tmp_path)})  # says so too
    index = json.loads(info.stdout)["index"]
    assert index["consistent"] is False and index["unfinished_ingest"] and index["missing"] == 200

    reopened = open_dir(tmp_path, encoder)  # repairs on open
    assert check(reopened.store, reopened.open_index()).ok
    assert ranked(reopened) == ranked(clean)


def test_kill_while_encoding_keeps_the_cache(tmp_path: Path, encoder: Encoder) -> None:
    source = subset(tmp_path / "p.jsonl", 300, 160)  # not in any cache here: encoded
    kill_at(tmp_path, source, "encode", 2)  # 2 chunks of 32 vectors committed
    catalog = open_dir(tmp_path, encoder)
    assert catalog.store.product_count() == 0  # SQL was not written: nothing half-done
    report = ingest(source, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    assert report.added == 160 and report.encoded == 160 - 64  # the cache survived
    assert check(catalog.store, catalog.open_index()).ok


def test_vectors_without_products_do_not_hide_products(
    tmp_path: Path, encoder: Encoder, clean: Catalog
) -> None:
    """The state an old-order crash left: 300 vectors of products SQL does not have, close
    to the real ones. Search must ignore them, and `check` must report them."""
    catalog = make_catalog(tmp_path, encoder)
    seed_embedding_cache(catalog.store, DEMO_CACHE)
    source = subset(tmp_path / "p.jsonl", 0, 300)
    ingest(source, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    others = [
        ProductIn.model_validate(json.loads(line))
        for line in DEMO_JSONL.read_text().splitlines()[300:600]
    ]
    hashes = [text_hash(document_text(p)) for p in others]
    cached = catalog.store.cached_vectors(encoder.model_name, hashes)
    catalog.open_index().upsert(
        [f"ORPHAN-{p.id}" for p in others],
        np.stack([cached[h] for h in hashes]),
        [document_text(p) for p in others],
        [chroma_metadata(p, h) for p, h in zip(others, hashes, strict=True)],
    )
    fresh = open_dir(tmp_path, encoder)
    assert ranked(fresh) == ranked(clean)
    report = check(fresh.store, fresh.open_index())
    assert len(report.orphans) == 300 and not report.ok
    ingest(source, store=fresh.store, index=fresh.open_index(), encoder=encoder)  # repairs
    assert check(fresh.store, fresh.open_index()).ok
