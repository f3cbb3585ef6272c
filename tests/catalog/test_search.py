"""The constraint rules, hybrid fusion, filtered retrieval, degradation and freshness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from catalog.constraints import Constraints, UnknownValue, Vocabulary, resolve
from catalog.ingest import ingest
from catalog.search import rrf
from catalog.service import Catalog
from tests.catalog.sample import records, write_jsonl


def ids(catalog: Catalog, query: str, k: int = 10, **constraints: object) -> list[str]:
    result = catalog.searcher.search(query, Constraints(**constraints), k=k)  # type: ignore[arg-type]
    return [h.product_id for h in result.hits]


def test_one_variant_must_meet_budget_size_and_stock_together(sample: Catalog) -> None:
    # B1: size 8 is cheap, size 10 costs 129 -> fits "size 10 under 130" but not "under 100".
    # B3: size 10 costs 150. B2: size 10 at exactly 100. B4: size 10 out of stock.
    got = ids(sample, "hiking boots", max_price=100, options={"size": "10"}, in_stock=True)
    assert got == ["B2"]
    got = set(ids(sample, "hiking boots", max_price=130, options={"size": "10"}, in_stock=True))
    assert got == {"B1", "B2"}


def test_under_means_at_most(sample: Catalog) -> None:
    assert "B2" in ids(sample, "boot", max_price=100.0, category="hiking boots")
    assert "B2" not in ids(sample, "boot", max_price=99.99, category="hiking boots")
    assert "B2" in ids(sample, "boot", min_price=100.0, category="hiking boots")


def test_the_fitting_variant_is_reported(sample: Catalog) -> None:
    result = sample.searcher.search(
        "waterproof boot", Constraints(options={"size": "10"}, in_stock=True, category="boots")
    )
    b1 = next(h for h in result.hits if h.product_id == "B1")
    assert (b1.variant_id, b1.price, b1.in_stock) == ("B1-10-BRO", 129.0, True)
    assert b1.variant_options == {"size": "10", "color": "Brown"}


def test_in_stock_excludes_unavailable(sample: Catalog) -> None:
    assert "S1" in ids(sample, "bluetooth speaker")
    assert "S1" not in ids(sample, "bluetooth speaker", in_stock=True)
    assert "T1" in ids(sample, "tee", in_stock=True, options={"color": "navy"})
    assert "T1" not in ids(sample, "tee", in_stock=True, options={"color": "white"})


def test_names_are_matched_forgivingly(sample: Catalog) -> None:
    with sample.store.session() as session:
        vocab = Vocabulary.load(session)
    assert resolve(Constraints(category="tees"), vocab).labels["category"] == ["T-Shirts"]
    assert resolve(Constraints(category="Hiking-Boot"), vocab).labels["category"] == [
        "Hiking Boots"
    ]
    assert resolve(Constraints(brand="kestrel"), vocab).labels["brand"] == ["Kestrel Audio"]
    assert resolve(Constraints(options={"Colour": "blue"}), vocab).labels["color"] == ["Navy Blue"]
    assert resolve(Constraints(category="tent"), vocab).categories == ("tent",)


def test_unknown_value_comes_back_with_valid_ones(sample: Catalog) -> None:
    result = sample.searcher.search("x", Constraints(category="motorcycles"))
    assert result.hits == [] and isinstance(result.unknown, UnknownValue)
    assert "Hiking Boots" in result.unknown.valid and "Kettles" in result.unknown.valid
    assert result.unknown.field_name == "category"


def test_filtered_query_returns_k_when_k_qualify(sample: Catalog) -> None:
    # Only the three Ridgeline products priced in range qualify; all must come back even though
    # the query text is about kettles (so the unfiltered neighbours are elsewhere).
    got = ids(sample, "electric kettle", k=3, brand="ridgeline", max_price=300)
    assert len(got) == 3 and set(got) <= {"B1", "B3", "B4", "N1"}


def test_exact_path_when_ann_neighbours_do_not_qualify(sample: Catalog) -> None:
    rc = resolve(Constraints(category="kettles"), sample.searcher.vocabulary)
    vector = sample.searcher.embed_query("hiking boots for mountains")
    found = sample.searcher.dense(vector, rc, depth=5)
    assert [pid for pid, _ in found] == ["K1"]


def test_hits_carry_similarity_and_fused_rank(sample: Catalog) -> None:
    result = sample.searcher.search("gooseneck kettle", k=3)
    top = result.hits[0]
    assert top.product_id == "K1" and top.rank == 1
    assert top.similarity is not None and 0.3 < top.similarity <= 1.0
    assert top.dense_rank == 1 and top.lexical_rank == 1
    assert result.no_match is False


def test_no_match_for_things_the_store_does_not_sell(sample: Catalog) -> None:
    assert sample.searcher.search("life insurance quote").no_match is True
    assert sample.searcher.search("waterproof hiking boots").no_match is False


def test_rrf_rewards_agreement() -> None:
    scores = rrf([["a", "b", "c"], ["b", "a", "d"]])
    assert scores["a"] == scores["b"] > scores["c"] == scores["d"]
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)


def test_vector_store_failure_degrades_to_lexical(sample: Catalog) -> None:
    class Down:
        def query(self, *a: object, **k: object) -> None:
            raise ConnectionError("chroma is down")

        def count(self) -> int:
            return 8

    sample.searcher._index = Down()  # type: ignore[assignment]
    sample.searcher._index_factory = Down  # type: ignore[assignment]
    result = sample.searcher.search("kettle")
    assert result.degraded and "ConnectionError" in (result.degraded_reason or "")
    assert [h.product_id for h in result.hits][:1] == ["K1"]
    assert all(h.similarity is None for h in result.hits)


def test_slow_vector_store_times_out_and_degrades(sample: Catalog) -> None:
    import threading

    release = threading.Event()

    class Slow:  # answers only once the test is over: the timeout always wins, at any speed
        def query(self, *a: object, **k: object) -> list:  # type: ignore[type-arg]
            release.wait(60)
            return []

        def count(self) -> int:
            return 8

    sample.searcher._index = Slow()  # type: ignore[assignment]
    sample.searcher._index_factory = Slow  # type: ignore[assignment]
    sample.searcher.dense_timeout_s = 0.2
    try:
        result = sample.searcher.search("kettle")
    finally:
        release.set()
    assert result.degraded and "over 0.2s" in (result.degraded_reason or "")


BEANIE = {
    "id": "Z1",
    "title": "Merino Wool Beanie",
    "description": "A warm merino beanie.",
    "brand": "Woolcraft",
    "category": "Hats",
    "variants": [{"id": "Z1-1", "price": 25.0, "stock": 3, "options": {"color": "Heather"}}],
}


def ingest_elsewhere(sample: Catalog, tmp_path: Path, extra: list[dict]) -> None:
    """Ingest through a second catalog handle, standing in for another `shop ingest`."""
    from tests.conftest import make_catalog

    other = make_catalog(tmp_path, sample.encoder)
    ingest(
        write_jsonl(tmp_path / "more.jsonl", [*records(), *extra]),
        store=other.store,
        index=other.open_index(),
        encoder=other.encoder,
    )


def test_new_ingest_is_noticed_by_a_running_searcher(sample: Catalog, tmp_path: Path) -> None:
    assert "Z1" not in ids(sample, "merino wool beanie")
    ingest_elsewhere(sample, tmp_path, [BEANIE])
    assert ids(sample, "merino wool beanie")[0] == "Z1"


def test_a_new_version_rebuilds_vocabulary_and_filter_index(
    sample: Catalog, tmp_path: Path
) -> None:
    searcher = sample.searcher
    assert sample.searcher.search("warm hat", Constraints(category="Hats")).unknown is not None
    seen, vocabulary = searcher.version, searcher.vocabulary
    assert seen == sample.store.version() and "hats" not in vocabulary.categories

    ingest_elsewhere(sample, tmp_path, [BEANIE])
    assert searcher.version == seen  # a cheap read: nothing is checked until the next search
    # Category, brand and option value exist only in the new version; the filter index
    # (mask) must know the new product for these filters to find it.
    new = {"category": "Hats", "brand": "Woolcraft", "options": {"color": "heather"}}
    assert ids(sample, "warm hat", **new) == ["Z1"]
    assert searcher.version == sample.store.version() != seen
    assert searcher.vocabulary is not vocabulary  # one object per version
    assert searcher.vocabulary.brands["woolcraft"] == "Woolcraft"
    assert searcher.snapshot().version == searcher.version


def test_query_vectors_are_unit_length(sample: Catalog) -> None:
    vector = sample.searcher.embed_query("boots")
    assert vector.shape == (384,) and np.isclose(np.linalg.norm(vector), 1.0, atol=1e-4)


def test_concurrent_first_searches_share_one_index(sample: Catalog, tmp_path: Path) -> None:
    """Searches that start at once on a catalog whose index no thread has opened yet (a path
    this process never opened: Chroma keeps one client system per path) all get vectors."""
    import shutil
    import threading

    from catalog.service import open_catalog

    copy = tmp_path / "copy"
    shutil.copytree(Path(sample.chroma_path), copy / "chroma")
    shutil.copy(sample.store.engine.url.database, copy / "catalog.db")
    fresh = open_catalog(
        f"sqlite:///{copy / 'catalog.db'}", chroma_path=copy / "chroma", encoder=sample.encoder
    )
    start = threading.Barrier(6)
    results: list[object] = []

    def search() -> None:
        start.wait()
        try:
            results.append(fresh.searcher.search("waterproof boot", Constraints(), k=3))
        except Exception as exc:  # noqa: BLE001 - recorded, asserted below
            results.append(exc)

    def open_index() -> None:  # what ingest and the UI's warm-up do meanwhile
        start.wait()
        try:
            opened.append(fresh.open_index().count())
        except Exception as exc:  # noqa: BLE001 - recorded, asserted below
            opened.append(exc)

    opened: list[object] = []
    threads = [threading.Thread(target=f) for f in [search, open_index] * 3]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [r for r in results + opened if isinstance(r, Exception)], results + opened
    assert opened == [sample.open_index().count()] * 3
    assert [r.degraded for r in results] == [False] * 3  # type: ignore[union-attr]
    assert len({tuple(h.product_id for h in r.hits) for r in results}) == 1  # type: ignore[union-attr]
