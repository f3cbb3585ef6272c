"""Integration: the real DummyJSON and τ² catalogs from ../shared, through ingest and search."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.constraints import Constraints
from catalog.ingest import ingest
from catalog.models import Product
from catalog.service import Catalog
from tests.conftest import SHARED, make_catalog, need


@pytest.fixture(scope="module")
def dummyjson(tmp_path_factory: pytest.TempPathFactory, encoder) -> Catalog:  # type: ignore[no-untyped-def]
    path = SHARED / "data" / "dummyjson" / "products.json"
    need(path.exists(), f"{path} not found")
    catalog = make_catalog(tmp_path_factory.mktemp("dummyjson"), encoder)
    report = ingest(path, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    assert (report.added, report.rejected) == (194, 0)
    return catalog


def test_mascara_finds_the_mascara(dummyjson: Catalog) -> None:
    result = dummyjson.searcher.search("mascara", k=5)
    assert result.hits[0].product_id == "1"
    assert result.no_match is False


def test_laptop_under_1500(dummyjson: Catalog) -> None:
    result = dummyjson.searcher.search("laptop", Constraints(max_price=1500), k=5)
    with dummyjson.store.session() as s:
        laptops = {
            p.id
            for p in s.query(Product).filter(Product.category == "Laptops")
            if p.price_min <= 1500
        }
    got = [h.product_id for h in result.hits]
    assert laptops and set(got[: len(laptops)]) == laptops
    assert all(h.price <= 1500 for h in result.hits)


def test_category_filter_keeps_k_hits(dummyjson: Catalog) -> None:
    result = dummyjson.searcher.search("gift", Constraints(category="groceries"), k=10)
    assert len(result.hits) == 10 and {h.category for h in result.hits} == {"Groceries"}


def test_out_of_catalog_query_is_no_match(dummyjson: Catalog) -> None:
    assert dummyjson.searcher.search("mortgage refinancing advice").no_match is True


def test_tau2_products_keep_their_ids(shared_dir: Path, empty_catalog: Catalog) -> None:
    path = shared_dir / "data" / "tau2-retail" / "db.json"
    report = ingest(
        path,
        store=empty_catalog.store,
        index=empty_catalog.open_index(),
        encoder=empty_catalog.encoder,
    )
    assert report.format == "tau2" and report.added == 50 and report.rejected == 0
    with empty_catalog.store.session() as s:
        shirt = s.get(Product, "9523456873")
        assert shirt is not None and shirt.title == "T-Shirt"
        assert any(v.id == "9612497925" for v in shirt.variants)
    result = empty_catalog.searcher.search(
        "t-shirt", Constraints(options={"size": "XL", "color": "purple"}, in_stock=True), k=3
    )
    assert result.hits and result.hits[0].product_id == "9523456873"
    assert result.hits[0].variant_options["size"] == "XL"
