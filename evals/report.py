"""Summaries, results.json and a self-contained HTML report with inline SVG plots."""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from evals.runner import RunResult

RESULTS_FILE = "results.json"
REPORT_FILE = "report.html"


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _dist(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "mean": round(sum(values) / len(values), 2) if values else 0.0,
        "p50": round(_pct(values, 0.5), 2),
        "p95": round(_pct(values, 0.95), 2),
        "max": round(max(values), 2) if values else 0.0,
    }


def summarize(result: RunResult) -> dict[str, Any]:
    """Pass rates (overall, pass^k, by family, tag and catalog), grader scores, latency, tokens."""
    runs = result.runs
    by_scenario: dict[str, list[bool]] = defaultdict(list)
    for run in runs:
        by_scenario[run.scenario_id].append(run.passed)
    tags: dict[str, list[bool]] = defaultdict(list)
    suites: dict[str, list[bool]] = defaultdict(list)
    families: dict[str, list[bool]] = defaultdict(list)
    for run in runs:
        for tag in run.tags or ["(untagged)"]:
            tags[tag].append(run.passed)
        suites[run.catalog].append(run.passed)
        families[run.family or "(none)"].append(run.passed)
    graders: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for run in runs:
        for g in run.grades:
            graders[g.name]["score"].append(g.score)
            if g.asserted:
                graders[g.name]["asserted"].append(1.0 if g.passed else 0.0)
    latency = [t.latency_ms for run in runs for t in run.transcript.turns]
    tokens = [
        float(t.prompt_tokens + t.completion_tokens) for run in runs for t in run.transcript.turns
    ]
    tool_calls = [float(len(t.tool_calls)) for run in runs for t in run.transcript.turns]

    def rate(values: list[bool]) -> dict[str, Any]:
        return {
            "runs": len(values),
            "passed": sum(values),
            "pass_rate": round(sum(values) / len(values), 4) if values else 0.0,
        }

    failures = []
    for run in runs:
        if run.passed:
            continue
        reasons = [f"{g.name}: {g.explanation}" for g in run.grades if g.asserted and not g.passed]
        if run.transcript.error:
            reasons.insert(0, f"error: {run.transcript.error}")
        failures.append({"scenario": run.scenario_id, "repeat": run.repeat, "reasons": reasons})
    return {
        "runs": len(runs),
        "scenarios": len(by_scenario),
        "passed": sum(r.passed for r in runs),
        "pass_rate": rate([r.passed for r in runs])["pass_rate"],
        "pass_hat_k": round(sum(all(v) for v in by_scenario.values()) / len(by_scenario), 4)
        if by_scenario
        else 0.0,
        "k": result.repeat,
        "by_family": {f: rate(v) for f, v in sorted(families.items())},
        "by_tag": {t: rate(v) for t, v in sorted(tags.items())},
        "by_suite": {s: rate(v) for s, v in sorted(suites.items())},
        "by_grader": {
            name: {
                "mean_score": round(sum(d["score"]) / len(d["score"]), 4),
                "asserted": len(d["asserted"]),
                "asserted_pass_rate": round(sum(d["asserted"]) / len(d["asserted"]), 4)
                if d["asserted"]
                else None,
            }
            for name, d in sorted(graders.items())
        },
        "latency_ms_per_turn": _dist(latency),
        "tokens_per_turn": _dist(tokens),
        "tool_calls_per_turn": _dist(tool_calls),
        "failures": failures,
    }


def to_json(result: RunResult) -> dict[str, Any]:
    """results.json content: the run, every scenario run, and the summary."""
    data = result.model_dump(mode="json")
    data["summary"] = summarize(result)
    return data


