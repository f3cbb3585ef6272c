"""Agent overhead benchmark: per-turn graph overhead and prompt tokens per turn.

    .venv/bin/python bench/agent_overhead.py [--threads 6]

Overhead is everything in a turn except model time and tool time: the turn's wall latency
minus the model time the graph measured around each model call and minus the data tools' own
durations (both reported by the TurnResult). The model is a zero-latency scripted chat model
(tests/agent/fakes.py) whose steps are the offline planner's decisions, so the turns make real,
varied tool calls over the demo catalog. Target: p95 ≤ 50 ms over ≥ 50 turns.

Prompt tokens per turn are counted with the project's offline tokenizer (agent/tokens.py,
cl100k_base): the
tool schemas sent with every model call + the system prompt + the messages, summed over the
model calls of the turn, over a scripted 10-turn conversation. Target: p90 ≤ 8,000.

Prints a table and writes bench/results/agent_overhead.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.assistant import build_assistant  # noqa: E402
from agent.offline import make_engine  # noqa: E402
from agent.schemas import tool_schemas  # noqa: E402
from agent.settings import Settings  # noqa: E402
from agent.tokens import count_messages, count_tools, tokenizer_name  # noqa: E402
from catalog.embedding import Encoder  # noqa: E402
from catalog.ingest import ingest, seed_embedding_cache  # noqa: E402
from catalog.service import open_catalog  # noqa: E402
from tests.agent.fakes import ScriptedModel  # noqa: E402

DEMO = ROOT / "catalog" / "demo" / "products.jsonl"
CACHE = ROOT / "catalog" / "demo" / "embeddings.npz"
OUT = ROOT / "bench" / "results" / "agent_overhead.json"
CONVERSATION = [
    "I need waterproof hiking boots under $150, size 10",
    "something cheaper",
    "in brown",
    "compare the first two",
    "tell me more about the first one",
    "show me different ones",
    "rain jackets under $200",
    "in black",
    "more like the second one",
    "do you sell car tires?",
]
OVERHEAD_TARGET_MS = 50.0
TOKENS_TARGET = 8000


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


async def run(threads: int, data_dir: Path, catalog: Any) -> dict[str, Any]:
    engine = make_engine(catalog)
    model = ScriptedModel(steps=[lambda messages: engine.step(messages)], prompts=[])
    settings = Settings(SHOP_DATA_DIR=str(data_dir), SHOP_TURNS_PER_MINUTE=1000)
    assistant = build_assistant(settings, catalog, model=model)
    schemas = tool_schemas(assistant.tools)  # what build_graph binds
    schema_tokens = count_tools(schemas)

    # warm-up turn (graph compile, checkpointer open, first queries)
    await assistant.arun("tents", thread_id="warm")

    turns: list[dict[str, Any]] = []
    for t in range(threads):
        for i, text in enumerate(CONVERSATION):
            before = len(model.prompts)
            started = time.perf_counter()
            r = await assistant.arun(text, thread_id=f"bench-{t}")
            wall = (time.perf_counter() - started) * 1000
            prompts = model.prompts[before:]
            tokens = sum(schema_tokens + count_messages(p) for p in prompts)
            turns.append(
                {
                    "thread": t,
                    "turn": i + 1,
                    "text": text,
                    "latency_ms": r.latency_ms,
                    "wall_ms": wall,
                    "model_ms": r.model_ms,
                    "tool_ms": r.tool_ms,
                    "overhead_ms": r.latency_ms - r.model_ms - r.tool_ms,
                    "model_calls": len(prompts),
                    "prompt_tokens": tokens,
                    "max_call_tokens": max(
                        (schema_tokens + count_messages(p) for p in prompts), default=0
                    ),
                    "tools": [c.name for c in r.tool_calls],
                    "recommendations": len(r.recommendations),
                }
            )
    await assistant.aclose()
    overhead = [t["overhead_ms"] for t in turns]
    first = [t for t in turns if t["thread"] == 0]
    tokens = [t["prompt_tokens"] for t in first]
    return {
        "turns": len(turns),
        "overhead_ms": {
            "p50": pct(overhead, 50),
            "p95": pct(overhead, 95),
            "max": max(overhead),
            "mean": statistics.fmean(overhead),
            "target_p95": OVERHEAD_TARGET_MS,
            "pass": pct(overhead, 95) <= OVERHEAD_TARGET_MS,
        },
        "tool_ms": {
            "p50": pct([t["tool_ms"] for t in turns], 50),
            "p95": pct([t["tool_ms"] for t in turns], 95),
        },
        "model_ms": {
            "p50": pct([t["model_ms"] for t in turns], 50),
            "p95": pct([t["model_ms"] for t in turns], 95),
        },
        "prompt_tokens_per_turn": {
            "tool_schema_tokens": schema_tokens,
            "per_turn": tokens,
            "p50": pct(tokens, 50),
            "p90": pct(tokens, 90),
            "max": max(tokens),
            "max_single_call": max(t["max_call_tokens"] for t in first),
            "per_call_p90": pct([t["max_call_tokens"] for t in first], 90),
            "target_p90": TOKENS_TARGET,
            "pass": pct(tokens, 90) <= TOKENS_TARGET,
            "counter": f"agent.tokens ({tokenizer_name()})",
        },
        "conversation": first,
        "all_turns": turns,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--threads", type=int, default=6, help="10-turn conversations to run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        encoder = Encoder()
        catalog = open_catalog(
            f"sqlite:///{root / 'catalog.db'}", chroma_path=root / "chroma", encoder=encoder
        )
        started = time.perf_counter()
        if CACHE.exists():
            seed_embedding_cache(catalog.store, CACHE)
        ingest(DEMO, store=catalog.store, index=catalog.open_index(), encoder=encoder)
        print(f"demo catalog ingested in {time.perf_counter() - started:.1f}s")
        report = asyncio.run(run(args.threads, root / "data", catalog))

    o, tk = report["overhead_ms"], report["prompt_tokens_per_turn"]
    print()
    print(f"{'turn':>4}  {'request':<52} {'calls':>5} {'tokens':>7} {'over ms':>8} {'tool ms':>8}")
    for t in report["conversation"]:
        print(
            f"{t['turn']:>4}  {t['text'][:52]:<52} {t['model_calls']:>5} "
            f"{t['prompt_tokens']:>7} {t['overhead_ms']:>8.1f} {t['tool_ms']:>8.1f}"
        )
    print()
    print(f"{'metric':<40} {'p50':>9} {'p95/p90':>9} {'target':>9}  ok")
    print(
        f"{'agent overhead per turn (ms), n=' + str(report['turns']):<40} "
        f"{o['p50']:>9.1f} {o['p95']:>9.1f} {'≤ 50':>9}  {'yes' if o['pass'] else 'NO'}"
    )
    print(
        f"{'tool time per turn (ms)':<40} {report['tool_ms']['p50']:>9.1f} "
        f"{report['tool_ms']['p95']:>9.1f} {'-':>9}"
    )
    print(
        f"{'model time per turn (ms, scripted)':<40} {report['model_ms']['p50']:>9.1f} "
        f"{report['model_ms']['p95']:>9.1f} {'-':>9}"
    )
    print(
        f"{'prompt tokens per turn (p50, p90)':<40} {tk['p50']:>9} {tk['p90']:>9} "
        f"{'≤ 8000':>9}  {'yes' if tk['pass'] else 'NO'}"
    )
    print(
        f"largest single model call per turn: p90 {tk['per_call_p90']}, max "
        f"{tk['max_single_call']} tokens (history trimmed per call); tool schemas alone: "
        f"{tk['tool_schema_tokens']} tokens per call"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, default=str))
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
