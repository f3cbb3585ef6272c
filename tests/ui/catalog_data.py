"""A small catalog for the UI tests (written as JSONL and ingested like any other)."""

from __future__ import annotations

import json
from pathlib import Path


def _p(pid, title, brand, category, rating, variants, tags=(), desc=""):  # type: ignore[no-untyped-def]
    return {
        "id": pid,
        "title": title,
        "description": desc or f"{title} by {brand}.",
        "brand": brand,
        "category": category,
        "tags": list(tags),
        "rating": rating,
        "attributes": {},
        "image_url": f"https://images.example.com/{pid}.jpg",
        "variants": variants,
    }


def _v(vid, price, stock, **options):  # type: ignore[no-untyped-def]
    return {"id": vid, "options": options, "price": price, "currency": "USD", "stock": stock}


PRODUCTS = [
    _p(
        "boot-trail",
        "Ridgeline Waterproof Hiking Boot",
        "Ridgeline",
        "Hiking Boots",
        4.6,
        [
            _v("boot-trail-10", 89.0, 3, size="10", color="Brown"),
            _v("boot-trail-11", 89.0, 12, size="11", color="Brown"),
        ],
        ["hiking", "waterproof", "boots"],
        "Waterproof leather hiking boot with a grippy sole for muddy trails.",
    ),
    _p(
        "boot-summit",
        "Summit Pro Leather Hiking Boot",
        "Summit",
        "Hiking Boots",
        4.8,
        [_v("boot-summit-10", 149.0, 8, size="10", color="Black")],
        ["hiking", "boots", "leather"],
        "Premium full-grain leather hiking boot for long alpine hikes.",
    ),
    _p(
        "boot-budget",
        "Trailstart Lightweight Hiking Boot",
        "Trailstart",
        "Hiking Boots",
        4.1,
        [
            _v("boot-budget-9", 59.0, 20, size="9", color="Grey"),
            _v("boot-budget-10", 59.0, 0, size="10", color="Grey"),
        ],
        ["hiking", "boots", "lightweight"],
        "Light hiking boot for day hikes and easy trails.",
    ),
    _p(
        "tee-merino",
        "Merino Wool Hiking T-Shirt",
        "Woolly",
        "T-Shirts",
        4.4,
        [_v("tee-merino-m", 45.0, 30, size="M", color="Navy Blue")],
        ["t-shirt", "merino"],
        "Soft merino wool tee that stays fresh on the trail.",
    ),
    _p(
        "tee-cotton",
        "Organic Cotton Crew T-Shirt",
        "Basics Co",
        "T-Shirts",
        4.0,
        [_v("tee-cotton-l", 19.0, 50, size="L", color="White")],
        ["t-shirt", "cotton"],
        "Everyday organic cotton crew-neck t-shirt.",
    ),
    _p(
        "mug-enamel",
        "Enamel Camp Mug",
        "Campfire",
        "Kitchen",
        4.7,
        [_v("mug-enamel-1", 14.0, 40, color="White")],
        ["mug", "camping", "gift"],
        "Classic speckled enamel camp mug, a great gift for campers.",
    ),
    _p(
        "lamp-out",
        "Brass Reading Lamp",
        "Lumen",
        "Lamps",
        4.9,
        [_v("lamp-out-1", 120.0, 0, color="Brass")],
        ["lamp", "home"],
        "A warm brass reading lamp (sold out).",
    ),
]


def write_catalog(path: Path) -> Path:
    """Write the products as JSONL at `path`."""
    path.write_text("\n".join(json.dumps(p) for p in PRODUCTS) + "\n", encoding="utf-8")
    return path


# --- new stock: a store that sells rain jackets, then receives fleece jackets by CSV ---------

RAIN_JACKET = _p(
    "jacket-rain",
    "Stormline Packable Rain Jacket",
    "Stormline",
    "Rain Jackets",
    4.5,
    [_v("jacket-rain-m", 119.0, 6, size="M", color="Blue")],
    ["jacket", "rain", "waterproof"],
    "A light waterproof rain jacket that packs into its own pocket.",
)
FLEECE_ID = "fleece-ridge"
FLEECE_CSV = (
    "product_id,title,description,brand,category,tags,rating,attributes,image_url,"
    "variant_id,price,currency,stock,available,option_size,option_color\n"
    f"{FLEECE_ID},Ridgecrest Full-Zip Fleece Jacket,A warm full-zip polar fleece jacket for "
    'cold mornings.,Ridgecrest,Fleece Jackets,fleece|jacket|warm,4.7,"{}",,'
    f"{FLEECE_ID}-m,79.0,USD,9,true,M,Green\n"
    f"{FLEECE_ID},Ridgecrest Full-Zip Fleece Jacket,,,,,,,,{FLEECE_ID}-l,79.0,USD,4,true,L,Green\n"
)


def write_store_with_jackets(path: Path) -> Path:
    """The small catalog plus a rain jacket, as JSONL at `path` (the store before new stock)."""
    path.write_text(
        "\n".join(json.dumps(p) for p in [*PRODUCTS, RAIN_JACKET]) + "\n", encoding="utf-8"
    )
    return path


def write_fleece_csv(path: Path) -> Path:
    """New stock in a new category (Fleece Jackets), as the project's CSV format."""
    path.write_text(FLEECE_CSV, encoding="utf-8")
    return path
