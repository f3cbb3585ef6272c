"""The tool loop: model node ↔ ToolNode, guarded, ending only through a terminal tool.

START → agent ─┬─ data tool calls ─→ tools → collect → agent
               ├─ terminal tool ───→ finalize ─┬─ END
               │                               └─ (unknown ids, first time) → agent
               └─ prose / failure ─→ agent (one corrective retry) or finalize
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import ToolNode

from agent import guards, prompts
from agent.breaker import CircuitBreaker
from agent.schemas import tool_schemas
from agent.state import ShopState
from agent.tokens import count_messages, count_tools
from agent.trimming import trim
from catalog.constraints import Constraints
from tools.contracts import Comparison, Recommendation
from tools.recommend import RecItem, render
from tools.toolkit import TERMINAL_TOOLS

log = logging.getLogger("agent.graph")
MAX_MODEL_CALLS_PER_TURN = 14
INTERRUPTED = "no result: this call was interrupted before it finished."


def _turn_messages(messages: list[BaseMessage]) -> list[BaseMessage]:
    last = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    return messages[last + 1 :]


def _key(name: str, args: dict[str, Any]) -> str:
    return name + json.dumps(args, sort_keys=True, default=str)


def build_graph(
    model: BaseChatModel,
    tools: list[BaseTool],
    checkpointer: Any = None,
    *,
    catalog: Any = None,
    fallback: BaseChatModel | None = None,
    breaker: CircuitBreaker | None = None,
    tool_budget: int = 8,
    tool_choice: str = "auto",
    prompt_token_budget: int = 1000,
    store_name: str = "the store",
    model_name: str = "offline",
) -> Any:
    """Compile the agent graph."""
    data_tools = [t for t in tools if t.name not in TERMINAL_TOOLS]
    schemas = tool_schemas(tools)
    schema_tokens = count_tools(schemas)
    bound = model.bind_tools(schemas, tool_choice="required" if tool_choice == "required" else None)
    bound_fallback = fallback.bind_tools(schemas) if fallback is not None else None
    tool_names = {t.name for t in tools}

    # -- agent ---------------------------------------------------------------------------

    def system_prompt(state: ShopState) -> SystemMessage:
        extra = []
        prefs = state.get("preferences") or {}
        if prefs:
            extra.append(f"Shopper preferences so far: {json.dumps(prefs, sort_keys=True)}")
        shown = state.get("shown_ids") or []
        if shown:
            extra.append(f"Already shown (excluded from searches by default): {shown[-12:]}")
        ctx = state.get("context") or {}
        if ctx.get("product_id"):
            extra.append(f"The shopper is viewing product {ctx['product_id']}.")
        turn = state.get("turn") or {}
        if turn.get("max_items"):
            extra.append(f"Recommend at most max_items={turn['max_items']} products.")
        if turn.get("answer_length"):
            extra.append(f"Answer length: {turn['answer_length']}.")
        return SystemMessage(
            prompts.SYSTEM_PROMPT.format(store_name=store_name, extra="\n".join(extra))
        )

    async def agent(state: ShopState) -> dict[str, Any]:
        turn = dict(state.get("turn") or {})
        turn["model_calls"] = turn.get("model_calls", 0) + 1
        messages = list(state.get("messages") or [])
        prompt = [system_prompt(state), *trim(messages, prompt_token_budget)]
        if turn.get("correction"):
            prompt.append(HumanMessage(turn.pop("correction")))
        prompt = _well_formed(prompt)
        turn["prompt_tokens_est"] = (
            turn.get("prompt_tokens_est", 0) + schema_tokens + count_messages(prompt)
        )
        use_fallback = bool(turn.get("fallback")) or (breaker is not None and breaker.is_open())
        runner = bound_fallback if use_fallback and bound_fallback is not None else bound
        name = "offline" if runner is bound_fallback else model_name
        started = time.perf_counter()
        problem = None
        response: AIMessage | None = None
        try:
            response = await runner.ainvoke(prompt)
            if runner is bound and breaker is not None:
                breaker.success()
        except Exception as exc:  # noqa: BLE001 - a chat never shows a stack trace
            problem = f"model error {type(exc).__name__}"
            log.warning("model call failed: %s", exc)
            if runner is bound and breaker is not None and _is_outage(exc):
                breaker.failure()
        turn["model_ms"] = turn.get("model_ms", 0.0) + (time.perf_counter() - started) * 1000
        turn["model"] = name
        if use_fallback and name == "offline" and model_name != "offline":
            turn["reduced_mode"] = True
        if response is not None:
            usage = response.usage_metadata
            if usage:
                turn["prompt_tokens"] = turn.get("prompt_tokens", 0) + usage["input_tokens"]
                turn["completion_tokens"] = (
                    turn.get("completion_tokens", 0) + usage["output_tokens"]
                )
                turn["usage_reported"] = True
            else:
                turn["completion_tokens_est"] = turn.get("completion_tokens_est", 0) + (
                    count_messages([response])
                )
            if response.invalid_tool_calls:
                problem = "invalid tool call arguments"
            elif not response.tool_calls and tool_choice == "required":
                problem = "prose instead of a tool call"
            elif any(c["name"] not in tool_names for c in response.tool_calls):
                problem = "unknown tool name"
        if problem is not None:
            turn["corrections"] = turn.get("corrections", 0) + 1
            if turn["corrections"] <= 1:
                turn["correction"] = prompts.CORRECTION_PROMPT.format(problem=problem)
            else:
                turn["fallback"] = True
                if model_name != "offline":
                    turn["reduced_mode"] = True
            turn["route"] = "agent"
            if turn["model_calls"] >= MAX_MODEL_CALLS_PER_TURN:
                turn["route"] = "finalize"
            return {"turn": turn, "model_calls": state.get("model_calls", 0) + 1}
        assert response is not None
        terminal = any(c["name"] in TERMINAL_TOOLS for c in response.tool_calls)
        used = sum(isinstance(m, ToolMessage) for m in _turn_messages(messages))
        exhausted = used >= tool_budget
        if (
            not response.tool_calls
            or terminal
            or exhausted
            or turn["model_calls"] >= MAX_MODEL_CALLS_PER_TURN
        ):
            turn["route"] = "finalize"
        else:
            turn["route"] = "tools"
        return {
            "messages": [response],
            "turn": turn,
            "model_calls": state.get("model_calls", 0) + 1,
        }

    def route_agent(state: ShopState) -> str:
        return (state.get("turn") or {}).get("route", "finalize")

    # -- tools: budget and repeated-call guards -------------------------------------------

    async def guard(request: Any, execute: Any) -> Any:
        call = request.tool_call
        messages = list(request.state.get("messages") or [])
        turn_msgs = _turn_messages(messages)
        done = [m for m in turn_msgs if isinstance(m, ToolMessage)]
        last_ai = next((m for m in reversed(messages) if isinstance(m, AIMessage)), None)
        position = 0
        if last_ai is not None:
            ids = [c["id"] for c in last_ai.tool_calls]
            position = ids.index(call["id"]) if call["id"] in ids else 0
        if len(done) + position >= tool_budget:
            return ToolMessage(
                prompts.BUDGET_EXHAUSTED,
                tool_call_id=call["id"],
                name=call["name"],
                artifact={"tool": call["name"], "ids": [], "budget_exhausted": True},
            )
        key = _key(call["name"], call["args"])
        calls = {c["id"]: c for m in turn_msgs if isinstance(m, AIMessage) for c in m.tool_calls}
        for m in done:
            earlier = calls.get(m.tool_call_id)
            if (
                earlier
                and earlier["id"] != call["id"]
                and _key(earlier["name"], earlier["args"]) == key
            ):
                return ToolMessage(
                    f"{prompts.REPEATED_CALL_NOTE}\n{m.content}",
                    tool_call_id=call["id"],
                    name=call["name"],
                    artifact=m.artifact,
                    response_metadata={"repeated": True},
                )
        started = time.perf_counter()
        result = await execute(request)
        if isinstance(result, ToolMessage):
            result.response_metadata = {
                **(result.response_metadata or {}),
                "duration_ms": (time.perf_counter() - started) * 1000,
            }
        return result

    tool_node = ToolNode(data_tools, awrap_tool_call=guard, handle_tool_errors=True)

    def collect(state: ShopState) -> dict[str, Any]:
        seen: list[str] = []
        degraded = False
        for m in _turn_messages(list(state.get("messages") or [])):
            if isinstance(m, ToolMessage) and isinstance(m.artifact, dict):
                seen.extend(str(i) for i in m.artifact.get("ids") or [])
                degraded = degraded or bool(m.artifact.get("degraded"))
        turn = dict(state.get("turn") or {})
        turn["degraded"] = degraded
        return {"seen_ids": seen, "turn": turn}

    # -- finalize: the terminal tool, validated and rendered from SQL ---------------------

    def finalize(state: ShopState) -> dict[str, Any]:
        turn = dict(state.get("turn") or {})
        messages = list(state.get("messages") or [])
        last = messages[-1] if messages else None
        out: list[BaseMessage] = []
        seen = set(state.get("seen_ids") or [])
        shopper = [str(m.content) for m in messages if isinstance(m, HumanMessage)]
        notes = list(turn.get("notes") or [])
        recs: list[Recommendation] = []
        clarifying = False
        reply = ""
        terminal = None
        if isinstance(last, AIMessage) and last.tool_calls:
            terminal = next((c for c in last.tool_calls if c["name"] in TERMINAL_TOOLS), None)
            for c in last.tool_calls:
                if terminal is None or c["id"] != terminal["id"]:
                    out.append(
                        ToolMessage("skipped: the turn ended", tool_call_id=c["id"], name=c["name"])
                    )
        if terminal is None:
            # Prose, exhausted loop or failed model: answer from what was gathered.
            if isinstance(last, AIMessage) and not last.tool_calls and str(last.content).strip():
                reply = str(last.content)
            else:
                recs, reply = _gathered(messages, catalog, seen, turn)
                notes.append("answered from gathered results")
        elif terminal["name"] == "ask_clarifying_question":
            reply = str(terminal["args"].get("question") or "What are you looking for?")
            clarifying = True
        elif terminal["name"] == "reply":
            reply = str(terminal["args"].get("message") or "")
        else:
            try:
                items = [RecItem.model_validate(i) for i in terminal["args"].get("items") or []]
            except Exception:  # noqa: BLE001
                items = []
            unknown = [i.product_id for i in items if i.product_id not in seen]
            valid = [i for i in items if i.product_id in seen]
            if unknown and not valid and not turn.get("rejected"):
                turn["rejected"] = True
                turn["route"] = "agent"
                notes.append(f"rejected unknown ids {unknown}")
                turn["notes"] = notes
                out.append(
                    ToolMessage(
                        prompts.UNKNOWN_IDS.format(ids=", ".join(unknown)),
                        tool_call_id=terminal["id"],
                        name="recommend",
                        artifact={"tool": "recommend", "rejected": unknown},
                    )
                )
                return {"messages": out, "turn": turn}
            if unknown:
                notes.append(f"dropped unknown ids {unknown}")
            max_items = int(turn.get("max_items") or 4)
            prefs = state.get("preferences") or {}
            try:
                cons = Constraints(
                    max_price=prefs.get("max_price"),
                    min_price=prefs.get("min_price"),
                    options=prefs.get("options") or {},
                )
            except Exception:  # noqa: BLE001
                cons = None
            if catalog is not None and valid:
                recs, _missing = render(catalog, valid[:max_items], cons)
            if not turn.get("include_out_of_stock", True):
                recs = [r for r in recs if r.in_stock] or recs
            reply = str(terminal["args"].get("message") or "")
            if catalog is not None and recs:
                rows = _rows(catalog, [r.product_id for r in recs])
                for r in recs:
                    grounded = guards.ground_reason(
                        r.reason, r, rows.get(r.product_id, ""), " ".join(shopper[-3:])
                    )
                    if grounded != r.reason:
                        notes.append(f"reason of {r.product_id} trimmed to supported facts")
                    r.reason = grounded
            if not recs and not reply:
                recs, reply = _gathered(messages, catalog, seen, turn)
        if terminal is not None and terminal["name"] in TERMINAL_TOOLS:
            art: dict[str, Any] = {"tool": terminal["name"]}
            if recs:
                art["recommendations"] = [r.model_dump() for r in recs]
            out.append(
                ToolMessage(
                    "sent to the shopper",
                    tool_call_id=terminal["id"],
                    name=terminal["name"],
                    artifact=art,
                )
            )
        # Figures in free text are checked against SQL before the shopper sees them.
        known_prices = guards.allowed_prices(recs, guards.shopper_numbers(shopper[-3:]))
        known_prices += _seen_prices(messages)
        reply, price_notes = guards.check_prices(reply, known_prices)
        reply, stock_notes = guards.check_stock(reply, [r.stock for r in recs if r.stock])
        notes += price_notes + stock_notes
        if not reply.strip():
            reply = "Here is what I found:" if recs else "Sorry, I could not find a good answer."
        if turn.get("degraded") and "degraded" not in reply and "reduced mode" not in reply:
            reply = f"{reply} {prompts.DEGRADED_NOTE}"
        if turn.get("reduced_mode"):
            reply = f"{reply} {prompts.REDUCED_MODE_NOTE}"
        comparison = None
        for m in _turn_messages(messages):
            if (
                isinstance(m, ToolMessage)
                and isinstance(m.artifact, dict)
                and m.artifact.get("comparison")
            ):
                comparison = Comparison.model_validate(m.artifact["comparison"])
        out.append(AIMessage(content=_render_text(reply, recs)))
        turn.update(
            route="end",
            reply=reply,
            recommendations=[r.model_dump() for r in recs],
            clarifying_question=clarifying,
            comparison=comparison.model_dump() if comparison else None,
            notes=notes,
        )
        return {"messages": out, "turn": turn, "shown_ids": [r.product_id for r in recs]}

    def route_finalize(state: ShopState) -> str:
        return "agent" if (state.get("turn") or {}).get("route") == "agent" else END

    graph = StateGraph(ShopState)
    graph.add_node("agent", agent)
    graph.add_node("tools", tool_node)
    graph.add_node("collect", collect)
    graph.add_node("finalize", finalize)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges(
        "agent", route_agent, {"tools": "tools", "agent": "agent", "finalize": "finalize"}
    )
    graph.add_edge("tools", "collect")
    graph.add_edge("collect", "agent")
    graph.add_conditional_edges("finalize", route_finalize, {"agent": "agent", END: END})
    return graph.compile(checkpointer=checkpointer)


def _well_formed(messages: list[BaseMessage]) -> list[BaseMessage]:
    """Answer every tool call and drop orphan tool messages: OpenAI refuses either with 400.

    A turn cut short (the shopper left, a cancelled stream, a crash) can leave an AI message
    whose tool calls were never answered in the checkpoint; trimming must never leave a tool
    message without its call. Either would fail every later request of the thread.
    """
    out: list[BaseMessage] = []
    pending: dict[str, str] = {}  # call id -> tool name, of the last AI message
    for m in messages:
        if isinstance(m, ToolMessage):
            if m.tool_call_id in pending:
                pending.pop(m.tool_call_id)
                out.append(m)
            else:
                log.warning("dropped an orphan tool message %s", m.tool_call_id)
            continue
        out += [ToolMessage(INTERRUPTED, tool_call_id=i, name=n) for i, n in pending.items()]
        pending = {}
        out.append(m)
        if isinstance(m, AIMessage):
            pending = {str(c["id"]): c["name"] for c in m.tool_calls}
    out += [ToolMessage(INTERRUPTED, tool_call_id=i, name=n) for i, n in pending.items()]
    return out


def _is_outage(exc: BaseException) -> bool:
    """Whether a failed model call says the endpoint is down (not that this request was bad).

    A 4xx other than 408/429 (e.g. one malformed conversation) must not open the breaker for
    every shopper.
    """
    status = getattr(exc, "status_code", None)
    return not (isinstance(status, int) and 400 <= status < 500 and status not in (408, 429))


def _render_text(reply: str, recs: list[Recommendation]) -> str:
    """The reply as stored in history (the model sees what the shopper saw)."""
    lines = [reply]
    for r in recs:
        lines.append(f"- [{r.product_id}] {r.title}: {r.reason}")
    return "\n".join(lines)


def _rows(catalog: Any, ids: list[str]) -> dict[str, str]:
    from tools.rendering import load_products

    with catalog.store.session() as session:
        return {pid: guards.row_text(p) for pid, p in load_products(session, ids).items()}


def _seen_prices(messages: list[BaseMessage]) -> list[float]:
    prices: list[float] = []
    for m in _turn_messages(messages):
        if isinstance(m, ToolMessage) and isinstance(m.artifact, dict):
            for item in m.artifact.get("items") or []:
                if isinstance(item, dict) and isinstance(item.get("price"), int | float):
                    prices.append(float(item["price"]))
    return prices


def _gathered(
    messages: list[BaseMessage], catalog: Any, seen: set[str], turn: dict[str, Any]
) -> tuple[list[Recommendation], str]:
    """Recommend the best items gathered this turn (budget exhausted, model failed)."""
    ids: list[str] = []
    for m in _turn_messages(messages):
        if isinstance(m, ToolMessage) and isinstance(m.artifact, dict):
            for pid in m.artifact.get("ids") or []:
                if pid not in ids:
                    ids.append(str(pid))
    if not ids or catalog is None:
        return [], "Sorry, I could not complete that request. Could you rephrase it?"
    recs, _ = render(catalog, [RecItem(product_id=pid) for pid in ids[:3]])
    return recs, "Here is what I found so far:"
