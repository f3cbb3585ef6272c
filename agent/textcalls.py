"""Tool calls that arrive as text: small models often write the call as JSON in the message
(in a code fence or bare) instead of using the API's tool-call field. A call written that way
for a known tool is recovered into a real tool call; anything else stays prose.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from langchain_core.messages import AIMessage

_FENCE_RE = re.compile(r"```(?:json|tool_call|tool)?\s*(.*?)```", re.S)


def _objects(text: str) -> list[Any]:
    """JSON values found in fences, or the whole text, or its outermost {...} spans."""
    found: list[Any] = []
    candidates = [m.group(1) for m in _FENCE_RE.finditer(text)] or [text]
    for chunk in candidates:
        chunk = chunk.strip()
        try:
            found.append(json.loads(chunk))
            continue
        except ValueError:
            pass
        decoder = json.JSONDecoder()
        i = chunk.find("{")
        while i >= 0:
            try:
                value, end = decoder.raw_decode(chunk, i)
            except ValueError:
                i = chunk.find("{", i + 1)
                continue
            found.append(value)
            i = chunk.find("{", end)
    return found


def _as_call(value: Any, tool_names: set[str]) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("function"), dict):
        value = value["function"]
    name = value.get("name") or value.get("tool")
    args = value.get("arguments", value.get("parameters", value.get("args", {})))
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            return None
    if name not in tool_names or not isinstance(args, dict):
        return None
    return {"name": name, "args": args, "id": f"text_{uuid.uuid4().hex[:10]}", "type": "tool_call"}


def recover_tool_calls(response: AIMessage, tool_names: set[str], notes: list[str]) -> AIMessage:
    """The response with tool calls written as text turned into real ones (noted once)."""
    if response.tool_calls or not isinstance(response.content, str) or "{" not in response.content:
        return response
    calls = []
    for value in _objects(response.content):
        items = value if isinstance(value, list) else [value]
        calls += [c for c in (_as_call(v, tool_names) for v in items) if c]
    if not calls:
        return response
    notes.append(f"recovered {len(calls)} tool call(s) written as text")
    return AIMessage(content="", tool_calls=calls, response_metadata=response.response_metadata)
