"""Format loaders and the all-or-nothing ingest policy on malformed files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from catalog.formats import FORMATS, detect_format
from catalog.ingest import IngestRejected, ingest
from catalog.models import Product
from catalog.service import Catalog
from tests.catalog.sample import records, write_jsonl


def run(catalog: Catalog, path: Path, **kw):  # type: ignore[no-untyped-def]
    return ingest(
        path, store=catalog.store, index=catalog.open_index(), encoder=catalog.encoder, **kw
    )


def product_count(catalog: Catalog) -> int:
    with catalog.store.session() as s:
        return int(s.scalar(select(func.count()).select_from(Product)) or 0)


def test_jsonl_loads_all_products_with_string_ids(empty_catalog: Catalog, tmp_path: Path) -> None:
    report = run(empty_catalog, write_jsonl(tmp_path / "c.jsonl"))
    assert (report.added, report.rejected, report.format) == (8, 0, "jsonl")
    with empty_catalog.store.session() as s:
        b1 = s.get(Product, "B1")
        assert b1 is not None and b1.price_min == 89.0 and b1.price_max == 135.0
        assert b1.in_stock is True
        assert [v.id for v in b1.variants] == ["B1-8-BRO", "B1-10-BRO", "B1-10-BLA"]
        assert s.get(Product, "S1").in_stock is False  # type: ignore[union-attr]
    assert empty_catalog.open_index().count() == 8


def test_csv_groups_variant_rows(empty_catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "product_id,title,description,brand,category,tags,rating,attributes,image_url,"
        "variant_id,price,currency,stock,available,option_size,option_color\n"
        'P1,Trail Sock,Wool sock,Basecamp,Socks,wool|hiking,4.5,"{""material"": ""wool""}",,'
        "P1-M,12.5,USD,4,true,M,Gray\n"
        "P2,Camp Mug,Enamel mug,Basecamp,Mugs,,,,,P2-1,9,USD,0,,,\n"
        "P1,Trail Sock,Wool sock,Basecamp,Socks,wool|hiking,4.5,,,P1-L,13.5,USD,2,true,L,Gray\n",
        "utf-8",
    )
    assert detect_format(path) == "csv"
    report = run(empty_catalog, path)
    assert report.added == 2
    with empty_catalog.store.session() as s:
        sock = s.get(Product, "P1")
        assert sock is not None
        assert [v.options for v in sock.variants] == [
            {"size": "M", "color": "Gray"},
            {"size": "L", "color": "Gray"},
        ]
        assert sock.tags == ["wool", "hiking"] and sock.attributes == {"material": "wool"}


def test_tau2_keeps_product_and_item_ids(empty_catalog: Catalog, tmp_path: Path) -> None:
    doc = {
        "products": {
            "9523456873": {
                "name": "T-Shirt",
                "product_id": "9523456873",
                "variants": {
                    "9612497925": {
                        "item_id": "9612497925",
                        "options": {"color": "blue", "size": "M"},
                        "available": True,
                        "price": 50.88,
                    },
                    "8124970213": {
                        "item_id": "8124970213",
                        "options": {"color": "purple", "size": "XL"},
                        "available": False,
                        "price": 49.67,
                    },
                },
            }
        }
    }
    path = tmp_path / "db.json"
    path.write_text(json.dumps(doc), "utf-8")
    assert detect_format(path) == "tau2"
    run(empty_catalog, path)
    with empty_catalog.store.session() as s:
        shirt = s.get(Product, "9523456873")
        assert shirt is not None and {v.id for v in shirt.variants} == {"9612497925", "8124970213"}
        assert shirt.in_stock is True and shirt.source == "tau2"


def test_dummyjson_ids_become_strings(empty_catalog: Catalog, tmp_path: Path) -> None:
    item = {
        "id": 1,
        "title": "Essence Mascara",
        "description": "Volumizing mascara.",
        "category": "beauty",
        "price": 9.99,
        "discountPercentage": 1.0,
        "rating": 4.0,
        "stock": 5,
        "tags": ["beauty"],
        "brand": "Essence",
        "thumbnail": "https://x/y.webp",
    }
    path = tmp_path / "products.json"
    path.write_text(json.dumps({"products": [item]}), "utf-8")
    assert detect_format(path) == "dummyjson"
    run(empty_catalog, path)
    with empty_catalog.store.session() as s:
        product = s.get(Product, "1")
        assert product is not None and product.category == "Beauty"
        assert product.variants[0].price == 9.99 and product.variants[0].stock == 5


BAD_CASES = {
    "wrong type": ({"rating": "five stars"}, "rating"),
    "missing field": ({"title": None}, "title"),
    "negative price": ({"variants": [{"id": "v", "price": -1, "currency": "USD"}]}, "price"),
    "unknown currency": ({"variants": [{"id": "v", "price": 1, "currency": "XYZ"}]}, "currency"),
    "no variants": ({"variants": []}, "variants"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_row_is_reported_with_line_and_field_and_nothing_written(
    case: str, empty_catalog: Catalog, tmp_path: Path
) -> None:
    patch, field = BAD_CASES[case]
    rows = records()
    bad = {**rows[2], **patch}
    if bad.get("title") is None:
        bad.pop("title")
    rows[2] = bad
    path = write_jsonl(tmp_path / "bad.jsonl", rows)
    with pytest.raises(IngestRejected) as info:
        run(empty_catalog, path)
    errors = info.value.report.errors
    assert errors and all(e.location == "line 3" for e in errors)
    assert any(field in e.field for e in errors), errors
    assert str(path) in str(errors[0])
    assert product_count(empty_catalog) == 0
    assert empty_catalog.open_index().count() == 0


def test_skip_invalid_writes_the_good_rows(empty_catalog: Catalog, tmp_path: Path) -> None:
    rows = records()
    rows[0]["variants"][0]["price"] = -5
    report = run(empty_catalog, write_jsonl(tmp_path / "c.jsonl", rows), skip_invalid=True)
    assert (report.added, report.rejected) == (7, 1)
    assert product_count(empty_catalog) == 7


def test_duplicate_product_ids_are_rejected(empty_catalog: Catalog, tmp_path: Path) -> None:
    rows = records()
    rows.append({**rows[0], "variants": [{"id": "other", "price": 1.0}]})
    with pytest.raises(IngestRejected) as info:
        run(empty_catalog, write_jsonl(tmp_path / "dup.jsonl", rows))
    (error,) = info.value.report.errors
    assert error.location == "line 9" and "duplicate product id 'B1'" in error.message
    assert "line 1" in error.message


def test_duplicate_variant_ids_across_products(empty_catalog: Catalog, tmp_path: Path) -> None:
    rows = records()
    rows[1]["variants"][0]["id"] = rows[0]["variants"][0]["id"]
    with pytest.raises(IngestRejected) as info:
        run(empty_catalog, write_jsonl(tmp_path / "dup.jsonl", rows))
    assert info.value.report.errors[0].field == "variants.id"


def test_empty_file(empty_catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", "utf-8")
    with pytest.raises(IngestRejected) as info:
        run(empty_catalog, path)
    assert "empty" in info.value.report.errors[0].message


def test_non_utf8_bytes_report_the_line(empty_catalog: Catalog, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "latin.jsonl")
    path.write_bytes(path.read_bytes() + b'{"id": "X", "title": "Caf\xe9"}\n')
    with pytest.raises(IngestRejected) as info:
        run(empty_catalog, path)
    (error,) = info.value.report.errors
    assert error.location == "line 9" and "UTF-8" in error.message
    assert product_count(empty_catalog) == 0


def test_invalid_json_line(empty_catalog: Catalog, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl")
    path.write_text(path.read_text("utf-8") + "{not json\n", "utf-8")
    with pytest.raises(IngestRejected) as info:
        run(empty_catalog, path)
    assert info.value.report.errors[0].location == "line 9"


def test_every_format_module_has_the_same_shape() -> None:
    for name, module in FORMATS.items():
        assert name == module.NAME
        assert callable(module.sniff) and callable(module.read)
