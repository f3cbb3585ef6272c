"""The in-memory filter index and the retrieval paths built on it agree with SQL.

`constraints.qualifying_ids` (SQL) defines what qualifies; the filter mask, the mask-checked
full-text query and the exact dense ranking must give the same answers on the same data.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from catalog.constraints import Constraints, Resolved, UnknownValue, qualifying_ids, resolve
from catalog.ingest import ingest
from catalog.service import Catalog
from catalog.store import CatalogStore, search_tokens
from tests.catalog.sample import write_jsonl

QUERIES = [
    "waterproof hiking boots",
    "warm jacket",
    "coffee grinder",
    "wireless headphones",
    "cotton t shirt",
    "cast iron pan",
    "tent for two people",
    "leather",
]


def random_constraints(catalog: Catalog, n: int, seed: int) -> list[tuple[Constraints, Resolved]]:
    """`n` resolvable constraint sets mixing every kind of filter the searcher takes."""
    vocab = catalog.searcher.vocabulary
    rnd = random.Random(seed)
    categories = sorted(vocab.categories.values())
    brands = sorted(vocab.brands.values())
    options = {name: sorted(values.values()) for name, values in vocab.options.items()}
    with catalog.store.session() as session:
        some_ids = sorted(session.scalars(qualifying_ids(resolve(Constraints(), vocab))))
    out: list[tuple[Constraints, Resolved]] = []
    while len(out) < n:
        spec: dict[str, object] = {}
        if rnd.random() < 0.5:
            spec["max_price"] = rnd.choice([15, 19.99, 50, 100, 250])
        if rnd.random() < 0.3:
            spec["min_price"] = rnd.choice([10, 40, 80])
        if rnd.random() < 0.4:
            spec["in_stock"] = True
        if rnd.random() < 0.4:
            spec["category"] = rnd.choice(categories)
        if rnd.random() < 0.2:
            spec["brand"] = rnd.choice(brands)
        if rnd.random() < 0.4:
            name = rnd.choice(sorted(options))
            spec["options"] = {name: rnd.choice(options[name])}
        if rnd.random() < 0.2:
            spec["exclude_ids"] = rnd.sample(some_ids, 20)
        constraints = Constraints(**spec)  # type: ignore[arg-type]
        try:
            out.append((constraints, resolve(constraints, vocab)))
        except UnknownValue:
            continue
    return out


def sql_ids(catalog: Catalog, rc: Resolved) -> set[str]:
    with catalog.store.session() as session:
        return set(session.scalars(qualifying_ids(rc)))


def masked_ids(catalog: Catalog, mask: np.ndarray) -> set[str]:
    ids = catalog.searcher.snapshot().filters.ids
    return {ids[i] for i in np.flatnonzero(mask)}


def test_mask_equals_sql_on_the_demo_catalog(demo_catalog: Catalog) -> None:
    filters = demo_catalog.searcher.snapshot().filters
    sizes = []
    for _, rc in random_constraints(demo_catalog, 60, seed=1):
        expected = sql_ids(demo_catalog, rc)
        assert masked_ids(demo_catalog, filters.mask(rc)) == expected, rc
        sizes.append(len(expected))
    # The sample is not degenerate: empty, selective and broad filters all occur.
    assert min(sizes) == 0 and max(sizes) > 1000 and any(0 < s < 100 for s in sizes)


def test_mask_keeps_the_single_variant_rule(sample: Catalog) -> None:
    searcher = sample.searcher
    searcher.refresh()
    # B1: size 8 costs $89, size 10 costs $129 — so it does not fit "size 10 under $100".
    rc = resolve(Constraints(max_price=100, options={"size": "10"}), searcher.vocabulary)
    got = masked_ids(sample, searcher.snapshot().filters.mask(rc))
    assert got == sql_ids(sample, rc) and "B1" not in got and "B2" in got


def test_filtered_full_text_equals_ranking_every_match(demo_catalog: Catalog) -> None:
    searcher = demo_catalog.searcher
    filters = searcher.snapshot().filters
    checked = 0
    for i, (_, rc) in enumerate(random_constraints(demo_catalog, 60, seed=2)):
        mask = filters.mask(rc)
        allowed = masked_ids(demo_catalog, mask)
        # A category's own name in the query keeps most filtered runs non-empty.
        query = " ".join([*rc.labels.get("category", [])[:1], QUERIES[i % len(QUERIES)]])
        match = searcher.store.match_expression(search_tokens(query), "or")
        reference = [p for p in searcher.store.full_text_ids(match, None) if p in allowed][:30]
        got = searcher._lexical(query, 30, widen=True, mask=mask, scope=searcher._fts_scope(rc))
        # The "and" matches come first, then the "or" ones: compare as the searcher builds it.
        strict = searcher.store.match_expression(search_tokens(query), "and")
        head = [p for p in searcher.store.full_text_ids(strict, None) if p in allowed][:30]
        expected = (head + [p for p in reference if p not in head])[:30]
        assert got == expected, (query, rc)
        checked += bool(expected)
    assert checked >= 20


def test_exact_dense_ranking_scores_every_qualifying_product(demo_catalog: Catalog) -> None:
    searcher = demo_catalog.searcher
    snap = searcher.snapshot()
    for i, (_, rc) in enumerate(random_constraints(demo_catalog, 20, seed=3)):
        mask = snap.filters.mask(rc)
        vector = searcher.embed_query(QUERIES[i % len(QUERIES)])
        rows = np.flatnonzero(mask & snap.has_vector)
        scores = snap.vectors[rows] @ vector.astype(np.float32)
        expected = [snap.filters.ids[rows[j]] for j in np.argsort(-scores, kind="stable")[:25]]
        got = searcher._exact(vector, mask, 25)
        assert [pid for pid, _ in got] == expected
        assert all(a[1] >= b[1] for a, b in zip(got, got[1:], strict=False))


@pytest.mark.parametrize("seed", [4, 5])
def test_filtered_search_returns_only_qualifying_hits(demo_catalog: Catalog, seed: int) -> None:
    searcher = demo_catalog.searcher
    for i, (constraints, rc) in enumerate(random_constraints(demo_catalog, 15, seed=seed)):
        expected = sql_ids(demo_catalog, rc)
        result = searcher.search(QUERIES[i % len(QUERIES)], constraints, k=10)
        got = [h.product_id for h in result.hits]
        assert set(got) <= expected, constraints
        assert len(got) == min(10, len(expected)), constraints


def test_vector_count_is_remembered_and_reset_by_writes(empty_catalog: Catalog) -> None:
    index = empty_catalog.open_index()
    assert index.count() == 0
    vector = np.ones(384, dtype=np.float32) / np.sqrt(384)
    index.upsert(["a", "b"], np.stack([vector, vector]), ["doc a", "doc b"], [{"n": 1}, {"n": 2}])
    assert index.count() == 2
    index.delete(["a"])
    assert index.count() == 1


def test_a_full_text_index_without_facets_is_rebuilt_on_open(sample: Catalog) -> None:
    store = sample.store
    before = store.version()
    expected = store.full_text_ids(store.match_expression(["boot"], "and"), None)
    # The layout of earlier releases: no facets column.
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE product_fts"))
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE product_fts USING fts5(product_id UNINDEXED, title, "
                "brand, category, body, tokenize='porter unicode61')"
            )
        )
    reopened = CatalogStore.open(str(store.engine.url))
    with reopened.session() as session:
        columns = list(session.execute(text("SELECT * FROM product_fts LIMIT 0")).keys())
    assert "facets" in columns
    assert reopened.full_text_ids(reopened.match_expression(["boot"], "and"), None) == expected
    assert reopened.version() != before  # running searchers reload their rowid maps


def test_snapshot_is_loaded_once_per_catalog_version(
    tmp_path: Path, empty_catalog: Catalog
) -> None:
    path = write_jsonl(tmp_path / "c.jsonl")
    index = empty_catalog.open_index()
    ingest(path, store=empty_catalog.store, index=index, encoder=empty_catalog.encoder)
    searcher = empty_catalog.searcher
    searcher.warm()
    first = searcher.snapshot()
    assert first.has_vector.all() and first.vectors.shape == (len(first.filters.ids), 384)
    searcher.search("boots", Constraints(max_price=100))
    assert searcher.snapshot() is first
    extra = {
        "id": "Z1",
        "title": "Merino Wool Beanie",
        "category": "Hats",
        "variants": [{"id": "Z1-1", "price": 25.0, "stock": 3}],
    }
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(extra) + "\n")
    ingest(path, store=empty_catalog.store, index=index, encoder=empty_catalog.encoder)
    hits = searcher.search("beanie", Constraints(max_price=30)).hits
    assert searcher.snapshot() is not first and "Z1" in searcher.snapshot().filters.row
    assert [h.product_id for h in hits][:1] == ["Z1"]
