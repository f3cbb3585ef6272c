"""Keep the prompt bounded, and growing append-only so a server's prefix cache can reuse it.

The turns of the current block (up to VERBATIM_TURNS, counted from the start of the
conversation) are sent exactly as the model saw them when they were new: each shopper message
with the store's note it was sent with (`AS_SENT`), every tool result and call whole. A later
turn's prompt then starts with the earlier one's bytes, and llama.cpp, vLLM or OpenAI re-read
only what is new. When a new block starts, the turns before it are compacted, once: the
shopper's message as written, its final answer (the text after the guards' corrections) whole,
its data-tool results shrunk to their header line, its terminal call to the product ids (the
reasons and message are in that answer). Compacted turns are then dropped from the oldest, a
block at a time, while they are over the token budget, so the prefix changes only at block
boundaries. The system prompt always stays; a cut is made at a human message, so a tool message
is never left without the AI message that called it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.tokens import count_messages
from tools.rendering import DATA_OPEN
from tools.toolkit import TERMINAL_TOOLS

OLDER_RESULT = "(earlier result, summarised)"
# turns sent as they were first sent before the conversation is compacted (one cache refill)
VERBATIM_TURNS = 4
# where the graph records a shopper message as the model saw it: text plus the store's note
AS_SENT = "as_sent"
IN_THE_ANSWER = "(see the answer that follows)"


def _header(content: str) -> str:
    """The plain line a tool result starts with, before any catalog data."""
    head = content.split(DATA_OPEN, 1)[0].strip().splitlines()
    first = head[0] if head else ""
    return first[:200]


def _terminal_args(name: str, args: dict[str, Any]) -> dict[str, Any]:
    if name == "recommend":
        items = args.get("items") if isinstance(args.get("items"), list) else []
        return {
            "items": [
                {k: i[k] for k in ("product_id", "variant_id") if i.get(k)}
                for i in items
                if isinstance(i, dict)
            ]
        }
    key = "question" if name == "ask_clarifying_question" else "message"
    return {key: IN_THE_ANSWER}


def compact_earlier_turns(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """Messages before the latest human message, compacted; the current turn untouched."""
    last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=0)
    return [*_compacted(messages[:last_human]), *messages[last_human:]]


def _compacted(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    out: list[BaseMessage] = []
    for m in messages:
        if isinstance(m, ToolMessage) and m.name not in TERMINAL_TOOLS:
            header = _header(str(m.content))
            m = m.model_copy(update={"content": f"{header} {OLDER_RESULT}".strip()})
        elif isinstance(m, AIMessage) and {c["name"] for c in m.tool_calls} & TERMINAL_TOOLS:
            calls = [
                {**c, "args": _terminal_args(c["name"], c["args"])}
                if c["name"] in TERMINAL_TOOLS
                else c
                for c in m.tool_calls
            ]
            m = m.model_copy(update={"tool_calls": calls})
        out.append(m)
    return out


def _as_sent(m: BaseMessage) -> BaseMessage:
    """A shopper message of the current block as the model saw it (with the store's note)."""
    sent = m.additional_kwargs.get(AS_SENT) if isinstance(m, HumanMessage) else None
    return m.model_copy(update={"content": sent}) if isinstance(sent, str) else m


def trim(messages: Sequence[BaseMessage], budget: int) -> list[BaseMessage]:
    """The messages a model call sends: the current block's turns as sent, the earlier turns
    compacted and, past `budget` tokens, dropped from the oldest a block at a time.

    The current block is always kept whole, even when it alone is over the budget.
    """
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    if not starts:
        return list(messages)
    block = (len(starts) - 1) // VERBATIM_TURNS * VERBATIM_TURNS
    # the newest shopper message stays as written: the caller adds this turn's note to it
    current = [
        _as_sent(m) if i < starts[-1] else m for i, m in enumerate(messages) if i >= starts[block]
    ]
    earlier = _compacted(messages[: starts[block]])
    first = 0
    while first < block and count_messages(earlier[starts[first] :]) > budget:
        first += VERBATIM_TURNS
    return [*earlier[starts[first] :], *current]


def record_as_sent(stored: list[BaseMessage], prompt: list[BaseMessage]) -> list[BaseMessage]:
    """The shopper's newest message, recording how the model saw it (with the store's note):
    `trim` sends it so in later turns, byte for byte, and a server's prefix cache reuses them.
    Empty when it is already recorded."""
    human = next((m for m in reversed(stored) if isinstance(m, HumanMessage)), None)
    if human is None or human.id is None:
        return []
    shown = next((m for m in prompt if isinstance(m, HumanMessage) and m.id == human.id), None)
    if shown is None or human.additional_kwargs.get(AS_SENT) == shown.content:
        return []
    kwargs = {**human.additional_kwargs, AS_SENT: shown.content}
    return [human.model_copy(update={"additional_kwargs": kwargs})]