def write_report(result: RunResult, out_dir: Path) -> tuple[Path, Path]:
    """Write results.json and report.html into `out_dir`; return both paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = to_json(result)
    results_path = out_dir / RESULTS_FILE
    results_path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    html_path = out_dir / REPORT_FILE
    html_path.write_text(render_html(data), encoding="utf-8")
    return results_path, html_path


def load_results(path: Path) -> dict[str, Any]:
    """Read a results.json (or the directory holding one)."""
    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    if "summary" not in data:
        data["summary"] = summarize(RunResult.model_validate(data))
    return data


# --------------------------------------------------------------------------------------------
# SVG plots (hand-drawn: no plotting library)
# --------------------------------------------------------------------------------------------

_E = html.escape


def svg_bars(title: str, items: list[tuple[str, float]], *, max_value: float = 1.0) -> str:
    """Horizontal bar chart of (label, value) with value in 0..max_value."""
    row, label_w, bar_w = 22, 170, 320
    height = 34 + row * max(1, len(items))
    parts = [
        f'<svg width="{label_w + bar_w + 70}" '
        f'height="{height}" role="img" aria-label="{_E(title)}">',
        f'<text x="4" y="16" font-size="13" font-weight="bold">{_E(title)}</text>',
    ]
    for i, (label, value) in enumerate(items):
        y = 28 + i * row
        frac = 0.0 if max_value <= 0 else max(0.0, min(1.0, value / max_value))
        color = "#2f6f4f" if frac >= 0.8 else "#c98a1b" if frac >= 0.5 else "#b23b3b"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
            f"{_E(label[:26])}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="{row - 6}" fill="#eee"/>'
            f'<rect x="{label_w}" y="{y + 2}" width="{bar_w * frac:.1f}" height="{row - 6}" '
            f'fill="{color}"><title>{_E(label)}: {value:.3g}</title></rect>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}" font-size="12">{value:.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def svg_histogram(title: str, values: list[float], *, bins: int = 12, unit: str = "") -> str:
    """A histogram of `values` with `bins` equal-width bins."""
    width, height, pad = 480, 200, 36
    parts = [
        f'<svg width="{width}" height="{height}" role="img" aria-label="{_E(title)}">',
        f'<text x="4" y="16" font-size="13" font-weight="bold">{_E(title)}</text>',
    ]
    if not values:
        parts.append('<text x="40" y="100" font-size="12">no data</text></svg>')
        return "".join(parts)
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / span * bins))] += 1
    top = max(counts)
    plot_w, plot_h = width - 2 * pad, height - 2 * pad
    bw = plot_w / bins
    for i, c in enumerate(counts):
        h = plot_h * c / top if top else 0
        x = pad + i * bw
        b_lo, b_hi = lo + span * i / bins, lo + span * (i + 1) / bins
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{pad + plot_h - h:.1f}" width="{bw - 2:.1f}" '
            f'height="{h:.1f}" fill="#4a78a8"><title>{b_lo:.0f}-{b_hi:.0f}{unit}: {c}'
            "</title></rect>"
        )
    axis_y = pad + plot_h
    parts.append(
        f'<line x1="{pad}" y1="{axis_y}" x2="{pad + plot_w}" y2="{axis_y}" stroke="#333"/>'
        f'<text x="{pad}" y="{axis_y + 16}" font-size="11">{lo:.0f}{unit}</text>'
        f'<text x="{pad + plot_w}" y="{axis_y + 16}" font-size="11" text-anchor="end">'
        f"{hi:.0f}{unit}</text>"
        f'<text x="{pad - 4}" y="{pad + 4}" font-size="11" text-anchor="end">{top}</text>'
        f'<text x="{width - 4}" y="16" font-size="11" text-anchor="end">n={len(values)}, '
        f"p50={_pct(values, 0.5):.0f}{unit}, p95={_pct(values, 0.95):.0f}{unit}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font-family:system-ui,-apple-system,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;font-size:13px;width:100%}
td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
.pass{color:#2f6f4f;font-weight:bold}.fail{color:#b23b3b;font-weight:bold}
.plots{display:flex;flex-wrap:wrap;gap:24px}.kpi{display:flex;gap:28px;font-size:15px}
.kpi b{font-size:22px;display:block}details{margin:2px 0}pre{white-space:pre-wrap;margin:0}
"""


