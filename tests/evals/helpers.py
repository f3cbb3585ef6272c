"""A tiny hand-made catalog written straight to SQL (no encoder), and transcript builders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from catalog.models import Product, Variant
from catalog.normalize import normalize_value
from catalog.store import CatalogStore
from evals.expect import Expect
from evals.scenario import AltView, RecView, ToolView, Transcript, TranscriptTurn

# id, title, brand, category, [(variant id, options, price, stock)]
ROWS: list[tuple[str, str, str, str, list[tuple[str, dict[str, str], float, int]]]] = [
    (
        "B1",
        "Ridge Hiking Boot",
        "Alpina",
        "Hiking Boots",
        [
            ("B1-9", {"size": "9", "color": "Brown"}, 120.0, 4),
            ("B1-10", {"size": "10", "color": "Brown"}, 140.0, 0),
            ("B1-10B", {"size": "10", "color": "Black"}, 175.0, 3),
        ],
    ),
    ("B2", "Summit Hiking Boot", "Peakline", "Hiking Boots", [("B2-10", {"size": "10"}, 99.5, 2)]),
    ("B3", "Trail Runner Shoe", "Peakline", "Trail Shoes", [("B3-10", {"size": "10"}, 89.0, 7)]),
    ("P1", "Cast Iron Skillet", "Forge", "Frying Pans", [("P1-x", {}, 39.99, 0)]),
]
# Attributes the conversation graders read (yes/no answers, "which is lightest", bounds).
ATTRS: dict[str, dict[str, object]] = {
    "B1": {"waterproof": True, "weight_g": 500, "temp_rating_f": 10},
    "B2": {"waterproof": False, "weight_g": 450, "temp_rating_f": 30},
    "B3": {"waterproof": False, "weight_g": 300},
    "P1": {"material": "Cast iron"},
}


def tiny_catalog(root: Path) -> str:
    """Write ROWS into a fresh SQLite catalog; return its URL."""
    url = f"sqlite:///{root / 'tiny.db'}"
    store = CatalogStore.open(url)
    with store.session() as session, session.begin():
        for pid, title, brand, category, variants in ROWS:
            prices = [v[2] for v in variants]
            product = Product(
                id=pid,
                title=title,
                description="",
                brand=brand,
                brand_norm=normalize_value(brand),
                category=category,
                category_norm=normalize_value(category),
                tags=[],
                rating=4.0,
                attributes=ATTRS.get(pid, {}),
                content_hash=pid,
                doc_hash=pid,
                price_min=min(prices),
                price_max=max(prices),
                currency="USD",
                in_stock=any(v[3] > 0 for v in variants),
            )
            product.variants = [
                Variant(
                    id=vid,
                    position=i,
                    options=opts,
                    price=price,
                    currency="USD",
                    stock=stock,
                    available=True,
                )
                for i, (vid, opts, price, stock) in enumerate(variants)
            ]
            session.add(product)
    store.engine.dispose()
    return url


def rec(pid: str, price: float, variant_id: str | None = None, **kw: Any) -> RecView:
    titles = {r[0]: r[1] for r in ROWS}
    return RecView(
        product_id=pid,
        title=kw.pop("title", titles.get(pid, "Made Up")),
        price=price,
        currency="USD",
        variant_id=variant_id,
        **kw,
    )


def alt(pid: str, price: float, *codes: str, variant_id: str | None = None) -> AltView:
    """An alternative card carrying one violation per code."""
    base = rec(pid, price, variant_id)
    violations = [{"code": c, "detail": c.replace("_", " ")} for c in codes]
    return AltView.model_validate({**base.model_dump(), "violations": violations})


def turn(
    user: str, reply: str = "", recs: list[RecView] | None = None, **kw: Any
) -> TranscriptTurn:
    expect = kw.pop("expect", {})
    tools = [ToolView(name=n, args=a) for n, a in kw.pop("tools", [])]
    return TranscriptTurn(
        user=user,
        reply=reply,
        recommendations=recs or [],
        tool_calls=tools,
        expect=Expect.model_validate(expect),
        **kw,
    )


def transcript(url: str, *turns: TranscriptTurn) -> Transcript:
    return Transcript(scenario_id="t", catalog_url=url, turns=list(turns))
