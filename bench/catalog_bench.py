"""Catalog benchmark: ingest vs raw encoder throughput, search latency at 10k/100k, peak RSS.

    .venv/bin/python bench/catalog_bench.py [--sizes 10000 100000] [--ingest-n 600]

Prints a table and writes bench/results/catalog_bench.json. The 10k/100k catalogs are a
synthetic scale-up of the demo catalog: product rows are copied with new ids and jittered
prices, and their vectors are the source vectors plus noise (encoding 100k texts here takes
half an hour), seeded into the embedding cache so ingest runs its normal path without
encoding. Search latency excludes the query embedding, which is reported on its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from catalog.constraints import Constraints  # noqa: E402
from catalog.embedding import Encoder, text_hash  # noqa: E402
from catalog.ingest import document_text, ingest  # noqa: E402
from catalog.schema import ProductIn  # noqa: E402
from catalog.service import open_catalog  # noqa: E402

DEMO = ROOT / "catalog" / "demo" / "products.jsonl"
OUT = ROOT / "bench" / "results" / "catalog_bench.json"
QUERIES = [
    "waterproof hiking boots",
    "warm jacket for winter",
    "wireless noise cancelling headphones",
    "non-stick frying pan",
    "something to keep my feet dry on the trail",
    "a gift for a coffee lover",
    "lightweight tent for two",
    "running shoes",
    "cotton t-shirt",
    "bluetooth speaker for the beach",
    "laptop for students",
    "soft bath towels",
    "chef knife",
    "yoga mat",
    "phone charger",
    "sleeping bag for cold nights",
    "kettle",
    "desk lamp",
    "backpack for day hikes",
    "rain jacket",
]
FILTERS: dict[str, dict[str, Any]] = {
    "none": {},
    "price<=50 & in_stock": {"max_price": 50, "in_stock": True},
    "price 50-150 & in_stock": {"min_price": 50, "max_price": 150, "in_stock": True},
    "category & price<=100": {"category": "{category}", "max_price": 100},
}


def rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_source(limit: int | None = None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in DEMO.read_text("utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def synthetic(n: int, source: list[dict[str, Any]], seed: int = 7) -> list[dict[str, Any]]:
    """`n` products cloned from `source` with new ids and jittered prices."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        base = source[i % len(source)]
        copy = json.loads(json.dumps(base))
        copy["id"] = f"S{i:06d}"
        factor = rng.uniform(0.7, 1.3)
        for j, v in enumerate(copy["variants"]):
            v["id"] = f"S{i:06d}-{j}"
            v["price"] = round(max(1.0, v["price"] * factor), 2)
        if i >= len(source):
            copy["title"] = f"{copy['title']} ({i // len(source)})"
        out.append(copy)
    return out


def cmd_seed(n: int, root: Path) -> dict[str, Any]:
    """Write an n-product synthetic catalog and put noisy copies of real vectors in its cache."""
    source = load_source()
    encoder = Encoder()
    catalog = open_catalog(
        f"sqlite:///{root / 'catalog.db'}", chroma_path=root / "chroma", encoder=encoder
    )
    rows = synthetic(n, source)
    path = root / "synthetic.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    base_texts = [document_text(ProductIn.model_validate(r)) for r in source]
    base_vecs = encoder.encode(base_texts[: min(len(base_texts), 400)])
    rng = np.random.default_rng(0)
    vectors: dict[str, np.ndarray] = {}
    for i, row in enumerate(rows):
        v = base_vecs[i % len(base_vecs)] + rng.normal(0, 0.02, base_vecs.shape[1])
        vectors[text_hash(document_text(ProductIn.model_validate(row)))] = (
            v / np.linalg.norm(v)
        ).astype(np.float32)
    with catalog.store.session() as s, s.begin():
        catalog.store.cache_vectors(s, encoder.model_name, vectors)
    return {"n": n}


def cmd_build(root: Path) -> dict[str, Any]:
    """Ingest the seeded synthetic catalog in a fresh process (so RSS is the ingest's own)."""
    catalog = open_catalog(f"sqlite:///{root / 'catalog.db'}", chroma_path=root / "chroma")
    index = catalog.open_index()
    t0 = time.perf_counter()
    report = ingest(
        root / "synthetic.jsonl", store=catalog.store, index=index, encoder=catalog.encoder
    )
    elapsed = time.perf_counter() - t0
    return {
        "n": report.added,
        "ingest_s": round(elapsed, 1),
        "encoded": report.encoded,
        "peak_rss_mb": round(rss_mb(), 1),
    }


