"""Retrieval quality on the demo catalog: NDCG@5 and Recall@10 for dense, lexical and hybrid.

    .venv/bin/python bench/retrieval_quality.py

Relevance is written as rules over the catalog (category + attribute conditions), decided
before looking at any ranking, and expanded to product ids at run time; the labelled set is
written out with the results. About half of the queries share no content word with the
titles of their relevant products ("something to keep my feet dry on the trail"): the script
counts them rather than trusting the author. It also prints the best-similarity spread of
in-catalog vs out-of-catalog requests, which is how `NO_MATCH_SIMILARITY` was calibrated.
"""

from __future__ import annotations

import json
import math
import os
import re
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.constraints import Resolved  # noqa: E402
from catalog.ingest import ingest, seed_embedding_cache  # noqa: E402
from catalog.search import NO_MATCH_SIMILARITY  # noqa: E402
from catalog.service import Catalog, open_catalog  # noqa: E402
from catalog.store import search_tokens  # noqa: E402

DEMO = ROOT / "catalog" / "demo" / "products.jsonl"
CACHE = ROOT / "catalog" / "demo" / "embeddings.npz"
OUT = ROOT / "bench" / "results" / "retrieval_quality.json"

Rule = Callable[[dict[str, Any]], bool]


def cat(*names: str, **attrs: Any) -> Rule:
    """Products in one of `names` whose attributes satisfy every condition in `attrs`.

    A condition is a value (equality), a string prefixed "~" (substring), or a callable.
    """

    def rule(p: dict[str, Any]) -> bool:
        if p["category"] not in names:
            return False
        for key, want in attrs.items():
            have = p["attributes"].get(key)
            if callable(want):
                if have is None or not want(have):
                    return False
            elif isinstance(want, str) and want.startswith("~"):
                if want[1:].lower() not in str(have).lower():
                    return False
            elif have != want:
                return False
        return True

    return rule


def either(*rules: Rule) -> Rule:
    return lambda p: any(r(p) for r in rules)


