"""What bench/real_model.py counts, from a TurnResult's calls and the guard notes the agent
writes (agent/answer.py, agent/facts.py, agent/textcalls.py, agent/assistant.py)."""

from __future__ import annotations

from bench.real_model_metrics import pct, side_by_side, summarize, turn_record
from tools.contracts import ModelCall, TurnResult


def result(notes: list[str], calls: list[ModelCall], latency_ms: float) -> TurnResult:
    return TurnResult(reply="ok", notes=notes, calls=calls, latency_ms=latency_ms)


def test_a_turn_counts_guard_actions_tokens_and_problems() -> None:
    calls = [
        ModelCall(model="m", prompt_tokens=1000, completion_tokens=40, cached_tokens=800,
                  at_ms=100.0, ms=900.0, first_token_ms=300.0, problem="cut off at the budget"),
        ModelCall(model="m", prompt_tokens=1100, completion_tokens=60, cached_tokens=1000,
                  at_ms=1000.0, ms=500.0, first_token_ms=50.0),
        ModelCall(model="offline"),
    ]  # fmt: skip
    notes = [
        "corrected search_products: dropped min_price=0",
        "corrected search_products: max_price 100 -> 150.0 (stated)",
        "moved B1 to alternatives: ['over_budget']",
        "rejected unknown ids ['001', 'X9']",
        "removed from model text (price): 'Now $5'",
        "recovered 2 tool call(s) written as text",
        "model answer sent back: a question that is not a question",
    ]
    r = turn_record(result(notes, calls, 2000.0))
    assert (r["calls"], r["offline_calls"], r["fallback"]) == (2, 1, True)
    assert (r["prompt_tokens"], r["completion_tokens"], r["cached_tokens"]) == (2100, 100, 1800)
    assert r["first_token_ms"] == 400.0  # from the start of the turn
    assert (r["corrections"], r["moved"], r["unknown_ids"]) == (2, 1, 2)
    assert (r["facts_removed"], r["recovered_text_calls"], r["sent_back"]) == (1, 2, 1)
    assert r["problems"] == {"truncated": 1}


def test_summaries_and_the_side_by_side_table() -> None:
    fast = turn_record(result([], [ModelCall(model="m", prompt_tokens=500)], 1000.0))
    slow = turn_record(result([], [ModelCall(model="m", prompt_tokens=1500)] * 2, 3000.0))
    scenario = {"passed": True, "guarantees": {"held": True}, "family": "budget"}
    s = summarize([{**scenario, "turns": [fast, slow]}])
    assert s["latency_ms"]["p50"] == 1000.0 and s["latency_ms"]["p95"] == 3000.0
    assert s["calls_per_turn"] == 1.5 and s["prompt_tokens_per_turn"]["mean"] == 1750
    assert (s["passed"], s["guarantees_held"], s["fallback_turns"]) == (1, 1, 0)
    table = side_by_side({"loop": s, "two-stage": s})
    assert "| turn latency p50 | 1.0s | 1.0s |" in table
    assert pct([], 50) is None and pct([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert pct([1.0, 2.0, 3.0], 50) == 2.0 and pct([float(i) for i in range(1, 21)], 95) == 19.0
