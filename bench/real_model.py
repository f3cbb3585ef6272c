"""The eval suite against a real model: any OpenAI-compatible endpoint, variants side by side.

    .venv/bin/python bench/real_model.py --base-url http://127.0.0.1:8090/v1 --model qwen \\
        --tool-choice required --per-family 1 [--tag T] [--family F] [--id ID] \\
        [--variants loop,two-stage] [--name real_model]

Each selected scenario runs once per variant, the variants one after the other on the same
scenario (their order alternating from one scenario to the next, so neither always finds the
server's prompt cache warmed by the other): `loop` is the model loop alone (SHOP_TWO_STAGE=false),
`two-stage` retrieves from the shopper's request first (agent/prefetch.py), and
`two-stage-store-reasons` also leaves every card's reason to the store. Model calls stream
(time to first token). Scenarios are graded by the eval graders (evals/); a scenario's
guarantees held when its grounding and constraints checks hold (every pick fits what the
shopper asked, no price or stock figure in the reply that the catalog does not back), whether
or not the scenario asserts them.

Writes bench/results/NAME.json (every turn, every call) and NAME.md (tables by family and the
side-by-side summary), after every scenario (marked partial until the run ends), and prints
the Markdown. Settings not given as flags come from the
environment (.env), like the app's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.real_model_metrics import (  # noqa: E402
    by_family,
    family_table,
    latency_ratio,
    scenario_entry,
    side_by_side,
    summarize,
    turn_record,
)
from evals.runner import catalog_url, prepare_catalog, run_one  # noqa: E402
from evals.scenario import Scenario, load_scenarios, select  # noqa: E402

VARIANTS = {
    "loop": {"SHOP_TWO_STAGE": False},
    "two-stage": {"SHOP_TWO_STAGE": True},
    # the two-stage turn where the store writes every card's reason (SHOP_CARD_REASONS=store)
    "two-stage-store-reasons": {"SHOP_TWO_STAGE": True, "SHOP_CARD_REASONS": "store"},
}


class Recorder:
    """An assistant that keeps every TurnResult it returns, by thread."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.results: dict[str, list[Any]] = {}

    async def arun(self, message: str, *, thread_id: str, **kw: Any) -> Any:
        result = await self.inner.arun(message, thread_id=thread_id, **kw)
        self.results.setdefault(thread_id, []).append(result)
        return result

    async def aclose(self) -> None:
        await self.inner.aclose()


def choose(
    scenarios: list[Scenario],
    *,
    tags: list[str],
    families: list[str],
    ids: list[str],
    per_family: int,
) -> list[Scenario]:
    """The named subset: ids, else tags/families, then the first `per_family` of each family."""
    if ids:
        wanted = {s.id: s for s in scenarios}
        missing = [i for i in ids if i not in wanted]
        if missing:
            raise SystemExit(f"unknown scenario ids: {missing}")
        return [wanted[i] for i in ids]
    chosen = select(scenarios, tags or None)
    if families:
        chosen = [s for s in chosen if s.family in families]
    if per_family:
        counts: dict[str, int] = {}
        kept = []
        for s in chosen:
            counts[s.family or "-"] = counts.get(s.family or "-", 0) + 1
            if counts[s.family or "-"] <= per_family:
                kept.append(s)
        chosen = kept
    return chosen


def scenario_record(run: Any, results: list[Any], variant: str) -> dict[str, Any]:
    turns = [
        {"user": t.user, "reply": t.reply, **turn_record(r)}
        for t, r in zip(run.transcript.turns, results, strict=False)
    ]
    record = scenario_entry(
        (run.scenario_id, run.family), variant, run.grades, run.transcript.error, turns
    )
    record["duration_s"] = round(run.duration_ms / 1000, 1)  # grading included
    return record