def cmd_search(root: Path, repeats: int) -> dict[str, Any]:
    """Latency of hybrid search per filter set (query embedding excluded and timed apart)."""
    catalog = open_catalog(f"sqlite:///{root / 'catalog.db'}", chroma_path=root / "chroma")
    searcher = catalog.searcher
    searcher.query_cache = 0  # queries repeat here: time the encoder, not the vector cache
    categories = sorted(searcher.vocabulary.categories.values())
    # Start-up, timed on its own: the per-version filter index and vectors every filtered
    # search uses (loaded once per process and again after each ingest).
    searcher.refresh()
    t0 = time.perf_counter()
    searcher.snapshot()
    load_ms = (time.perf_counter() - t0) * 1000
    for template in FILTERS.values():  # one untimed search per filter set: warm caches
        spec = {k: categories[0] if v == "{category}" else v for k, v in template.items()}
        searcher.search("warm up", Constraints(**spec), k=10)
    results: dict[str, Any] = {}
    embed_ms: list[float] = []
    for name, template in FILTERS.items():
        times: list[float] = []
        hits: list[int] = []
        for r in range(repeats):
            for qi, query in enumerate(QUERIES):
                spec = dict(template)
                if spec.get("category") == "{category}":
                    spec["category"] = categories[(qi + r) % len(categories)]
                res = searcher.search(query, Constraints(**spec), k=10)
                embed_ms.append(res.timings_ms.get("embed", 0.0))
                times.append(res.timings_ms["total"])  # excludes the query embedding
                hits.append(len(res.hits))
        times.sort()
        results[name] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
            "mean_hits": round(statistics.mean(hits), 2),
        }
    embed_ms.sort()
    return {
        "latency": results,
        "filter_index_load_ms": round(load_ms, 1),
        "embed_p50_ms": round(statistics.median(embed_ms), 2),
        "embed_p95_ms": round(embed_ms[int(len(embed_ms) * 0.95) - 1], 2),
        "peak_rss_mb": round(rss_mb(), 1),
    }


def ingest_throughput(n: int) -> dict[str, Any]:
    """Real ingest of n demo products (empty cache) next to raw encoding of the same texts."""
    rows = load_source(n)
    texts = [document_text(ProductIn.model_validate(r)) for r in rows]
    encoder = Encoder()
    # Load sentence-transformers outside both timings (up to `fast_batch` texts would go
    # through the numpy query path and leave it unloaded).
    encoder.encode(texts[: encoder.fast_batch + 1])
    t0 = time.perf_counter()
    encoder.encode(texts)
    raw = n / (time.perf_counter() - t0)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "p.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
        catalog = open_catalog(
            f"sqlite:///{root / 'c.db'}", chroma_path=root / "chroma", encoder=encoder
        )
        index = catalog.open_index()  # opening the store is start-up, not throughput
        t0 = time.perf_counter()
        report = ingest(path, store=catalog.store, index=index, encoder=encoder)
        ingest_rate = n / (time.perf_counter() - t0)
        assert report.encoded == n
    return {
        "n": n,
        "encoder_per_s": round(raw, 1),
        "ingest_per_s": round(ingest_rate, 1),
        "ratio": round(ingest_rate / raw, 3),
    }


def child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--ingest-n", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "seed":
            result = cmd_seed(int(rest[0]), Path(rest[1]))
        elif kind == "build":
            result = cmd_build(Path(rest[0]))
        else:
            result = cmd_search(Path(rest[0]), int(rest[1]))
        print(json.dumps(result))
        return

    report: dict[str, Any] = {"ingest": ingest_throughput(args.ingest_n), "scale": {}}
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            child(["seed", str(n), tmp])
            build = child(["build", tmp])
            search = child(["search", tmp, str(args.repeats)])
            report["scale"][str(n)] = {"build": build, "search": search}

    ing = report["ingest"]
    print(f"\nIngest ({ing['n']} demo products, cold cache)")
    print(f"  raw encoder   {ing['encoder_per_s']:8.1f} products/s")
    print(
        f"  full ingest   {ing['ingest_per_s']:8.1f} products/s   ratio {ing['ratio']:.0%}"
        "  (target >= 80%)"
    )
    print("\nSearch latency, k=10, query embedding excluded (target p95 <= 25 ms at 100k)")
    print(f"  {'size':>7} {'filters':<26} {'p50 ms':>8} {'p95 ms':>8} {'hits':>5}")
    for n, data in report["scale"].items():
        for name, lat in data["search"]["latency"].items():
            print(
                f"  {n:>7} {name:<26} {lat['p50_ms']:8.2f} {lat['p95_ms']:8.2f}"
                f" {lat['mean_hits']:5.1f}"
            )
        s = data["search"]
        print(f"  {n:>7} {'query embedding':<26} {s['embed_p50_ms']:8.2f} {s['embed_p95_ms']:8.2f}")
        print(f"  {n:>7} {'filter index load, once':<26} {s['filter_index_load_ms']:8.1f}")
    print("\nPeak RSS (target <= 1500 MB at 100k)")
    for n, data in report["scale"].items():
        print(
            f"  {n:>7} ingest {data['build']['peak_rss_mb']:8.1f} MB"
            f" ({data['build']['ingest_s']} s)   search {data['search']['peak_rss_mb']:8.1f} MB"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2), "utf-8")
    print(f"\nwrote {OUT}")


if __name__ == "__main__":
    main()
