"""What one assistant turn returns, and the events a streaming turn emits.

This is the contract between the agent and its callers (the terminal chat, the Chainlit UI,
the HTTP API and the eval runner). Recommendation facts come from SQL, never from the model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Recommendation(BaseModel):
    """A recommended product as rendered from SQL, with the model's one-line reason."""

    product_id: str
    title: str
    price: float
    currency: str
    in_stock: bool
    stock: int | None = None
    variant_id: str | None = None
    variant: dict[str, str] = Field(default_factory=dict)
    reason: str = ""
    brand: str | None = None
    rating: float | None = None
    image_url: str | None = None
    category: str | None = None


class Violation(BaseModel):
    """Why an item does not fit the shopper's request, machine-readable plus a short text.

    `code` is one of: over_budget, under_budget, option_unavailable, out_of_stock,
    brand_excluded, brand_not_requested, category_mismatch, excluded_term, not_cheaper,
    already_shown, rejected, not_a_match (a nearest product offered because nothing matched).
    """

    code: str
    detail: str


class Alternative(Recommendation):
    """An item the model put forward that does not fit; shown only as an alternative."""

    violations: list[Violation] = Field(default_factory=list)


class ToolCallRecord(BaseModel):
    """One tool call made during the turn."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    summary: str = ""
    duration_ms: float = 0.0


class Usage(BaseModel):
    """Token usage of the turn; `estimated` when the endpoint did not report it."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: bool = False
    cost: float | None = None


class ModelCall(BaseModel):
    """One chat-model call of a turn, as measured (the bench reads these)."""

    model: str = ""  # the endpoint's model name, or "offline" for the offline engine
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens the server reported as served from its cache
    estimated: bool = False  # the endpoint reported no usage: tokens counted here
    at_ms: float = 0.0  # when the call started, from the start of the turn
    ms: float = 0.0
    first_token_ms: float | None = None  # streamed calls: first content or tool-call chunk
    finish_reason: str = ""
    problem: str = ""  # why the answer was not used ("" when it was)


class Comparison(BaseModel):
    """A side-by-side table: one column per product, one row per attribute."""

    product_ids: list[str]
    columns: list[str]
    rows: list[list[str]]


class TurnResult(BaseModel):
    """The outcome of one user message."""

    reply: str
    recommendations: list[Recommendation] = Field(default_factory=list)
    # Items that break a stated constraint, each with its reasons: never among the picks.
    alternatives: list[Alternative] = Field(default_factory=list)
    comparison: Comparison | None = None
    clarifying_question: bool = False
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    latency_ms: float = 0.0
    model_ms: float = 0.0
    tool_ms: float = 0.0
    model: str = "offline"
    request_id: str = ""
    thread_id: str = ""
    reduced_mode: bool = False
    degraded: bool = False
    notes: list[str] = Field(default_factory=list)
    calls: list[ModelCall] = Field(default_factory=list)  # every model call, in order
    prefetched: bool = False  # the turn's first data tool ran before any model call


class TurnEvent(BaseModel):
    """A streaming event: tool start/end and drafts while working, then tokens, then the result.

    A `draft` is a sentence the model is writing, already through the fact allow-list; the
    reply (the `token` events, and `final`) replaces the drafts when the turn ends.
    """

    type: Literal["draft", "token", "tool_start", "tool_end", "final"]
    text: str = ""
    name: str = ""
    call_id: str = ""
    args: dict[str, Any] = Field(default_factory=dict)
    summary: str = ""
    result: TurnResult | None = None
