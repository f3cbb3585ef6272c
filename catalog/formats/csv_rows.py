"""The project's own CSV format: one row per variant, product fields repeated (see README).

Columns: product_id, title, description, brand, category, tags ("|"-separated), rating,
attributes (a JSON object), image_url, variant_id, price, currency, stock, available, and one
`option_<name>` column per option (option_size, option_color, ...). Rows of one product need
not be adjacent; the first row of a product supplies its product fields.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from catalog.formats.records import FormatError, RawRecord, decode_utf8

NAME = "csv"
REQUIRED = ("product_id", "title", "category", "variant_id", "price")


def sniff(path: Path, head: bytes) -> bool:
    """CSV by extension."""
    return path.suffix.lower() == ".csv"


def _variant(row: dict[str, str]) -> dict[str, Any]:
    variant: dict[str, Any] = {
        "id": row.get("variant_id", ""),
        "price": row.get("price", ""),
        "currency": row.get("currency") or "USD",
        "options": {
            key[len("option_") :]: value
            for key, value in row.items()
            if key.startswith("option_") and value
        },
    }
    if row.get("stock", "") != "":
        variant["stock"] = row["stock"]
    if row.get("available", "") != "":
        variant["available"] = row["available"].strip().lower() in {"1", "true", "yes", "y"}
    return variant


def read(path: Path) -> Iterator[RawRecord]:
    """Group variant rows into product records, located by their line numbers."""
    text = decode_utf8(path.read_bytes(), str(path))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise FormatError(str(path), "line 1", f"missing columns: {', '.join(missing)}")
    products: dict[str, dict[str, Any]] = {}
    lines: dict[str, list[int]] = {}
    for row in reader:
        number = reader.line_num
        if None in row:
            raise FormatError(str(path), f"line {number}", "more fields than the header")
        pid = row["product_id"]
        if pid not in products:
            product: dict[str, Any] = {
                "id": pid,
                "title": row.get("title", ""),
                "description": row.get("description", ""),
                "brand": row.get("brand") or None,
                "category": row.get("category", ""),
                "tags": [t.strip() for t in (row.get("tags") or "").split("|") if t.strip()],
                "image_url": row.get("image_url") or None,
                "variants": [],
            }
            if row.get("rating"):
                product["rating"] = row["rating"]
            if row.get("attributes"):
                try:
                    product["attributes"] = json.loads(row["attributes"])
                except json.JSONDecodeError:
                    product["attributes"] = row["attributes"]  # pydantic reports the field
            products[pid] = product
            lines[pid] = []
        products[pid]["variants"].append(_variant(row))
        lines[pid].append(number)
    for pid, product in products.items():
        where = lines[pid]
        location = f"line {where[0]}" if len(where) == 1 else f"lines {where[0]}-{where[-1]}"
        yield RawRecord(location, product)