async def run_bench(
    scenarios: list[Scenario],
    make_settings: Callable[[str, Path], Any],
    variants: list[str],
    data_root: Path,
    progress: Callable[[str], None] = print,
    saved: Callable[[dict[str, list[dict[str, Any]]]], None] | None = None,
    baseline: Any = None,
) -> dict[str, list[dict[str, Any]]]:
    """Run every scenario once per variant; scenario records by variant (`saved` gets them
    after each scenario, so a run stopped half-way still leaves its figures). A `baseline`
    (bench/baseline.py) plays each scenario too, as the variant "baseline"."""
    from agent.assistant import build_assistant
    from catalog.embedding import Encoder

    encoder = Encoder()
    specs = sorted({s.catalog for s in scenarios})
    catalogs = {spec: prepare_catalog(spec, data_root / "catalogs", encoder) for spec in specs}
    assistants: dict[tuple[str, str], Recorder] = {}
    for v in variants:
        for spec, catalog in catalogs.items():
            settings = make_settings(v, data_root / v)
            assistants[(v, spec)] = Recorder(build_assistant(settings, catalog))
    names = [*variants, *(["baseline"] if baseline is not None else [])]
    out: dict[str, list[dict[str, Any]]] = {v: [] for v in names}
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    try:
        for i, scenario in enumerate(scenarios):
            order = names if i % 2 == 0 else list(reversed(names))
            for v in order:
                if v == "baseline":
                    record = await baseline.play(scenario)
                else:
                    recorder = assistants[(v, scenario.catalog)]
                    run = await run_one(
                        recorder,
                        scenario,
                        url=catalog_url(catalogs[scenario.catalog]),
                        run_id=f"{run_id}-{v}",
                        repeat=0,
                    )
                    results = recorder.results.get(run.transcript.thread_id, [])
                    record = scenario_record(run, results, v)
                out[v].append(record)
                progress(
                    f"[{i + 1}/{len(scenarios)}] {v:<9} {scenario.id:<36} "
                    f"{'PASS' if record['passed'] else 'fail'} "
                    f"{'' if record['guarantees']['held'] else 'GUARANTEE BROKEN '}"
                    f"{record['duration_s']:>6.1f}s"
                )
            if saved is not None:
                saved(out)
    finally:
        for recorder in assistants.values():
            await recorder.aclose()
    return out


