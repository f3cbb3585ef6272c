"""A tiny hand-written catalog for catalog tests (boots, tees, a kettle, a tent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def boot(pid: str, title: str, variants: list[tuple[str, str, float, int]], **extra: Any) -> dict:
    """A hiking boot with (size, colour, price, stock) variants."""
    return {
        "id": pid,
        "title": title,
        "description": extra.pop(
            "description",
            "A waterproof hiking boot with a breathable membrane that keeps feet dry on wet "
            "trails. Grippy rubber outsole for rocky ground.",
        ),
        "brand": extra.pop("brand", "Ridgeline"),
        "category": "Hiking Boots",
        "tags": ["hiking", "waterproof"],
        "rating": 4.4,
        "attributes": {"waterproof": True, "material": "leather"},
        "variants": [
            {
                "id": f"{pid}-{size}-{colour[:3].upper()}",
                "options": {"size": size, "color": colour},
                "price": price,
                "currency": "USD",
                "stock": stock,
            }
            for size, colour, price, stock in variants
        ],
        **extra,
    }


def records() -> list[dict[str, Any]]:
    """Eight products chosen to exercise the constraint rules."""
    return [
        boot(
            "B1",
            "Ridgeline Summit Waterproof Hiking Boot",
            [("8", "Brown", 89.0, 5), ("10", "Brown", 129.0, 3), ("10", "Black", 135.0, 0)],
        ),
        boot(
            "B2",
            "Northfold Trail Mid Hiking Boot",
            [("10", "Black", 100.0, 2), ("11", "Black", 100.0, 4)],
            brand="Northfold",
        ),
        boot(
            "B3",
            "Ridgeline Scout Budget Hiking Boot",
            [("8", "Brown", 60.0, 7), ("10", "Brown", 150.0, 1)],
        ),
        boot(
            "B4",
            "Ridgeline Alpine Expedition Boot",
            [("10", "Gray", 260.0, 0)],
            description="A heavy insulated mountaineering boot.",
        ),
        {
            "id": "T1",
            "title": "Basecamp Organic Cotton Crew T-Shirt",
            "description": "A soft everyday tee in organic cotton. Pre-shrunk and breathable.",
            "brand": "Basecamp",
            "category": "T-Shirts",
            "tags": ["cotton"],
            "rating": 4.1,
            "variants": [
                {
                    "id": "T1-M-NAV",
                    "options": {"size": "M", "color": "Navy Blue"},
                    "price": 19.5,
                    "currency": "USD",
                    "stock": 10,
                },
                {
                    "id": "T1-L-WHT",
                    "options": {"size": "L", "color": "White"},
                    "price": 19.5,
                    "currency": "USD",
                    "stock": 0,
                },
            ],
        },
        {
            "id": "K1",
            "title": "Copperleaf Gooseneck Electric Kettle",
            "description": "A 1-litre pour-over kettle with temperature control for tea.",
            "brand": "Copperleaf Kitchen",
            "category": "Kettles",
            "tags": [],
            "rating": 4.7,
            "attributes": {"capacity_l": 1.0},
            "variants": [
                {"id": "K1-1", "options": {}, "price": 49.99, "currency": "USD", "stock": 12}
            ],
        },
        {
            "id": "N1",
            "title": "Ridgeline Two-Person Backpacking Tent",
            "description": "A lightweight two-person tent that pitches in minutes and sheds rain.",
            "brand": "Ridgeline",
            "category": "Tents",
            "rating": 4.5,
            "variants": [
                {
                    "id": "N1-1",
                    "options": {"color": "Green"},
                    "price": 199.0,
                    "currency": "USD",
                    "stock": 3,
                }
            ],
        },
        {
            "id": "S1",
            "title": "Kestrel Audio Pulse Bluetooth Speaker",
            "description": "A rugged portable speaker with 20-hour battery and deep bass.",
            "brand": "Kestrel Audio",
            "category": "Bluetooth Speakers",
            "rating": 4.2,
            "variants": [
                {
                    "id": "S1-1",
                    "options": {"color": "Black"},
                    "price": 79.0,
                    "currency": "USD",
                    "stock": 0,
                    "available": False,
                }
            ],
        },
    ]


def write_jsonl(path: Path, rows: list[dict[str, Any]] | None = None) -> Path:
    """Write records as JSON Lines and return the path."""
    path.write_text("".join(json.dumps(r) + "\n" for r in (rows or records())), "utf-8")
    return path
