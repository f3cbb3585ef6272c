"""The tool schemas the model is sent: the tools' docstrings as a compact OpenAI function list.

The schemas travel with every model call, so their size is paid two or three times a turn.
LangChain's default conversion keeps the whole docstring (indentation and the Args block) as
the description and spells every optional parameter as `anyOf: [T, null]` with a null default.
Here the docstring's summary is the description, each `Args:` entry becomes its parameter's
description, and an optional parameter is simply not required.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

_ARG = re.compile(r"^(\w+):\s*(.*)$")


def _split_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """(summary, {arg: description}) from a Google-style docstring."""
    head, _, args_block = doc.partition("Args:")
    summary = " ".join(head.split())
    args: dict[str, str] = {}
    current = None
    indent = None  # of the argument lines; deeper lines continue the previous argument
    for line in args_block.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        depth = len(line) - len(line.lstrip())
        match = _ARG.match(stripped)
        if match and (indent is None or depth <= indent):
            indent = depth
            current = match.group(1)
            args[current] = match.group(2)
        elif current is not None:
            args[current] += " " + stripped
    return summary, args


def _compact(node: Any) -> Any:
    """Drop null unions, null defaults and titles, recursively."""
    if isinstance(node, list):
        return [_compact(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _compact(v) for k, v in node.items() if k != "title"}
    variants = out.get("anyOf")
    if isinstance(variants, list):
        kept = [v for v in variants if v != {"type": "null"}]
        if len(kept) == 1 and isinstance(kept[0], dict):
            out.pop("anyOf")
            out = {**kept[0], **out}
    if "default" in out and out["default"] is None:
        out.pop("default")
    return out


def tool_schema(tool: BaseTool) -> dict[str, Any]:
    """One tool as the compact OpenAI function schema sent to the model."""
    spec = convert_to_openai_tool(tool)
    function = spec["function"]
    summary, arg_docs = _split_docstring(tool.description or "")
    params = _compact(function.get("parameters") or {})
    for name, prop in (params.get("properties") or {}).items():
        if name in arg_docs:
            prop["description"] = arg_docs[name]
    # a nested model's own docstring repeats the argument's description
    for prop in (params.get("properties") or {}).values():
        items = prop.get("items")
        if isinstance(items, dict) and "properties" in items:
            items.pop("description", None)
    function = {"name": function["name"], "description": summary, "parameters": params}
    return {"type": "function", "function": function}


def tool_schemas(tools: Sequence[BaseTool]) -> list[dict[str, Any]]:
    """Every tool's compact schema, in order."""
    return [tool_schema(t) for t in tools]