def report(
    records: dict[str, list[dict[str, Any]]], meta: dict[str, Any]
) -> tuple[dict[str, Any], str]:
    """The JSON report and its Markdown tables."""
    overall = {v: summarize(r) for v, r in records.items()}
    families = {v: by_family(r) for v, r in records.items()}
    ratio = latency_ratio(overall, "loop", "two-stage")
    over_baseline = latency_ratio(overall, "baseline", "two-stage")
    # every variant's median over the baseline's (and over the loop's)
    ratios = {
        base: {v: latency_ratio(overall, base, v) for v in records if v not in (base, "baseline")}
        for base in ("baseline", "loop")
        if base in records
    }
    data = {
        "meta": meta,
        "overall": overall,
        "by_family": families,
        "two_stage_over_loop_p50": ratio,
        "two_stage_over_baseline_p50": over_baseline,
        "p50_ratios": ratios,
        "scenarios": records,
    }
    parts = [f"`{meta['command']}`", "", side_by_side(overall), ""]
    for base, by_variant in ratios.items():
        label = (
            f"baseline ({meta['baseline'][:7]}, played by that commit's code, graded by "
            "today's graders)"
            if base == "baseline"
            else base
        )
        for v, r in by_variant.items():
            if r is not None:
                parts += [f"Median turn latency, {v} / {label}: {r:.2f}", ""]
    for v in records:
        parts += [family_table(v, families[v], overall[v]), ""]
    broken = [
        f"{s['variant']}:{s['id']}"
        for r in records.values()
        for s in r
        if not s["guarantees"]["held"]
    ]
    parts.append(f"Guarantees broken in: {', '.join(broken) or 'none'}")
    return data, "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--base-url", default=os.environ.get("OPENAI_BASE_URL"))
    ap.add_argument("--model", default=os.environ.get("SHOP_MODEL"))
    ap.add_argument("--api-key", default=os.environ.get("OPENAI_API_KEY") or "none")
    ap.add_argument("--tool-choice", choices=("auto", "required"), default=None)
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per model call")
    ap.add_argument("--max-retries", type=int, default=0, help="client retries per call")
    ap.add_argument("--tag", action="append", default=[])
    ap.add_argument("--family", action="append", default=[])
    ap.add_argument("--id", action="append", default=[])
    ap.add_argument("--per-family", type=int, default=0, help="first N scenarios of each family")
    ap.add_argument("--variants", default="loop,two-stage")
    ap.add_argument("--name", default="real_model")
    ap.add_argument("--data-dir", type=Path, default=None, help="default: a temp dir")
    ap.add_argument(
        "--baseline",
        default=None,
        metavar="REF",
        help="also play every scenario with the code at this commit (bench/baseline.py)",
    )
    args = ap.parse_args()
    if not args.base_url or not args.model or args.model == "offline":
        raise SystemExit("needs --base-url and --model (or OPENAI_BASE_URL and SHOP_MODEL)")
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    if unknown := [v for v in variants if v not in VARIANTS]:
        raise SystemExit(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
    scenarios = choose(
        load_scenarios(None),
        tags=args.tag,
        families=args.family,
        ids=args.id,
        per_family=args.per_family,
    )
    if not scenarios:
        raise SystemExit("no scenarios selected")
    from agent.settings import Settings

    def make_settings(variant: str, data_dir: Path) -> Any:
        values: dict[str, Any] = {
            "OPENAI_BASE_URL": args.base_url,
            "OPENAI_API_KEY": args.api_key,
            "SHOP_MODEL": args.model,
            "SHOP_DATA_DIR": str(data_dir),
            "SHOP_MODEL_STREAM": True,  # time to first token
            # a CPU model is slow: a call that times out is retried and counted, never hidden
            "SHOP_MODEL_TIMEOUT_S": args.timeout,
            # the turn deadline (issue 12) would cut a CPU model's turn short and measure the
            # offline fallback instead: the bench lets a turn run as long as one call may
            "SHOP_TURN_DEADLINE_S": args.timeout,
            "SHOP_MODEL_MAX_RETRIES": args.max_retries,
            "SHOP_TURNS_PER_MINUTE": 100_000,
            "SHOP_MAX_MODEL_CALLS": 100_000,
            **VARIANTS[variant],
        }
        if args.tool_choice:
            values["SHOP_TOOL_CHOICE"] = args.tool_choice
        return Settings(**values)

    probe = make_settings(variants[0], Path("."))
    meta = {
        "command": "bench/real_model.py " + shlex.join(sys.argv[1:]),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_url": args.base_url,
        "model": args.model,
        "tool_choice": probe.tool_choice,
        "max_tokens": probe.model_max_tokens,
        "temperature": probe.model_temperature,
        "timeout_s": args.timeout,
        "max_retries": args.max_retries,
        "variants": variants,
        "scenarios": [s.id for s in scenarios],
        "baseline": None,
    }
    print(f"{len(scenarios)} scenarios x {len(variants)} variants against {args.model}")
    started = time.perf_counter()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)

    def save(records: dict[str, list[dict[str, Any]]], *, partial: bool = True) -> str:
        done = len({s["id"] for r in records.values() for s in r})
        meta.update(partial=partial, scenarios_done=done)
        meta["duration_s"] = round(time.perf_counter() - started, 1)
        data, markdown = report(records, meta)
        if partial:
            markdown = f"Partial: {done} of {len(scenarios)} scenarios.\n\n{markdown}"
        (out / f"{args.name}.json").write_text(json.dumps(data, indent=2, default=str))
        (out / f"{args.name}.md").write_text(markdown + "\n")
        return markdown

    with tempfile.TemporaryDirectory() as tmp:
        root = args.data_dir or Path(tmp)
        baseline = None
        if args.baseline:
            from bench.baseline import Baseline

            # the settings that commit knew: the same endpoint, call timeout and retries
            old = {
                "OPENAI_BASE_URL": args.base_url,
                "OPENAI_API_KEY": args.api_key,
                "SHOP_MODEL": args.model,
                "SHOP_MODEL_TIMEOUT_S": args.timeout,
                "SHOP_MODEL_MAX_RETRIES": args.max_retries,
                "SHOP_TURNS_PER_MINUTE": 100_000,
                "SHOP_MAX_MODEL_CALLS": 100_000,
                "SHOP_TOOL_CHOICE": probe.tool_choice,
            }
            baseline = Baseline(args.baseline, Path(tmp) / "baseline", old)
            meta["baseline"] = baseline.commit
        try:
            records = asyncio.run(
                run_bench(scenarios, make_settings, variants, root, saved=save, baseline=baseline)
            )
        finally:
            if baseline is not None:
                baseline.close()
    print(save(records, partial=False))
    print(f"wrote bench/results/{args.name}.json and .md")


if __name__ == "__main__":
    main()
