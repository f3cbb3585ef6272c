"""Keep the prompt bounded: earlier turns are compacted, then the oldest dropped by tokens.

An earlier turn is kept as the shopper saw it. Its final answer (the text after the guards'
corrections) stays whole; its data-tool results shrink to their header line, since the answer
lists what was picked and the system prompt carries preferences and shown ids; its terminal
call keeps only the product ids, because the reasons and message it carried are in that answer.
The system prompt always stays; trimming cuts at a human message, so a tool message is never
left without the AI message that called it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.tokens import count_messages
from tools.rendering import DATA_OPEN
from tools.toolkit import TERMINAL_TOOLS

OLDER_RESULT = "(earlier result, summarised)"
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
    out: list[BaseMessage] = []
    for i, m in enumerate(messages):
        if i < last_human:
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


def trim(messages: Sequence[BaseMessage], budget: int) -> list[BaseMessage]:
    """Compact earlier turns, then drop whole oldest turns until the rest fits `budget` tokens.

    The current turn is always kept, even when it alone is over the budget.
    """
    msgs = compact_earlier_turns(messages)
    sizes = [count_messages([m]) for m in msgs]
    starts = [i for i, m in enumerate(msgs) if isinstance(m, HumanMessage)]
    if not starts:
        return msgs
    cut = starts[-1]
    for start in starts:
        if sum(sizes[start:]) <= budget:
            cut = start
            break
    return msgs[cut:]
