"""What bench/real_model.py measures: one record per turn (from the assistant's TurnResult),
summaries by scenario family, and the side-by-side table of two variants.

Counters come from the turn's own accounting: `TurnResult.calls` (one `ModelCall` per model
call: tokens reported or estimated, cached prompt tokens, time to first token, the problem that
sent it back) and `TurnResult.notes`, where the graph logs each guard action in fixed words:
"corrected …" (an argument corrected from the shopper's request), "moved X to alternatives",
"rejected/dropped unknown ids [...]", "removed from model text (…)", "recovered N tool call(s)
written as text", "model answer sent back", "prefetched …".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

_IDS_RE = re.compile(r"unknown ids \[(.*)\]")
_RECOVERED_RE = re.compile(r"recovered (\d+) tool call")


def pct(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def problem_kind(problem: str) -> str:
    """A model call's problem, as a short counter name."""
    if not problem:
        return ""
    if problem.startswith("model error"):
        return "timeout" if "Timeout" in problem else "http error"
    if "cut off" in problem:
        return "truncated"
    if "prose" in problem:
        return "prose instead of a tool"
    if "invalid tool call" in problem:
        return "invalid arguments"
    if "unknown tool" in problem:
        return "unknown tool"
    return problem


def note_counters(notes: list[str]) -> dict[str, int]:
    """The guard counters (COUNTERS) a turn's notes record."""
    unknown = 0
    for note in notes:
        match = _IDS_RE.search(note)
        if match and note.startswith(("rejected", "dropped")):
            unknown += len([x for x in match.group(1).split(",") if x.strip()])
    return {
        "corrections": sum(n.startswith("corrected ") for n in notes),
        "moved": sum(n.startswith("moved ") and "to alternatives" in n for n in notes),
        "unknown_ids": unknown,
        "facts_removed": sum(n.startswith("removed from model text") for n in notes),
        "recovered_text_calls": sum(
            int(m.group(1)) for n in notes if (m := _RECOVERED_RE.search(n))
        ),
        "sent_back": sum(n.startswith("model answer sent back") for n in notes),
        # a model's card reason the store could not keep as written (agent/card_reasons.py)
        "reasons_replaced": sum(
            n.startswith("reason of ")
            and ("shared by several picks" in n or "trimmed to supported facts" in n)
            for n in notes
        ),
    }


def turn_record(result: Any) -> dict[str, Any]:
    """One turn's measurements and guard counters (`result` is a TurnResult)."""
    notes = list(result.notes)
    remote = [c for c in result.calls if c.model != "offline"]
    first = next((c for c in remote if c.first_token_ms is not None), None)
    return {
        "latency_ms": result.latency_ms,
        "calls": len(remote),
        "offline_calls": len(result.calls) - len(remote),
        "prompt_tokens": sum(c.prompt_tokens for c in remote),
        "completion_tokens": sum(c.completion_tokens for c in remote),
        "cached_tokens": sum(c.cached_tokens for c in remote),
        "estimated": any(c.estimated for c in remote),
        "per_call": [
            {
                "prompt": c.prompt_tokens,
                "completion": c.completion_tokens,
                "cached": c.cached_tokens,
                "ms": round(c.ms, 1),
                "first_token_ms": None if c.first_token_ms is None else round(c.first_token_ms, 1),
                "finish": c.finish_reason,
                "problem": c.problem,
            }
            for c in remote
        ],
        # from the start of the turn to the model's first token (prefetch time included)
        "first_token_ms": None if first is None else first.at_ms + (first.first_token_ms or 0),
        "prefetched": result.prefetched,
        **note_counters(notes),
        "problems": dict(Counter(problem_kind(c.problem) for c in remote if c.problem)),
        "fallback": bool(result.reduced_mode or len(result.calls) > len(remote)),
        "reduced_mode": result.reduced_mode,
        "tools": [t.name for t in result.tool_calls],
        "recommendations": len(result.recommendations),
        "alternatives": len(result.alternatives),
        "notes": notes,
    }


GUARANTEES = ("grounding", "constraints")


