"""τ²-bench retail `db.json`: products keyed by product_id, each with variants keyed by item_id."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from catalog.formats.records import FormatError, RawRecord, decode_utf8

NAME = "tau2"


def sniff(path: Path, head: bytes) -> bool:
    """A JSON document with τ²'s `product_id`/`item_id` keys."""
    text = head.decode("utf-8", "ignore")
    return path.suffix.lower() == ".json" and "product_id" in text and "item_id" in text


def _describe(name: str, variants: list[dict[str, Any]]) -> str:
    # τ² products have no description: say what options exist, so search has words to match.
    names: dict[str, set[str]] = {}
    for variant in variants:
        for key, value in (variant.get("options") or {}).items():
            names.setdefault(key, set()).add(str(value))
    parts = [f"{key}: {', '.join(sorted(values))}" for key, values in sorted(names.items())]
    return f"{name}. Available options — " + "; ".join(parts) + "." if parts else name


def read(path: Path) -> Iterator[RawRecord]:
    """Yield one record per product; the product's `name` is both its title and category."""
    text = decode_utf8(path.read_bytes(), str(path))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(str(path), f"line {exc.lineno}", f"invalid JSON: {exc.msg}") from None
    products = doc.get("products") if isinstance(doc, dict) else None
    if not isinstance(products, dict):
        raise FormatError(str(path), "document", "expected an object with a 'products' object")
    for number, (key, item) in enumerate(products.items(), start=1):
        if not isinstance(item, dict):
            raise FormatError(str(path), f"record {number}", "expected an object")
        raw_variants = item.get("variants") or {}
        variants = list(raw_variants.values()) if isinstance(raw_variants, dict) else []
        name = item.get("name") or ""
        yield RawRecord(
            f"record {number} (product_id {key!r})",
            {
                "id": item.get("product_id", key),
                "title": name,
                "description": _describe(name, variants),
                "category": name,
                "attributes": {},
                "variants": [
                    {
                        "id": v.get("item_id"),
                        "options": v.get("options") or {},
                        "price": v.get("price"),
                        "currency": "USD",
                        "available": bool(v.get("available", True)),
                    }
                    for v in variants
                    if isinstance(v, dict)
                ],
            },
        )