QUERIES: list[tuple[str, Rule]] = [
    ("waterproof hiking boots", cat("Hiking Boots", waterproof=True)),
    (
        "something to keep my feet dry when walking through wet forests",
        either(cat("Hiking Boots", waterproof=True), cat("Trail Running Shoes", waterproof=True)),
    ),
    ("noise cancelling headphones", cat("Headphones", noise_cancelling=True)),
    (
        "block out the racket on my commute",
        either(cat("Headphones", noise_cancelling=True), cat("Earbuds", noise_cancelling=True)),
    ),
    ("non-stick frying pan", cat("Frying Pans", nonstick=True)),
    ("cookware that eggs slide right off", cat("Frying Pans", nonstick=True)),
    ("cast iron skillet", cat("Frying Pans", material="Cast iron")),
    ("two person tent", cat("Tents", capacity_people=2)),
    ("shelter for camping with my partner", cat("Tents", capacity_people=2)),
    ("4-season tent for winter camping", cat("Tents", season_rating="4-season")),
    ("sleeping bag for freezing nights", cat("Sleeping Bags", temp_rating_f=lambda t: t <= 20)),
    (
        "stay warm overnight below freezing in the backcountry",
        cat("Sleeping Bags", temp_rating_f=lambda t: t <= 20),
    ),
    ("down sleeping bag", cat("Sleeping Bags", insulation="~down")),
    ("insulated water bottle", cat("Water Bottles", insulated=True)),
    ("keep my drinks icy all day", cat("Water Bottles", insulated=True)),
    ("rain jacket", cat("Rain Jackets")),
    ("something to wear when it pours", cat("Rain Jackets")),
    ("packable rain shell", cat("Rain Jackets", packable=True)),
    ("warm winter coat with a hood", cat("Winter Coats", hood=True)),
    ("what to wear when it is twenty below", cat("Winter Coats", temp_rating_f=lambda t: t <= -10)),
    ("gaming laptop", cat("Laptops", type="Gaming")),
    ("featherweight computer for travel", cat("Laptops", type="Ultralight")),
    ("mechanical keyboard", cat("Keyboards", type="Mechanical")),
    ("clicky typing for programmers", cat("Keyboards", type="Mechanical")),
    ("4K monitor", cat("Monitors", resolution="4K")),
    (
        "sharp big display for photo editing",
        cat("Monitors", resolution=lambda r: r in ("4K", "1440p")),
    ),
    ("wireless earbuds", cat("Earbuds")),
    ("tiny buds that sit in my ears while jogging", cat("Earbuds")),
    (
        "portable speaker for the beach",
        cat("Bluetooth Speakers", waterproof=True, size_class="Portable"),
    ),
    ("tunes at the pool party that survive a splash", cat("Bluetooth Speakers", waterproof=True)),
    ("fast phone charger", cat("Phone Chargers")),
    ("top up my phone while traveling", cat("Power Banks")),
    ("smartwatch with gps", cat("Smartwatches", gps=True)),
    ("drawing pad computer that works with a pen", cat("Tablets", stylus_support=True)),
    ("yoga mat", cat("Yoga Mats")),
    ("cushioned surface for stretching at home", cat("Yoga Mats")),
    ("chef knife", cat("Chef's Knives")),
    ("something sharp to slice vegetables", cat("Chef's Knives")),
    ("gooseneck kettle for pour over coffee", cat("Electric Kettles", spout="Gooseneck")),
    ("heat up tea quickly", cat("Electric Kettles")),
    ("espresso machine", cat("Coffee Makers", type="Espresso")),
    ("appliance that makes my first cup of the day", cat("Coffee Makers")),
    ("smoothie maker", cat("Blenders")),
    ("linen sheets", cat("Bed Sheets", material="Linen")),
    ("soft absorbent cloths for drying off after bathing", cat("Bath Towels")),
    ("scented candle", cat("Candles")),
    ("orthopedic dog bed", cat("Dog Beds", style="Orthopedic")),
    ("somewhere comfy for my old pup to doze", cat("Dog Beds")),
    ("keep my kitten entertained", cat("Cat Toys")),
    ("jigsaw puzzle 1000 pieces", cat("Jigsaw Puzzles", pieces=1000)),
    ("fun for everyone around the kitchen on a friday evening", cat("Board Games")),
    ("ergonomic office chair with lumbar support", cat("Desk Chairs", adjustable_lumbar=True)),
    ("keep my spine happy during long workdays", cat("Desk Chairs", adjustable_lumbar=True)),
    ("sticks to save my knees on steep descents", cat("Trekking Poles")),
    ("light strapped to my forehead for night hikes", cat("Headlamps")),
    ("daypack for hiking", cat("Backpacks", type="Daypack")),
    ("bag for carrying my laptop to the office", cat("Backpacks", type="Commuter")),
    ("merino wool socks", cat("Socks", material="~Merino")),
    ("weights for home workouts", cat("Dumbbells")),
    ("moisturizer for dry skin", cat("Face Moisturizers", skin_type="Dry")),
    ("summer dress with pockets", cat("Dresses", pockets=True)),
    ("keep beverages frosty on road trips", cat("Water Bottles", insulated=True)),
    ("earphones without any cables", cat("Earbuds")),
    ("extra screen for my desk setup", cat("Monitors")),
    ("something to charge gadgets on the go", cat("Power Banks")),
    ("blend fruit into a drink", cat("Blenders")),
    ("aromatic glow for a relaxing evening", cat("Candles")),
    ("soft glow on the nightstand", cat("Table Lamps")),
    ("keep toes toasty in ski boots", cat("Socks")),
]

NOT_SOLD = [
    "car tires for winter",
    "life insurance quote",
    "fresh salmon fillet",
    "prescription glasses",
    "piano lessons",
    "wedding cake",
    "motor oil 5w-30",
    "baby stroller",
    "guitar strings",
    "lawn mower",
    "printer ink cartridges",
    "concert tickets",
    "plane tickets to Paris",
    "mortgage refinancing",
    "a used car",
    "dental implants",
    "garden hose",
    "cat food",
    "bicycle helmet",
    "fishing rod",
]


def stem(word: str) -> str:
    return re.sub(r"(ies|es|s)$", "", word)


def content_overlap(query: str, titles: list[str]) -> bool:
    """Does any content word of the query appear (stemmed) in any relevant title?"""
    q = {stem(w) for w in search_tokens(query)}
    return any(q & {stem(w) for w in search_tokens(t)} for t in titles)


def ndcg_at(ranked: list[str], relevant: set[str], k: int) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, pid in enumerate(ranked[:k]) if pid in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: list[str], relevant: set[str], k: int) -> float:
    """Share of the top-k slots that could be relevant and are (relevant sets can exceed k)."""
    return len(set(ranked[:k]) & relevant) / min(k, len(relevant))