def scenario_entry(
    ids: tuple[str, str | None],
    variant: str,
    grades: list[Any],
    error: str | None,
    turns: list[dict[str, Any]],
) -> dict[str, Any]:
    """One scenario's record (`ids`: its id and family): pass, failing grades, guarantees,
    turns. Its guarantees held when its grounding and constraints checks pass, asserted or
    not."""
    by_name = {g.name: g for g in grades}
    held = {n: bool(by_name[n].passed) if n in by_name else True for n in GUARANTEES}
    return {
        "id": ids[0],
        "family": ids[1],
        "variant": variant,
        "passed": all(g.passed for g in grades if g.asserted) and not error,
        "failing": [
            f"{g.name}: {g.explanation}"[:200] for g in grades if g.asserted and not g.passed
        ],
        "guarantees": {**held, "held": all(held.values()) and not error},
        "error": error,
        "duration_s": round(sum(t["latency_ms"] for t in turns) / 1000, 1),
        "turns": turns,
    }


COUNTERS = (
    "corrections",
    "moved",
    "unknown_ids",
    "facts_removed",
    "recovered_text_calls",
    "sent_back",
    "reasons_replaced",
)


def summarize(scenarios: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals and distributions over scenario records (each with its `turns`)."""
    turns = [t for s in scenarios for t in s["turns"]]
    calls = [c for t in turns for c in t["per_call"]]
    latency = [t["latency_ms"] for t in turns]
    prompt = sum(t["prompt_tokens"] for t in turns)
    cached = sum(t["cached_tokens"] for t in turns)
    problems: Counter[str] = Counter()
    for t in turns:
        problems.update(t["problems"])
    first = [t["first_token_ms"] for t in turns if t["first_token_ms"] is not None]
    n = max(1, len(turns))
    return {
        "scenarios": len(scenarios),
        "passed": sum(s["passed"] for s in scenarios),
        "pass_rate": sum(s["passed"] for s in scenarios) / max(1, len(scenarios)),
        "guarantees_held": sum(s["guarantees"]["held"] for s in scenarios),
        "turns": len(turns),
        "latency_ms": {
            "p50": pct(latency, 50),
            "p95": pct(latency, 95),
            "max": max(latency, default=0),
        },
        "first_token_ms": {"p50": pct(first, 50), "p95": pct(first, 95)},
        "call_first_token_ms_p50": pct(
            [c["first_token_ms"] for c in calls if c["first_token_ms"] is not None], 50
        ),
        "calls_per_turn": sum(t["calls"] for t in turns) / n,
        "prompt_tokens_per_turn": {
            "mean": prompt / n,
            "p50": pct([t["prompt_tokens"] for t in turns], 50),
        },
        "completion_tokens_per_turn": sum(t["completion_tokens"] for t in turns) / n,
        "prompt_tokens_per_call": prompt / max(1, len(calls)),
        "completion_tokens_per_call": sum(c["completion"] for c in calls) / max(1, len(calls)),
        "cached_share": cached / prompt if prompt else 0.0,
        "tokens_estimated": any(t["estimated"] for t in turns),
        "prefetched_turns": sum(t["prefetched"] for t in turns),
        "fallback_turns": sum(t["fallback"] for t in turns),
        "picks": sum(t.get("recommendations", 0) for t in turns),
        **{k: sum(t.get(k, 0) for t in turns) for k in COUNTERS},
        "problems": dict(problems),
    }


def by_family(scenarios: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """`summarize` per scenario family."""
    families = sorted({s["family"] or "-" for s in scenarios})
    return {f: summarize([s for s in scenarios if (s["family"] or "-") == f]) for f in families}


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value / 1000:.1f}s"


def family_table(name: str, families: dict[str, dict[str, Any]], overall: dict[str, Any]) -> str:
    """One variant's table by family, as Markdown."""
    head = (
        "| family | pass | guarantees | turns | p50 / p95 turn | first token p50 | calls/turn "
        "| prompt tok/turn | compl. tok/turn | cached | corrected | moved | unknown ids "
        "| facts removed | recovered | fallbacks |"
    )
    lines = [f"**{name}**", "", head, "|" + "---|" * 16]
    for fam, s in [*families.items(), ("**all**", overall)]:
        lines.append(
            f"| {fam} | {s['passed']}/{s['scenarios']} | {s['guarantees_held']}/{s['scenarios']} "
            f"| {s['turns']} | {_ms(s['latency_ms']['p50'])} / {_ms(s['latency_ms']['p95'])} "
            f"| {_ms(s['first_token_ms']['p50'])} | {s['calls_per_turn']:.1f} "
            f"| {s['prompt_tokens_per_turn']['mean']:,.0f} "
            f"| {s['completion_tokens_per_turn']:,.0f} "
            f"| {s['cached_share']:.0%} | {s['corrections']} | {s['moved']} | {s['unknown_ids']} "
            f"| {s['facts_removed']} | {s['recovered_text_calls']} | {s['fallback_turns']} |"
        )
    return "\n".join(lines)


def _tokens(a: float | None, b: float | None) -> str:
    return f"{a or 0:,.0f} / {b or 0:,.0f}"


SIDE_BY_SIDE: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("scenarios passed", lambda s: f"{s['passed']}/{s['scenarios']}"),
    ("guarantees held (picks fit, no unrendered facts)", lambda s: f"{s['guarantees_held']}"),
    ("turn latency p50", lambda s: _ms(s["latency_ms"]["p50"])),
    ("turn latency p95", lambda s: _ms(s["latency_ms"]["p95"])),
    ("first token from turn start, p50", lambda s: _ms(s["first_token_ms"]["p50"])),
    ("first token per call, p50", lambda s: _ms(s["call_first_token_ms_p50"])),
    ("model calls per turn", lambda s: f"{s['calls_per_turn']:.2f}"),
    (
        "prompt tokens per turn (mean / p50)",
        lambda s: _tokens(s["prompt_tokens_per_turn"]["mean"], s["prompt_tokens_per_turn"]["p50"]),
    ),
    ("completion tokens per turn", lambda s: f"{s['completion_tokens_per_turn']:,.0f}"),
    (
        "prompt / completion tokens per call",
        lambda s: _tokens(s["prompt_tokens_per_call"], s["completion_tokens_per_call"]),
    ),
    ("cached share of prompt tokens", lambda s: f"{s['cached_share']:.0%}"),
    ("turns with a first stage (prefetch)", lambda s: str(s["prefetched_turns"])),
    ("arguments corrected", lambda s: str(s["corrections"])),
    ("items moved to alternatives", lambda s: str(s["moved"])),
    ("unknown ids", lambda s: str(s["unknown_ids"])),
    ("facts removed from model text", lambda s: str(s["facts_removed"])),
    ("tool calls recovered from text", lambda s: str(s["recovered_text_calls"])),
    ("answers sent back", lambda s: str(s["sent_back"])),
    (
        "model reasons replaced by the store / picks",
        lambda s: f"{s.get('reasons_replaced', 0)} / {s.get('picks', 0)}",
    ),
    (
        "model problems",
        lambda s: ", ".join(f"{k} {v}" for k, v in sorted(s["problems"].items())) or "-",
    ),
    ("turns answered by the offline engine", lambda s: str(s["fallback_turns"])),
]


def side_by_side(variants: dict[str, dict[str, Any]]) -> str:
    """The variants' overall figures in columns, as Markdown."""
    names = list(variants)
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for label, cell in SIDE_BY_SIDE:
        lines.append(f"| {label} | " + " | ".join(cell(variants[n]) for n in names) + " |")
    return "\n".join(lines)


def latency_ratio(variants: dict[str, dict[str, Any]], base: str, new: str) -> float | None:
    """Median turn latency of `new` over `base` (0.5 = halved)."""
    a = variants.get(base, {}).get("latency_ms", {}).get("p50")
    b = variants.get(new, {}).get("latency_ms", {}).get("p50")
    return b / a if a and b is not None else None
