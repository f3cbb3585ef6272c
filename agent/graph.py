"""The agent graph: read the shopper's message, loop model ↔ tools, answer through one check.

START → understand → prefetch ─┬─ (two-stage: the first data tool) ─→ tools → collect → agent
                               └─────────────────────────────────────→ agent
      agent ─┬─ data tool calls ─→ tools → collect → agent
             ├─ terminal tool ───→ finalize ─┬─ END
             │                               └─ (recover once) → agent
             └─ prose / failure ─→ agent (one corrective retry) or finalize

`understand` updates the shopper's request from their message (agent/understand.py) for every
model; the model sees it as a note after the message; tools run with arguments corrected from
it; `finalize` (agent/answer.py) renders every answer through the one fit check. With
`prefetch` (the two-stage turn, agent/prefetch.py) the offline engine's first data tool call
runs before the first model call; with `stream` model calls stream, and their prose reaches the
caller sentence by sentence through the fact allow-list (agent/drafts.py) as custom stream
events ``{"draft": text}``.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.prebuilt import ToolNode

from agent import arguments, prompts
from agent.answer import _evidence, _gathered_ids, make_finalize
from agent.breaker import CircuitBreaker
from agent.drafts import DraftWriter
from agent.prefetch import make_prefetch, route_prefetch
from agent.reading.lexicon import Lexicon
from agent.reading.reader import read
from agent.schemas import tool_schemas
from agent.state import ShopState, request_of, turn_of
from agent.state_prompt import render_note, strip_note_tags
from agent.streaming import call_model
from agent.textcalls import recover_tool_calls
from agent.tokens import count_messages, count_tools
from agent.trimming import record_as_sent, trim
from agent.understand import apply_action, update_request
from tools.contracts import ModelCall
from tools.request import CardAction
from tools.toolkit import TERMINAL_TOOLS

log = logging.getLogger("agent.graph")
MAX_MODEL_CALLS_PER_TURN = 14
MAX_CALLS_PER_RESPONSE = 3
INTERRUPTED = "no result: this call was interrupted before it finished."


def turn_messages(messages: list[BaseMessage]) -> list[BaseMessage]:
    """The messages after the latest shopper message."""
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
    prefetch: bool = False,
    stream: bool = False,
    model_reasons: bool = True,
) -> Any:
    """Compile the agent graph (`prefetch` and `stream` apply to a remote model with an
    offline `fallback`; `model_reasons` says what the recommend tool in `tools` asks for)."""
    data_tools = [t for t in tools if t.name not in TERMINAL_TOOLS]
    schemas = tool_schemas(tools)
    schema_tokens = count_tools(schemas)
    bound = model.bind_tools(schemas, tool_choice="required" if tool_choice == "required" else None)
    bound_fallback = fallback.bind_tools(schemas) if fallback is not None else None
    tool_names = {t.name for t in tools}
    # the two-stage turn runs for a remote model with the offline engine beside it
    first_stage_on = prefetch and fallback is not None and model_name != "offline"
    system = SystemMessage(
        prompts.system_prompt(store_name, first_stage=first_stage_on, model_reasons=model_reasons)
    )
    secrets = [str(system.content), *(json.dumps(s) for s in schemas)]

    # -- understand: the shopper's request, read the same way for every model --------------

    def understand(state: ShopState) -> dict[str, Any]:
        turn = turn_of(state)
        turn.started = turn.started or time.perf_counter()
        req = request_of(state)
        if catalog is not None:
            lex = Lexicon.for_catalog(catalog)
            about = req.categories or [req.kind or ""]
            req = update_request(req, read(turn.shopper_text, lex, about), lex)
        else:
            req = req.model_copy(update={"turn": req.turn + 1, "changes": [], "relation": None})
        if turn.include_out_of_stock and not _said_in_stock(turn.shopper_text):
            req.in_stock = False
        if turn.action:
            req = apply_action(req, CardAction.model_validate(turn.action))
        return {"request": req, "turn": turn}

    # -- agent -----------------------------------------------------------------------------

    def prompt_for(state: ShopState, turn: Any) -> list[BaseMessage]:
        messages = trim(list(state.get("messages") or []), prompt_token_budget)
        req = request_of(state)
        note = render_note(req, max_items=turn.max_items, answer_length=turn.answer_length)
        ctx = state.get("context") or {}
        if ctx.get("product_id"):
            note = note.replace(
                "</store_note>", f"The shopper is viewing [{ctx['product_id']}].\n</store_note>"
            )
        last = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
        if last >= 0:
            shopper = str(messages[last].content)
            messages[last] = HumanMessage(
                f"{strip_note_tags(shopper)}\n\n{note}",
                id=messages[last].id,
                additional_kwargs={
                    "shopper_text": shopper,
                    "shop_request": req.model_dump(),
                    "shop_action": turn.action or {},
                },
            )
        prompt = [system, *messages]
        if turn.correction:
            prompt.append(HumanMessage(turn.correction, additional_kwargs={"correction": True}))
        return _well_formed(prompt)

    async def agent(state: ShopState) -> dict[str, Any]:
        turn = turn_of(state)
        if _looping(turn_messages(list(state["messages"]))):
            # checked before the call, not after it: a model that asked twice for what it
            # already had would only ask again, and each call is seconds of a shopper's wait
            turn.notes.append("stopped a model repeating its calls")
            turn.route = "finalize"
            return {"turn": turn}
        turn.model_calls += 1
        prompt = prompt_for(state, turn)
        sent = record_as_sent(list(state["messages"]), prompt)
        turn.correction = ""
        prompt_est = schema_tokens + count_messages(prompt)
        turn.prompt_tokens_est += prompt_est
        use_fallback = turn.fallback or (breaker is not None and breaker.is_open())
        runner = bound_fallback if use_fallback and bound_fallback is not None else bound
        name = "offline" if runner is bound_fallback else model_name
        streamed = stream and runner is bound and model_name != "offline"
        drafts = _drafts(state) if streamed else None
        started = time.perf_counter()
        problem = None
        response: AIMessage | None = None
        first_token_ms = None
        try:
            outcome = await call_model(runner, prompt, stream=streamed, drafts=drafts)
            response, first_token_ms = outcome.message, outcome.first_token_ms
            if runner is bound and breaker is not None:
                breaker.success()
        except Exception as exc:  # noqa: BLE001 - a chat never shows a stack trace
            problem = f"model error {type(exc).__name__}"
            log.warning("model call failed: %s", exc)
            if runner is bound and breaker is not None and _is_outage(exc):
                breaker.failure()
        elapsed = (time.perf_counter() - started) * 1000
        turn.model_ms += elapsed
        turn.model = name
        if use_fallback and name == "offline" and model_name != "offline":
            turn.reduced_mode = True
        record = ModelCall(
            model=name,
            at_ms=(started - turn.started) * 1000 if turn.started else 0.0,
            ms=elapsed,
            first_token_ms=first_token_ms,
            problem=problem or "",
        )
        if response is not None:
            _count_usage(turn, response, record, prompt_est)
            response = recover_tool_calls(response, tool_names, turn.notes)
            problem = _problem(response, tool_names, tool_choice)
            record.problem = problem or ""
        turn.calls.append(record)
        if problem is not None:
            return {**_retry(state, turn, problem), "messages": sent}
        assert response is not None
        response = _cap_calls(response)
        terminal = any(c["name"] in TERMINAL_TOOLS for c in response.tool_calls)
        results = [m for m in turn_messages(list(state["messages"])) if isinstance(m, ToolMessage)]
        done = (
            not response.tool_calls
            or terminal
            or len(results) >= tool_budget
            or turn.model_calls >= MAX_MODEL_CALLS_PER_TURN
        )
        turn.route = "finalize" if done else "tools"
        return {
            "messages": [*sent, response],
            "turn": turn,
            "model_calls": state.get("model_calls", 0) + 1,
        }

    def _drafts(state: ShopState) -> DraftWriter:
        """Drafts checked against this turn's evidence, written to the graph's custom stream."""
        messages = list(state.get("messages") or [])
        shopper = [str(m.content) for m in messages if isinstance(m, HumanMessage)][-3:]
        gathered = _gathered_ids(turn_messages(messages))
        evidence = _evidence(catalog, gathered, request_of(state), shopper, secrets)
        writer = get_stream_writer()
        return DraftWriter(evidence, lambda text: writer({"draft": text}))

    def _retry(state: ShopState, turn: Any, problem: str) -> dict[str, Any]:
        """One corrective retry, then the offline engine answers the rest of the turn."""
        turn.corrections += 1
        turn.notes.append(f"model problem: {problem}")
        if turn.corrections <= 1:
            turn.correction = prompts.CORRECTION_PROMPT.format(problem=problem)
        else:
            turn.fallback = True
            if model_name != "offline":
                turn.reduced_mode = True
        turn.route = "agent" if turn.model_calls < MAX_MODEL_CALLS_PER_TURN else "finalize"
        return {"turn": turn, "model_calls": state.get("model_calls", 0) + 1}

    def route_agent(state: ShopState) -> str:
        return turn_of(state).route or "finalize"

    # -- tools: budget, repeated calls, arguments corrected from the request -----------------

    async def guard(request: Any, execute: Any) -> Any:
        call = request.tool_call
        messages = list(request.state.get("messages") or [])
        this_turn = turn_messages(messages)
        done = [m for m in this_turn if isinstance(m, ToolMessage)]
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
        fixed, notes = arguments.correct(
            call["name"], dict(call["args"]), request_of(request.state)
        )
        if notes:
            log.info("corrected tool arguments: %s", "; ".join(notes))
            call = {**call, "args": fixed}
            request = request.override(tool_call=call)
        key = _key(call["name"], call["args"])
        calls = {c["id"]: c for m in this_turn if isinstance(m, AIMessage) for c in m.tool_calls}
        for m in done:
            earlier = calls.get(m.tool_call_id)
            # compare with the arguments the earlier call ran with (after corrections)
            ran = (m.response_metadata or {}).get("args") or (earlier or {}).get("args") or {}
            if earlier and earlier["id"] != call["id"] and _key(earlier["name"], ran) == key:
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
                "corrected_args": notes,
                "args": call["args"],  # what the tool ran with, after corrections
            }
        return result

    tool_node = ToolNode(data_tools, awrap_tool_call=guard, handle_tool_errors=True)

    def collect(state: ShopState) -> dict[str, Any]:
        seen: list[str] = []
        turn = turn_of(state)
        for m in turn_messages(list(state.get("messages") or [])):
            if isinstance(m, ToolMessage) and isinstance(m.artifact, dict):
                seen.extend(str(i) for i in m.artifact.get("ids") or [])
                turn.degraded = turn.degraded or bool(m.artifact.get("degraded"))
                for note in (m.response_metadata or {}).get("corrected_args") or []:
                    if note not in turn.arg_corrections:
                        turn.arg_corrections.append(note)
        return {"seen_ids": seen, "turn": turn}

    finalize = make_finalize(catalog, secrets=secrets)

    def route_finalize(state: ShopState) -> str:
        return "agent" if turn_of(state).route == "agent" else END

    graph = StateGraph(ShopState)
    graph.add_node("understand", understand)
    graph.add_node("agent", agent)
    if first_stage_on:
        first_stage = make_prefetch(
            fallback,
            prompt_for,
            {t.name for t in data_tools},
            max_calls=MAX_CALLS_PER_RESPONSE,
            skip=lambda: breaker is not None and breaker.is_open(),
        )
        graph.add_node("prefetch", first_stage)
        graph.add_edge("understand", "prefetch")
        graph.add_conditional_edges(
            "prefetch", route_prefetch, {"tools": "tools", "agent": "agent"}
        )
    else:
        graph.add_edge("understand", "agent")
    graph.add_node("tools", tool_node)
    graph.add_node("collect", collect)
    graph.add_node("finalize", finalize)
    graph.add_edge(START, "understand")
    graph.add_conditional_edges(
        "agent", route_agent, {"tools": "tools", "agent": "agent", "finalize": "finalize"}
    )
    graph.add_edge("tools", "collect")
    graph.add_edge("collect", "agent")
    graph.add_conditional_edges("finalize", route_finalize, {"agent": "agent", END: END})
    return graph.compile(checkpointer=checkpointer)


def _looping(this_turn: list[BaseMessage]) -> bool:
    """A model that asked twice this turn for what it already had is looping: the turn is
    answered from what it gathered instead of paying for more calls."""
    repeated = [
        m
        for m in this_turn
        if isinstance(m, ToolMessage) and (m.response_metadata or {}).get("repeated")
    ]
    return len(repeated) >= 2


def _said_in_stock(text: str) -> bool:
    return "in stock" in (text or "").lower()


def _count_usage(turn: Any, response: AIMessage, record: ModelCall, prompt_est: int) -> None:
    """The call's tokens into the turn's totals and its record (reported, else estimated)."""
    usage = response.usage_metadata
    record.finish_reason = str((response.response_metadata or {}).get("finish_reason") or "")
    if usage:
        cached = int((usage.get("input_token_details") or {}).get("cache_read") or 0)
        turn.prompt_tokens += usage["input_tokens"]
        turn.completion_tokens += usage["output_tokens"]
        turn.cached_tokens += cached
        turn.usage_reported = True
        record.prompt_tokens = usage["input_tokens"]
        record.completion_tokens = usage["output_tokens"]
        record.cached_tokens = cached
    else:
        completion = count_messages([response])
        turn.completion_tokens_est += completion
        record.prompt_tokens, record.completion_tokens = prompt_est, completion
        record.estimated = True


def _problem(response: AIMessage, tool_names: set[str], tool_choice: str) -> str | None:
    finish = (response.response_metadata or {}).get("finish_reason")
    if finish == "length":
        return "the answer was cut off (too long)"
    if response.invalid_tool_calls:
        return "invalid tool call arguments"
    if not response.tool_calls and tool_choice == "required":
        return "prose instead of a tool call"
    if any(c["name"] not in tool_names for c in response.tool_calls):
        return "unknown tool name"
    return None


def _cap_calls(response: AIMessage) -> AIMessage:
    """At most a few data tool calls per response; a terminal call wins over data calls."""
    calls = response.tool_calls
    terminal = [c for c in calls if c["name"] in TERMINAL_TOOLS]
    kept = terminal[:1] if terminal else calls[:MAX_CALLS_PER_RESPONSE]
    if len(kept) == len(calls):
        return response
    return response.model_copy(update={"tool_calls": kept})


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
