"""The shipped demo data is exactly what tests/demo_catalog/ generates, and fits together:
every product's picture exists, and the shipped embedding cache covers every product's text
(so loading the demo encodes nothing)."""

from __future__ import annotations

import json

import numpy as np

from catalog import demo
from catalog.embedding import text_hash
from catalog.ingest import document_text
from catalog.schema import ProductIn
from tests.demo_catalog import generate, pictures


def test_products_jsonl_is_the_generators_output() -> None:
    records = generate.generate()
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records]
    assert demo.PRODUCTS.read_text(encoding="utf-8") == "".join(lines)


def test_pictures_are_the_generators_output_one_per_category() -> None:
    drawn = pictures.draw_all()
    shipped = {p.name: p.read_text(encoding="utf-8") for p in demo.IMAGES.glob("*.svg")}
    assert shipped == drawn
    categories = {r["category"] for r in map(json.loads, demo.PRODUCTS.open(encoding="utf-8"))}
    assert {generate.picture_name(c) for c in categories} == set(drawn)


def test_every_product_names_a_shipped_picture_served_at_demo_images() -> None:
    for line in demo.PRODUCTS.open(encoding="utf-8"):
        url = json.loads(line)["image_url"]
        prefix, _, name = url.rpartition("/")
        assert prefix == generate.IMAGE_BASE == "/demo-images"
        assert (demo.IMAGES / name).is_file(), url


def test_shipped_embedding_cache_covers_every_product_text() -> None:
    cache = np.load(demo.EMBEDDINGS, allow_pickle=False)
    hashes = {str(h) for h in cache["hashes"]}
    for line in demo.PRODUCTS.open(encoding="utf-8"):
        product = ProductIn.model_validate(json.loads(line))
        assert text_hash(document_text(product)) in hashes, product.id
