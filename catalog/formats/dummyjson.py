"""DummyJSON products (`{"products": [...]}` or a bare list): one variant per product."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from catalog.formats.records import FormatError, RawRecord, decode_utf8

NAME = "dummyjson"
_ATTRIBUTE_KEYS = (
    "sku",
    "weight",
    "warrantyInformation",
    "shippingInformation",
    "returnPolicy",
    "minimumOrderQuantity",
)


def sniff(path: Path, head: bytes) -> bool:
    """A JSON document whose products carry DummyJSON's `thumbnail`/`discountPercentage`."""
    text = head.decode("utf-8", "ignore")
    return path.suffix.lower() == ".json" and (
        "discountPercentage" in text or "availabilityStatus" in text
    )


def load_list(path: Path) -> list[Any]:
    """The product list, from either the API envelope or a bare array."""
    text = decode_utf8(path.read_bytes(), str(path))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(str(path), f"line {exc.lineno}", f"invalid JSON: {exc.msg}") from None
    items = doc.get("products") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise FormatError(str(path), "document", "expected a list of products")
    return items


def to_record(item: dict[str, Any]) -> dict[str, Any]:
    """Map one DummyJSON product onto our schema; its price becomes the single variant's."""
    attributes = {k: item[k] for k in _ATTRIBUTE_KEYS if item.get(k) not in (None, "")}
    if isinstance(item.get("dimensions"), dict):
        attributes["dimensions_cm"] = item["dimensions"]
    reviews = item.get("reviews")
    if isinstance(reviews, list) and reviews:
        attributes["review_count"] = len(reviews)
    images = item.get("images") or []
    pid = item.get("id")
    stock = item.get("stock")
    return {
        "id": pid,
        "title": item.get("title"),
        "description": item.get("description", ""),
        "brand": item.get("brand"),
        "category": (item.get("category") or "").replace("-", " ").title() or None,
        "tags": item.get("tags") or [],
        "rating": item.get("rating"),
        "attributes": attributes,
        "image_url": item.get("thumbnail") or (images[0] if images else None),
        "variants": [
            {
                "id": f"{pid}" if pid is not None else None,
                "options": {},
                "price": item.get("price"),
                "currency": "USD",
                "stock": stock,
                "available": item.get("availabilityStatus", "In Stock") != "Out of Stock",
            }
        ],
    }


def read(path: Path) -> Iterator[RawRecord]:
    """Yield one record per product, located as "record N" (1-based)."""
    for number, item in enumerate(load_list(path), start=1):
        if not isinstance(item, dict):
            raise FormatError(str(path), f"record {number}", "expected an object")
        yield RawRecord(f"record {number} (id {item.get('id')!r})", to_record(item))
