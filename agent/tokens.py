"""Offline token counting: a chars/4 estimate (labelled estimated)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import BaseMessage

ESTIMATED = True


def count_text(text: str) -> int:
    """Estimated tokens of a text (about 4 characters per token)."""
    return max(1, (len(text) + 3) // 4)


def count_messages(messages: Sequence[BaseMessage]) -> int:
    """Estimated prompt tokens of a message list (content, tool calls, per-message overhead)."""
    total = 0
    for m in messages:
        total += 4 + count_text(str(m.content))
        for call in getattr(m, "tool_calls", None) or []:
            total += count_text(call["name"] + json.dumps(call["args"], default=str))
    return total


def count_tools(schemas: Sequence[dict[str, Any]]) -> int:
    """Estimated tokens of the tool schemas sent with every call."""
    return sum(count_text(json.dumps(s)) for s in schemas)
