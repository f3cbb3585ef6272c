"""Keep the prompt bounded: summarise old tool results, then trim oldest turns by tokens.

The system prompt always stays; trimming cuts at a human message so a tool message is never
left without the AI message that called it.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

from agent.tokens import count_messages

OLD_TOOL_CHARS = 300


def summarise_old_tool_results(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """Tool results before the current turn are cut to a short head."""
    last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=0)
    out: list[BaseMessage] = []
    for i, m in enumerate(messages):
        if i < last_human and isinstance(m, ToolMessage) and len(str(m.content)) > OLD_TOOL_CHARS:
            text = str(m.content)[:OLD_TOOL_CHARS]
            if "<catalog_data>" in text:
                text += "\n</catalog_data>"
            m = m.model_copy(update={"content": text + " …(older result summarised)"})
        out.append(m)
    return out


def trim(messages: Sequence[BaseMessage], budget: int) -> list[BaseMessage]:
    """Drop whole oldest turns until the conversation fits `budget` estimated tokens."""
    msgs = summarise_old_tool_results(messages)
    starts = [i for i, m in enumerate(msgs) if isinstance(m, HumanMessage)]
    cut = 0
    for start in starts:
        if count_messages(msgs[start:]) <= budget:
            cut = start
            break
        cut = start
    return msgs[cut:]
