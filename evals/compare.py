"""What got better or worse between two eval runs (two results.json files or their dirs)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from evals.report import load_results


def _scenario_rates(data: dict[str, Any]) -> dict[str, float]:
    runs: dict[str, list[bool]] = defaultdict(list)
    for run in data["runs"]:
        runs[run["scenario_id"]].append(bool(run["passed"]))
    return {sid: sum(v) / len(v) for sid, v in runs.items()}


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Differences from run `a` (before) to run `b` (after)."""
    ra, rb = _scenario_rates(a), _scenario_rates(b)
    fixed = sorted(s for s in ra.keys() & rb.keys() if rb[s] > ra[s])
    broken = sorted(s for s in ra.keys() & rb.keys() if rb[s] < ra[s])
    sa, sb = a["summary"], b["summary"]
    graders = {}
    for name in sorted(set(sa["by_grader"]) | set(sb["by_grader"])):
        before = sa["by_grader"].get(name, {}).get("mean_score")
        after = sb["by_grader"].get(name, {}).get("mean_score")
        delta = None if before is None or after is None else round(after - before, 4)
        graders[name] = {"before": before, "after": after, "delta": delta}
    tags = {}
    for tag in sorted(set(sa["by_tag"]) | set(sb["by_tag"])):
        before = sa["by_tag"].get(tag, {}).get("pass_rate")
        after = sb["by_tag"].get(tag, {}).get("pass_rate")
        delta = None if before is None or after is None else round(after - before, 4)
        tags[tag] = {"before": before, "after": after, "delta": delta}
    return {
        "a": {"run_id": a.get("run_id"), "model": a.get("model")},
        "b": {"run_id": b.get("run_id"), "model": b.get("model")},
        "pass_rate": {
            "before": sa["pass_rate"],
            "after": sb["pass_rate"],
            "delta": round(sb["pass_rate"] - sa["pass_rate"], 4),
        },
        "better": fixed,
        "worse": broken,
        "only_in_a": sorted(ra.keys() - rb.keys()),
        "only_in_b": sorted(rb.keys() - ra.keys()),
        "graders": graders,
        "tags": tags,
        "latency_p50_ms": {
            "before": sa["latency_ms_per_turn"]["p50"],
            "after": sb["latency_ms_per_turn"]["p50"],
        },
        "tokens_mean": {
            "before": sa["tokens_per_turn"]["mean"],
            "after": sb["tokens_per_turn"]["mean"],
        },
    }


def compare_paths(a: Path, b: Path) -> dict[str, Any]:
    """compare() on two results.json files (or directories holding one)."""
    return compare(load_results(a), load_results(b))


def _fmt(v: Any) -> str:
    return "-" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v)


def render_text(diff: dict[str, Any]) -> str:
    """A plain-text rendering (the CLI prints it through rich)."""
    pr = diff["pass_rate"]
    lines = [
        f"A {diff['a']['run_id']} ({diff['a']['model']}) -> B {diff['b']['run_id']} "
        f"({diff['b']['model']})",
        f"pass rate {pr['before']:.2%} -> {pr['after']:.2%} ({pr['delta']:+.2%})",
        f"better ({len(diff['better'])}): {', '.join(diff['better']) or '-'}",
        f"worse ({len(diff['worse'])}): {', '.join(diff['worse']) or '-'}",
    ]
    if diff["only_in_a"] or diff["only_in_b"]:
        lines.append(f"only in A: {', '.join(diff['only_in_a']) or '-'}")
        lines.append(f"only in B: {', '.join(diff['only_in_b']) or '-'}")
    lines.append("graders (mean score):")
    for name, g in diff["graders"].items():
        delta = "" if g["delta"] is None else f" ({g['delta']:+.2f})"
        lines.append(f"  {name:<14} {_fmt(g['before'])} -> {_fmt(g['after'])}{delta}")
    changed = {t: v for t, v in diff["tags"].items() if v["delta"]}
    if changed:
        lines.append("tags whose pass rate moved:")
        for tag, v in changed.items():
            lines.append(f"  {tag:<14} {_fmt(v['before'])} -> {_fmt(v['after'])}")
    lat = diff["latency_p50_ms"]
    lines.append(f"latency p50 {_fmt(lat['before'])} -> {_fmt(lat['after'])} ms")
    return "\n".join(lines)
