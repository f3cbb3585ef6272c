"""Generate the bundled demo catalog of a fictional general store as JSONL.

Run ``python3 catalog/demo/generate.py``: it rewrites ``products.jsonl`` beside this file and
prints a short summary. The script needs only the standard library and draws everything from
one ``random.Random(20261123)`` in a fixed order, so every run writes byte-identical output.

Each category is data: brands, model names, attributes (every value carries the title words,
sentences, tags and price factor it brings) and variant ladders. A product draws its attribute
values first; its title, description, price and variants follow from them, so the text never
claims what the attributes do not say. Brands, models and the store are invented.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

SEED = 20261123
OUT_PATH = Path(__file__).with_name("products.jsonl")
IMAGE_BASE = "https://images.example-store.test"
MAX_VARIANTS = 12
OUT_OF_STOCK_SHARE = 0.04  # products with every variant at zero
ZERO_STOCK_SHARE = 0.12  # variants at zero, the fully out-of-stock products included
LOW_STOCK_SHARE = 0.05  # in-stock variants down to their last 1-3 units
NULL_RATING_SHARE = 0.03
INJECTION_TAG = "qa-injection"

Scalar = str | int | float | bool


# --------------------------------------------------------------------------------------------
# The data model of the phrase banks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opt:
    """One value an attribute can take, with what it adds to the listing."""

    value: Scalar
    title: str = ""
    text: tuple[str, ...] = ()
    tag: str = ""
    price: float = 1.0
    weight: float = 1.0
    pre: bool = False  # the title word goes before the model name ("Women's")


@dataclass(frozen=True)
class Attr:
    """A categorical attribute: one option is drawn, or ``absent`` is recorded."""

    key: str
    opts: tuple[Opt, ...]
    p: float = 1.0
    absent: Scalar | None = None


@dataclass(frozen=True)
class Num:
    """A numeric attribute drawn on a grid; ``per`` scales it by another attribute."""

    key: str
    lo: float
    hi: float
    step: float
    text: tuple[str, ...] = ()
    title: str = ""
    p: float = 1.0
    slope: float = 0.0  # price factor grows linearly to 1 + slope at ``hi``
    per: str = ""


@dataclass(frozen=True)
class Ladder:
    """A variant axis (size, storage, ...): values with their price multipliers."""

    key: str
    values: tuple[tuple[str, float], ...]
    pick: tuple[int, int]
    when: str = ""  # only for products whose attributes include this value
    contiguous: bool = True


@dataclass(frozen=True)
class Department:
    """A store department: its id prefix, tag, model suffixes and closing lines."""

    code: str
    tag: str
    suffixes: tuple[str, ...]
    closers: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    """Everything needed to invent the products of one category."""

    name: str
    noun: str
    dept: str
    count: int
    price: tuple[float, float]
    brands: tuple[str, ...]
    models: tuple[str, ...]
    attrs: tuple[Attr | Num, ...]
    intros: tuple[str, ...]
    uses: tuple[str, ...]
    closers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    color_pick: tuple[int, int] = (1, 3)
    ladders: tuple[Ladder, ...] = ()
    single_p: float = 0.0
    noun_text: str = ""  # the noun mid-sentence, where lower-casing would be wrong


@dataclass
class Draft:
    """A product being assembled; ids and stock are assigned once every product exists."""

    category: Category
    brand: str
    title: str
    sentences: list[str]
    tags: list[str]
    rating: float | None
    attributes: dict[str, Scalar]
    options: list[dict[str, str]]
    prices: list[float]
    stock: list[int] = field(default_factory=list)
    pid: str = ""


def flag(
    key: str, title: str, text: tuple[str, ...], tag: str = "", p: float = 0.5, price: float = 1.1
) -> Attr:
    """A yes/no feature: true with probability ``p``, recorded as false otherwise."""
    return Attr(key, (Opt(True, title, text, tag, price),), p=p, absent=False)


def sizes(*values: str, step: float = 0.0) -> tuple[tuple[str, float], ...]:
    """Ladder values whose price rises by ``step`` per rung (0 keeps one price)."""
    return tuple((v, round(1.0 + step * i, 3)) for i, v in enumerate(values))


def shoe_sizes(lo: int, hi: int, halves: bool) -> tuple[tuple[str, float], ...]:
    """US shoe sizes from ``lo`` to ``hi``, with half sizes when ``halves``."""
    out: list[str] = []
    for whole in range(lo, hi + 1):
        out.append(str(whole))
        if halves and whole < hi:
            out.append(f"{whole}.5")
    return sizes(*out)


# --------------------------------------------------------------------------------------------
# Shared vocabulary
# --------------------------------------------------------------------------------------------

# Three-letter colour codes keep variant ids short and readable ("OUT-00042-10-BRN").
COLOR_CODES: dict[str, str] = {
    "Black": "BLK", "White": "WHT", "Gray": "GRY", "Charcoal": "CHR", "Navy": "NVY",
    "Blue": "BLU", "Sky Blue": "SKY", "Red": "RED", "Burgundy": "BUR", "Green": "GRN",
    "Olive": "OLV", "Forest Green": "FOR", "Sage": "SAG", "Brown": "BRN", "Tan": "TAN",
    "Khaki": "KHK", "Cream": "CRM", "Ivory": "IVR", "Orange": "ORG", "Rust": "RST",
    "Yellow": "YEL", "Mustard": "MUS", "Pink": "PNK", "Blush": "BLS", "Purple": "PUR",
    "Lavender": "LAV", "Teal": "TEL", "Silver": "SLV", "Graphite": "GPH",
    "Midnight Blue": "MBL", "Rose Gold": "RSG", "Copper": "CPR", "Stainless Steel": "SST",
    "Matte Black": "MBK", "Natural": "NAT", "Walnut": "WAL", "Heather Gray": "HGR",
    "Indigo": "IND", "Light Wash": "LWS", "Dark Wash": "DWS", "Slate": "SLT", "Coral": "CRL",
    "Mint": "MNT", "Terracotta": "TER", "Clear": "CLR", "Camel": "CML", "Espresso": "ESP",
}  # fmt: skip
# Long ladder values get short codes; anything else is its alphanumerics upper-cased.
CODE_OVERRIDES: dict[str, str] = {
    "Twin": "TW", "Full": "FL", "Queen": "QN", "King": "KG", "California King": "CK",
    "Full/Queen": "FQ", "Hand Towel": "HAND", "Bath Towel": "BATH", "Bath Sheet": "SHEET",
    "Charger Only": "CHG", "With 6 ft Cable": "CBL", "Regular": "REG", "Long": "LONG",
    "X-Large": "XL",
}  # fmt: skip

BOOT_COLORS = ("Brown", "Tan", "Black", "Olive", "Slate", "Gray", "Espresso")
OUTDOOR_COLORS = ("Black", "Olive", "Slate", "Rust", "Navy", "Forest Green", "Gray", "Orange")
SHOE_COLORS = ("Black", "White", "Gray", "Navy", "Slate", "Coral", "Teal", "Olive")
APPAREL_COLORS = (
    "Black", "White", "Navy", "Heather Gray", "Olive", "Burgundy", "Sage", "Cream", "Rust",
    "Sky Blue",
)  # fmt: skip
TECH_COLORS = ("Black", "White", "Silver", "Graphite", "Midnight Blue", "Sage", "Rose Gold")
HOME_COLORS = ("White", "Ivory", "Gray", "Charcoal", "Sage", "Navy", "Terracotta", "Blush")
KITCHEN_COLORS = ("Black", "Stainless Steel", "White", "Copper", "Sage", "Red", "Cream")

GENDER_FOOTWEAR = Attr(
    "gender",
    (Opt("Men's", "Men's", tag="mens", pre=True), Opt("Women's", "Women's", tag="womens", pre=True)),
)
GENDER_APPAREL = Attr(
    "gender",
    (
        Opt("Men's", "Men's", tag="mens", pre=True),
        Opt("Women's", "Women's", tag="womens", pre=True),
        Opt("Unisex", "", tag="unisex", weight=0.6),
    ),
)
# Footwear comes in whole sizes, or whole and half sizes; women's runs smaller.
SHOE_LADDERS = (
    Ladder("size", shoe_sizes(7, 13, False), (3, 7), when="Men's"),
    Ladder("size", shoe_sizes(7, 13, True), (4, 8), when="Men's"),
    Ladder("size", shoe_sizes(5, 11, False), (3, 7), when="Women's"),
    Ladder("size", shoe_sizes(5, 11, True), (4, 8), when="Women's"),
)
APPAREL_LADDER = Ladder("size", (*sizes("XS", "S", "M", "L", "XL"), ("XXL", 1.08)), (3, 6))

DEPARTMENTS: dict[str, Department] = {
    d.code: d
    for d in (
        Department(
            "OUT",
            "outdoor",
            ("II", "Lite", "Pro", "Plus", "UL", "X"),
            (
                "Every piece is field-tested by our gear team before it reaches the shelf.",
                "A smart upgrade for weekend explorers and seasoned hikers alike.",
            ),
        ),
        Department(
            "APP",
            "apparel",
            ("Classic", "Essential", "Everyday", "Heritage"),
            (
                "Designed to mix and match with the rest of your wardrobe.",
                "An easy staple you will reach for again and again.",
            ),
        ),
        Department(
            "ELE",
            "electronics",
            ("2", "3", "Pro", "Max", "Mini", "Plus", "S"),
            (
                "Includes a one-year limited warranty.",
                "Backed by a one-year limited warranty and friendly support.",
            ),
        ),
        Department(
            "HOM",
            "home",
            ("Classic", "Signature", "Essentials", "Luxe"),
            (
                "An easy way to make everyday spaces feel more like home.",
                "A simple way to refresh a room without a full makeover.",
            ),
        ),
        Department(
            "KIT",
            "kitchen",
            ("Pro", "Classic", "Plus", "Select"),
            (
                "A workhorse for weeknight dinners and weekend projects alike.",
                "Makes a thoughtful gift for new homeowners and keen home cooks.",
            ),
        ),
        Department(
            "BEA",
            "beauty",
            ("Pro", "Plus", "Gentle"),
            (
                "A simple upgrade to your daily routine.",
                "A small everyday luxury that earns its place on the bathroom shelf.",
            ),
        ),
        Department(
            "TOY",
            "toys-games",
            ("Deluxe", "Junior", "Classic"),
            (
                "A great pick for family game nights and rainy afternoons.",
                "Makes a memorable birthday or holiday gift.",
            ),
        ),
        Department(
            "FIT",
            "fitness",
            ("Pro", "Plus", "Studio"),
            (
                "A smart addition to any home gym.",
                "Built to hold up to daily training sessions.",
            ),
        ),
        Department(
            "PET",
            "pet-supplies",
            ("Plus", "Classic", "Pro"),
            (
                "Designed with input from veterinarians and devoted pet owners.",
                "Tested by our own office dogs and cats before it went on sale.",
            ),
        ),
        Department(
            "OFF",
            "office",
            ("Pro", "Classic", "Plus"),
            (
                "Helps you stay focused and organized through the workday.",
                "A small upgrade that makes a big difference at your desk.",
            ),
        ),
    )
}
