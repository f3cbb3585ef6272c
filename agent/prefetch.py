"""The two-stage turn's first stage: retrieve from the shopper's request before the model runs.

On a small model the number of calls per turn *is* the latency (each call re-reads the prompt
and writes JSON at ~20 tokens/s on a CPU). So before the first remote call of a turn, the
offline engine reads the same prompt the model would see and, when its first step is a data
tool call (search, browse, look-up, inventory, comparison, policy: deterministic retrieval
from the shopper's state), that call runs through the tools node as if the model had made it.
The model then sees the candidates in its first call and can rank and explain them with one
`recommend`; it may still call tools when it needs more. A first step that is a terminal tool
(a greeting, a clarifying question) is not taken, nor a search whose purpose is examples for a
clarifying question ("I need a gift"): the model answers that turn itself.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage

from agent.offline.context import ASKING, STEP_PURPOSE
from agent.state import ShopState, TurnScratch, turn_of

log = logging.getLogger("agent.prefetch")

Prompt = Callable[[ShopState, TurnScratch], list[BaseMessage]]
# Candidates the model sees from a prefetched search: enough to rank 3-5 picks from; every
# one more is ~80 prompt tokens the model reads before it writes (the prompt is the latency
# on a CPU server: 12 candidates cost about what a second call does).
PREFETCH_LIMIT = 6


def make_prefetch(
    engine: Any,
    prompt_for: Prompt,
    data_tools: set[str],
    *,
    max_calls: int,
    skip: Callable[[], bool] = lambda: False,
) -> Callable[[ShopState], Any]:
    """The prefetch node: `engine.step(prompt)`'s data tool calls, or nothing.

    `skip()` says the remote model will not be called anyway (the breaker is open): the
    offline engine then answers the whole turn itself.
    """

    async def prefetch(state: ShopState) -> dict[str, Any]:
        turn = turn_of(state)
        turn.route = "agent"
        if turn.fallback or skip():
            return {"turn": turn}
        prompt = prompt_for(state, turn)
        try:
            step = await asyncio.to_thread(engine.step, prompt)
        except Exception as exc:  # noqa: BLE001 - without a first stage the model does it all
            log.warning("prefetch failed: %s", exc)
            turn.notes.append(f"prefetch failed: {type(exc).__name__}")
            return {"turn": turn}
        calls = list(step.tool_calls or [])
        if not calls or any(c["name"] not in data_tools for c in calls):
            return {"turn": turn}
        if step.additional_kwargs.get(STEP_PURPOSE) == ASKING:
            # "I need a gift": the engine searches for examples to ask about; a model handed
            # them as candidates recommends them instead of asking, so it answers alone
            return {"turn": turn}
        tag = uuid.uuid4().hex[:8]
        calls = [
            {**c, "args": _compact(c["args"]), "id": f"prefetch_{tag}_{i}", "type": "tool_call"}
            for i, c in enumerate(calls[:max_calls])
        ]
        turn.prefetched, turn.route = True, "tools"
        turn.notes.append("prefetched " + ", ".join(c["name"] for c in calls))
        return {"messages": [AIMessage(content="", tool_calls=calls)], "turn": turn}

    return prefetch


def _compact(args: dict[str, Any]) -> dict[str, Any]:
    """A search's `limit` capped at PREFETCH_LIMIT (other calls unchanged)."""
    limit = args.get("limit")
    if isinstance(limit, int) and limit > PREFETCH_LIMIT:
        return {**args, "limit": PREFETCH_LIMIT}
    return args


def route_prefetch(state: ShopState) -> str:
    """To the tools when a first stage was taken, else straight to the model."""
    return "tools" if turn_of(state).route == "tools" else "agent"
