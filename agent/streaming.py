"""One model call, streamed: drafts while the model writes, then a message checked as strictly
as a whole (non-streamed) one.

LangChain parses streamed tool-call arguments leniently (partial JSON), so a truncated
``{"query": "lapt`` would pass as a valid call with query "lapt". Here the raw argument text of
each call is parsed with `json.loads` once the stream ends: what does not parse to an object is
an invalid tool call, which the graph sends back once like any malformed call.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage

from agent.drafts import DraftWriter


@dataclass
class Streamed:
    """The assembled message and when its first content or tool-call piece arrived."""

    message: AIMessage
    first_token_ms: float | None


async def call_model(
    runner: Any, prompt: list[BaseMessage], *, stream: bool, drafts: DraftWriter | None = None
) -> Streamed:
    """One call, streamed (with drafts) or whole."""
    if stream:
        return await stream_call(runner, prompt, drafts)
    return Streamed(await runner.ainvoke(prompt), None)


async def stream_call(
    runner: Any, prompt: list[BaseMessage], drafts: DraftWriter | None = None
) -> Streamed:
    """Stream `runner` (a chat model with tools bound) on `prompt`, feeding `drafts`."""
    started = time.perf_counter()
    first: float | None = None
    total: AIMessageChunk | None = None
    async for chunk in runner.astream(prompt):
        if not isinstance(chunk, AIMessageChunk):
            continue
        pieces = chunk.tool_call_chunks or []
        if first is None and (chunk.content or pieces):
            first = (time.perf_counter() - started) * 1000
        total = chunk if total is None else total + chunk
        if drafts is not None:
            if isinstance(chunk.content, str) and chunk.content:
                drafts.content(chunk.content)
            for piece in pieces:
                drafts.tool_args(piece.get("index") or 0, piece.get("name"), piece.get("args"))
    if drafts is not None:
        drafts.close()
    return Streamed(strict_message(total), first)


def strict_message(total: AIMessageChunk | None) -> AIMessage:
    """The whole streamed message; tool calls whose raw arguments are not a JSON object are
    invalid (as a non-streamed response would have them)."""
    if total is None:
        return AIMessage(content="")
    calls: list[dict[str, Any]] = []
    invalid: list[dict[str, Any]] = []
    for piece in total.tool_call_chunks or []:
        raw = piece.get("args") or ""
        name, call_id = piece.get("name") or "", piece.get("id") or ""
        try:
            args = json.loads(raw) if raw.strip() else {}
        except ValueError as exc:
            args, error = None, f"malformed arguments: {exc}"
        else:
            error = None if isinstance(args, dict) else "arguments are not a JSON object"
        if error is None and name:
            calls.append({"name": name, "args": args, "id": call_id, "type": "tool_call"})
        else:
            invalid.append(
                {
                    "name": name,
                    "args": raw,
                    "id": call_id,
                    "error": error or "no tool name",
                    "type": "invalid_tool_call",
                }
            )
    return AIMessage(
        content=total.content,
        tool_calls=calls,
        invalid_tool_calls=invalid,
        response_metadata=dict(total.response_metadata or {}),
        usage_metadata=total.usage_metadata,
        id=total.id,
    )