def render_html(data: dict[str, Any]) -> str:
    """A single HTML file (inline CSS and SVG, no scripts or external assets)."""
    s = data["summary"]
    runs = data["runs"]
    latency = [t["latency_ms"] for r in runs for t in r["transcript"]["turns"]]
    tokens = [
        t["prompt_tokens"] + t["completion_tokens"] for r in runs for t in r["transcript"]["turns"]
    ]
    tag_bars = [(t, v["pass_rate"]) for t, v in s["by_tag"].items()]
    by_family = s.get("by_family", {})
    family_bars = [(f, v["pass_rate"]) for f, v in by_family.items()]
    family_rows = "".join(
        f"<tr><td>{_E(f)}</td><td>{v['passed']}/{v['runs']}</td><td>{v['pass_rate']:.0%}</td></tr>"
        for f, v in by_family.items()
    )
    grader_bars = [(g, v["mean_score"]) for g, v in s["by_grader"].items()]
    asserted_bars = [
        (g, v["asserted_pass_rate"])
        for g, v in s["by_grader"].items()
        if v["asserted_pass_rate"] is not None
    ]
    rows = []
    for r in runs:
        status = (
            '<span class="pass">PASS</span>' if r["passed"] else '<span class="fail">FAIL</span>'
        )
        failing = [g for g in r["grades"] if g["asserted"] and not g["passed"]]
        why = "; ".join(f"{g['name']}: {g['explanation']}" for g in failing)
        if r["transcript"].get("error"):
            why = f"error: {r['transcript']['error']}; " + why
        turns = "".join(
            f"<pre><b>user:</b> {_E(t['user'])}\n<b>assistant:</b> {_E(t['reply'][:600])}\n"
            f"<i>recs: {_E(', '.join(x['product_id'] for x in t['recommendations']))} · tools: "
            f"{_E(', '.join(c['name'] for c in t['tool_calls']))} · "
            f"{t['latency_ms']:.0f} ms</i></pre>"
            for t in r["transcript"]["turns"]
        )
        grades = " ".join(
            f"{_E(g['name'])}={g['score']:.2f}{'*' if g['asserted'] else ''}" for g in r["grades"]
        )
        rows.append(
            f"<tr><td>{_E(r['scenario_id'])}</td><td>{_E(r.get('family') or '')}</td>"
            f"<td>{r['repeat']}</td><td>{status}</td>"
            f"<td>{_E(', '.join(r['tags']))}</td><td>{_E(why)}"
            f"<details><summary>transcript</summary>{turns}<small>{grades}</small>"
            "</details></td></tr>"
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Eval report {_E(data["run_id"])}</title>
<style>{_CSS}</style></head><body>
<h1>Eval report · {_E(data["run_id"])}</h1>
<p>model <b>{_E(data["model"])}</b> · started {_E(data["started_at"])} ·
{data["duration_s"]:.1f} s · repeat {data["repeat"]} · concurrency {data["concurrency"]}</p>
<div class="kpi"><div><b>{s["pass_rate"]:.0%}</b>pass rate ({s["passed"]}/{s["runs"]} runs)</div>
<div><b>{s["pass_hat_k"]:.0%}</b>pass^{s["k"]} ({s["scenarios"]} scenarios)</div>
<div><b>{s["latency_ms_per_turn"]["p50"]:.0f} ms</b>median turn latency</div>
<div><b>{s["tokens_per_turn"]["mean"]:.0f}</b>tokens per turn (mean)</div></div>
<h2>Pass rate by family</h2>
<table style="width:auto"><tr><th>family</th><th>passed</th><th>pass rate</th></tr>
{family_rows}</table>
<h2>Plots</h2><div class="plots">
{svg_bars("Pass rate by family", family_bars)}
{svg_bars("Pass rate by tag", tag_bars)}
{svg_bars("Mean score per grader", grader_bars)}
{svg_bars("Asserted pass rate per grader", asserted_bars)}
{svg_histogram("Latency per turn", latency, unit=" ms")}
{svg_histogram("Tokens per turn", [float(x) for x in tokens])}
</div>
<h2>Scenarios</h2>
<table><tr><th>scenario</th><th>family</th><th>rep</th><th>result</th><th>tags</th>
<th>why / transcript</th></tr>
{"".join(rows)}</table>
<p><small>* asserted grade (required for the scenario to pass)</small></p>
</body></html>
"""
