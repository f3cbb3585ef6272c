"""The graph state: messages plus what the guards and later turns need."""

from __future__ import annotations

from typing import Annotated, Any, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages


def merge_unique(old: list[str] | None, new: list[str] | None) -> list[str]:
    """Append new ids, keeping order and uniqueness."""
    out = list(old or [])
    for item in new or []:
        if item not in out:
            out.append(item)
    return out


def merge_dict(old: dict | None, new: dict | None) -> dict:
    """Shallow-merge preferences (later statements win; nested options merge)."""
    out = dict(old or {})
    for key, value in (new or {}).items():
        if key == "options" and isinstance(value, dict):
            out["options"] = {**out.get("options", {}), **value}
        else:
            out[key] = value
    return out


class ShopState(TypedDict, total=False):
    """One conversation (thread)."""

    messages: Annotated[list[AnyMessage], add_messages]
    seen_ids: Annotated[list[str], merge_unique]  # ids tools returned in this conversation
    shown_ids: Annotated[list[str], merge_unique]  # ids recommended to the shopper
    preferences: Annotated[dict, merge_dict]  # budget, sizes, colours, brands
    model_calls: int  # per conversation
    turn: dict[str, Any]  # per-turn scratch: counters, timings, result
    context: dict[str, Any]  # host-page context (a valid product id)
    answered: dict[str, Any]  # message id → TurnResult (retries get the same answer)
