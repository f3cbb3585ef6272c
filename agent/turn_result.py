"""A turn's outcome as the callers see it: the `TurnResult` built from the graph's scratch,
the tool-call arguments a `tool_start` event may show, and the reply in streamed pieces."""

from __future__ import annotations

import time
from typing import Any

from agent.settings import Settings
from agent.state import TurnScratch
from tools.contracts import (
    Alternative,
    Comparison,
    Recommendation,
    ToolCallRecord,
    TurnResult,
    Usage,
)
from tools.toolkit import TERMINAL_TOOLS


def turn_result(
    turn: TurnScratch,
    tool_calls: list[ToolCallRecord],
    thread_id: str,
    started: float,
    settings: Settings,
    model_name: str,
) -> TurnResult:
    """The turn's result from the graph's scratch: the checked reply and cards, usage (the
    endpoint's, else estimated) and its cost, timings and notes."""
    prompt, completion = turn.prompt_tokens, turn.completion_tokens
    estimated = not turn.usage_reported
    if estimated:
        prompt, completion = turn.prompt_tokens_est, turn.completion_tokens_est
    cost = None
    if settings.cost_per_1k_prompt or settings.cost_per_1k_completion:
        cost = (
            prompt * settings.cost_per_1k_prompt + completion * settings.cost_per_1k_completion
        ) / 1000
    return TurnResult(
        reply=turn.reply or "Sorry, I could not answer that.",
        recommendations=[Recommendation.model_validate(r) for r in turn.recommendations],
        alternatives=[Alternative.model_validate(a) for a in turn.alternatives],
        comparison=Comparison.model_validate(turn.comparison) if turn.comparison else None,
        clarifying_question=turn.clarifying_question,
        tool_calls=tool_calls,
        usage=Usage(
            prompt_tokens=prompt, completion_tokens=completion, estimated=estimated, cost=cost
        ),
        latency_ms=(time.perf_counter() - started) * 1000,
        model_ms=turn.model_ms,
        tool_ms=turn.tool_ms,
        model=turn.model or model_name,
        thread_id=thread_id,
        reduced_mode=turn.reduced_mode,
        degraded=turn.degraded,
        notes=[*turn.notes, *(f"corrected {n}" for n in turn.arg_corrections)],
        calls=turn.calls,
        prefetched=turn.prefetched,
    )


def visible_args(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """A tool call's arguments as a `tool_start` event shows them (chat steps, `shop chat`): a
    final answer's message, question and reasons are the model's unchecked words, so only its
    picks' ids show; the reply carries the checked text."""
    if name not in TERMINAL_TOOLS:
        return args
    items = args.get("items")
    if not isinstance(items, list):
        return {}
    return {
        "items": [
            {k: v for k, v in i.items() if k != "reason"} for i in items if isinstance(i, dict)
        ]
    }


def chunks(text: str, size: int = 24) -> list[str]:
    """The reply in word-aligned pieces of about `size` characters, streamed as tokens."""
    words = text.split(" ")
    out, cur = [], ""
    for w in words:
        cur = f"{cur} {w}" if cur else w
        if len(cur) >= size:
            out.append(cur + " ")
            cur = ""
    if cur:
        out.append(cur)
    return out