def open_demo(root: Path) -> Catalog:
    catalog = open_catalog(f"sqlite:///{root / 'catalog.db'}", chroma_path=root / "chroma")
    if CACHE.exists():
        seed_embedding_cache(catalog.store, CACHE)
    ingest(DEMO, store=catalog.store, index=catalog.open_index(), encoder=catalog.encoder)
    return catalog


def main() -> None:
    products = [json.loads(line) for line in DEMO.read_text("utf-8").splitlines() if line]
    with tempfile.TemporaryDirectory() as tmp:
        catalog = open_demo(Path(tmp))
        searcher = catalog.searcher
        everything = Resolved()
        rows: list[dict[str, Any]] = []
        for query, rule in QUERIES:
            rel = {p["id"] for p in products if rule(p)}
            titles = [p["title"] for p in products if p["id"] in rel]
            vector = searcher.embed_query(query)
            dense = [pid for pid, _ in searcher.dense(vector, everything, 10)]
            lexical = searcher.lexical(query, everything, 10)
            hybrid_result = searcher.search(query, k=10)
            hybrid = [h.product_id for h in hybrid_result.hits]
            rows.append(
                {
                    "query": query,
                    "relevant": sorted(rel),
                    "no_shared_word": not content_overlap(query, titles),
                    "best_similarity": max(
                        (h.similarity or 0 for h in hybrid_result.hits), default=0
                    ),
                    **{
                        f"{name}_ndcg5": ndcg_at(r, rel, 5)
                        for name, r in (("dense", dense), ("lexical", lexical), ("hybrid", hybrid))
                    },
                    **{
                        f"{name}_recall10": recall_at(r, rel, 10)
                        for name, r in (("dense", dense), ("lexical", lexical), ("hybrid", hybrid))
                    },
                }
            )
        outside = []
        for query in NOT_SOLD:
            res = searcher.search(query, k=5)
            outside.append(
                {
                    "query": query,
                    "best_similarity": max((h.similarity or 0 for h in res.hits), default=0),
                    "no_match": res.no_match,
                }
            )

    def mean(key: str, subset: list[dict[str, Any]]) -> float:
        return statistics.mean(r[key] for r in subset) if subset else float("nan")

    groups = {
        "all": rows,
        "no shared word": [r for r in rows if r["no_shared_word"]],
        "shares a word": [r for r in rows if not r["no_shared_word"]],
    }
    print(f"\nRetrieval quality on the demo catalog ({len(rows)} labelled queries)")
    print(
        f"  {'subset':<16} {'n':>3}  {'NDCG@5 dense':>12} {'lexical':>8} {'hybrid':>8}"
        f"  {'R@10 dense':>10} {'lexical':>8} {'hybrid':>8}"
    )
    summary: dict[str, Any] = {}
    for name, subset in groups.items():
        s = {
            f"{m}_{k}": round(mean(f"{m}_{k}", subset), 3)
            for m in ("dense", "lexical", "hybrid")
            for k in ("ndcg5", "recall10")
        }
        summary[name] = {"n": len(subset), **s}
        print(
            f"  {name:<16} {len(subset):>3}  {s['dense_ndcg5']:>12.3f} {s['lexical_ndcg5']:>8.3f}"
            f" {s['hybrid_ndcg5']:>8.3f}  {s['dense_recall10']:>10.3f}"
            f" {s['lexical_recall10']:>8.3f} {s['hybrid_recall10']:>8.3f}"
        )
    inside_sims = sorted(r["best_similarity"] for r in rows)
    outside_sims = sorted(o["best_similarity"] for o in outside)
    print(
        f"\nBest similarity: in-catalog min {inside_sims[0]:.3f} / p10 "
        f"{inside_sims[len(inside_sims) // 10]:.3f}; not-sold max {outside_sims[-1]:.3f} / p90 "
        f"{outside_sims[int(len(outside_sims) * 0.9) - 1]:.3f}; threshold {NO_MATCH_SIMILARITY}"
    )
    flagged_in = sum(r["best_similarity"] < NO_MATCH_SIMILARITY for r in rows)
    flagged_out = sum(o["no_match"] for o in outside)
    print(
        f"no_match: {flagged_out}/{len(outside)} not-sold requests flagged, "
        f"{flagged_in}/{len(rows)} in-catalog requests wrongly flagged"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "summary": summary,
                "queries": rows,
                "not_sold": outside,
                "threshold": NO_MATCH_SIMILARITY,
            },
            indent=2,
        ),
        "utf-8",
    )
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
