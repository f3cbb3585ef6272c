"""The graph state: messages, the shopper's request (typed), and the per-turn scratch (typed).

Typed values travel through the checkpointer as pydantic models; `SERDE_TYPES` lists them so
the checkpointer's serializer may rebuild them (agent/checkpoints.py). Readers accept a plain
dict too (`request_of`, `turn_of`), so a checkpoint written before a field existed still loads.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from pydantic import BaseModel, Field

from tools.contracts import ModelCall
from tools.request import ShopperRequest


def merge_unique(old: list[str] | None, new: list[str] | None) -> list[str]:
    """Append new ids, keeping order and uniqueness."""
    out = list(old or [])
    for item in new or []:
        if item not in out:
            out.append(item)
    return out


Route = Literal["", "tools", "agent", "finalize", "end"]


class TurnScratch(BaseModel):
    """What one turn accumulates: counters and timings, the route, and the rendered result."""

    request_id: str = ""
    shopper_text: str = ""  # this turn's message, as the shopper wrote it
    # settings from the caller
    max_items: int = 4
    answer_length: str = ""
    include_out_of_stock: bool = False
    action: dict[str, Any] | None = None  # a card button's CardAction, when one was pressed
    # accounting
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_tokens_est: int = 0
    completion_tokens_est: int = 0
    cached_tokens: int = 0
    usage_reported: bool = False
    model_ms: float = 0.0
    tool_ms: float = 0.0
    model: str = ""
    started: float = 0.0  # time.perf_counter() when the turn's first node ran
    calls: list[ModelCall] = Field(default_factory=list)  # each model call, measured
    prefetched: bool = False  # the two-stage turn ran its first data tool before the model
    # control
    route: Route = ""
    correction: str = ""  # a pending corrective message for the next model call
    corrections: int = 0
    fallback: bool = False  # later calls of this turn go to the offline engine
    reduced_mode: bool = False
    rejected: bool = False  # unknown ids were rejected once
    degraded: bool = False
    arg_corrections: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    # the answer
    reply: str = ""
    recommendations: list[dict[str, Any]] = Field(default_factory=list)
    alternatives: list[dict[str, Any]] = Field(default_factory=list)
    comparison: dict[str, Any] | None = None
    clarifying_question: bool = False


class ShopState(TypedDict, total=False):
    """One conversation (thread)."""

    messages: Annotated[list[AnyMessage], add_messages]
    request: ShopperRequest  # the shopper's request and what they have been shown
    seen_ids: Annotated[list[str], merge_unique]  # ids tools returned in this conversation
    model_calls: int  # per conversation
    turn: TurnScratch
    context: dict[str, str]  # host-page context (a valid product id)
    answered: dict[str, Any]  # message id → TurnResult (retries get the same answer)


def request_of(state: ShopState | dict[str, Any]) -> ShopperRequest:
    """The state's request (a fresh one when there is none yet)."""
    value = state.get("request")
    if isinstance(value, ShopperRequest):
        return value
    return ShopperRequest.model_validate(value or {})


def turn_of(state: ShopState | dict[str, Any]) -> TurnScratch:
    """A copy of the state's turn scratch, safe to change and return."""
    value = state.get("turn")
    if isinstance(value, TurnScratch):
        return value.model_copy(deep=True)
    if isinstance(value, dict):
        known = {k: v for k, v in value.items() if k in TurnScratch.model_fields}
        return TurnScratch.model_validate(known)
    return TurnScratch()


SERDE_TYPES = [("tools.request", "ShopperRequest"), ("agent.state", "TurnScratch")]
