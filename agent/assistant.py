"""The assistant: one object the terminal chat, web UI, API and evals talk to."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.breaker import CircuitBreaker
from agent.checkpoints import open_checkpointer
from agent.clock import SYSTEM_CLOCK, Clock
from agent.graph import build_graph
from agent.logging import request_id_var
from agent.offline import OfflineEngine, make_engine
from agent.reason_policy import ReasonPolicy
from agent.settings import Settings
from agent.state import TurnScratch
from agent.storage_health import StorageHealth, StorageUnavailable, is_storage_error
from agent.thread_lock import ThreadLocks
from agent.turn_guard import TurnGuard
from agent.turn_rate import TurnRateLimit
from agent.turn_result import chunks, turn_result, visible_args
from catalog.models import Product
from catalog.service import Catalog
from tools.contracts import (
    ToolCallRecord,
    TurnEvent,
    TurnResult,
)
from tools.request import CardAction
from tools.toolkit import make_tools

log = logging.getLogger("agent.assistant")


class Assistant:
    """Runs turns of conversations (threads) through the agent graph."""

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        model: BaseChatModel,
        model_name: str,
        engine: OfflineEngine,
        checkpointer: Any | None,
        *,
        reranker: Any | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        self.model = model
        self.model_name = model_name
        self.engine = engine
        # who writes card reasons: the model, the store, or the model until the store has had
        # to replace most of them (agent/reason_policy.py)
        self.reasons = ReasonPolicy(settings.card_reasons if settings.remote_model else "model")
        self._reranker = reranker
        self.tools = make_tools(catalog, reranker=reranker, model_reasons=self.model_reasons)
        # [issue-12] time is injected (agent/clock.py); the guard bounds each turn by one
        # deadline and answers without memory when conversation storage fails.
        self.clock = clock
        self.breaker = CircuitBreaker(
            settings.breaker_failures, settings.breaker_cooldown_s, clock=clock
        )
        self.storage = StorageHealth(
            None if settings.uses_postgres else Path(settings.data_dir), clock=clock
        )
        self.guard = TurnGuard(settings.turn_deadline_s, self.storage, clock=clock)
        self._memoryless_graph: Any = None
        self._checkpointer = checkpointer
        self._own_conn: Any = None
        self._graph: Any = None
        self._graph_lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.locks = ThreadLocks(
            Path(settings.data_dir) / "locks", getattr(catalog.store, "engine", None)
        )
        # Bounded: threads idle for a minute are forgotten (agent/turn_rate.py).
        self.turn_rate = TurnRateLimit(settings.turns_per_minute, clock=clock)

    # -- set-up --------------------------------------------------------------------------

    async def _ensure_graph(self) -> Any:
        if self._graph is not None:
            return self._graph
        # Concurrent first turns (the eval runner, a busy UI) must share one checkpointer
        # connection: each extra aiosqlite connection is a thread that keeps the process alive.
        if self._graph_lock is None:
            self._graph_lock = asyncio.Lock()
        async with self._graph_lock:
            if self._graph is None:
                await self._build_graph()
        return self._graph

    async def _build_graph(self) -> None:
        if self._checkpointer is None:
            self._checkpointer, self._own_conn = await open_checkpointer(self.settings)
        self._graph = self._compile(self._checkpointer)

    def _compile(self, checkpointer: Any) -> Any:
        # [issue-12] also compiles the memoryless graph (checkpointer None) the guard uses
        return build_graph(
            self.model,
            self.tools,
            checkpointer,
            catalog=self.catalog,
            fallback=self.engine if self.model is not self.engine else None,
            breaker=self.breaker if self.model is not self.engine else None,
            tool_budget=self.settings.tool_budget,
            tool_choice=self.settings.tool_choice,
            prompt_token_budget=self.settings.prompt_token_budget,
            store_name=self.settings.store_name,
            model_name=self.model_name,
            # issue 14: the two-stage turn and streamed calls, for a remote endpoint's model
            prefetch=self.settings.two_stage and self.settings.remote_model,
            stream=self.settings.model_stream and self.settings.remote_model,
            model_reasons=self.model_reasons,
        )

    @property
    def model_reasons(self) -> bool:
        """Whether recommend asks the model for a reason per pick (SHOP_CARD_REASONS)."""
        return self.reasons.model_writes()

    def _reasons_from_store(self) -> None:
        """`auto` stopped asking the model for reasons: tools and prompt without them, once.

        Turns already running finish on the graph they started with."""
        self.tools = make_tools(self.catalog, reranker=self._reranker, model_reasons=False)
        if self._graph is not None:
            self._graph = self._compile(self._checkpointer)
        self._memoryless_graph = None
        log.info("card reasons: the store writes them from now on (%s)", self.reasons.summary())

    async def aclose(self) -> None:
        """Close the checkpointer connection this assistant opened."""
        conn, self._own_conn = self._own_conn, None
        if conn is None:
            return
        # The graph holds the saver on this connection: a later turn opens both anew.
        self._checkpointer = self._graph = self._graph_lock = None
        if hasattr(conn, "__aexit__") and not hasattr(conn, "close"):
            await conn.__aexit__(None, None, None)
        else:
            await conn.close()

    def close(self) -> None:
        """Sync close (for `run` users)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.run_until_complete(self.aclose())
            self._loop.close()

    # -- turns ---------------------------------------------------------------------------

    def run(self, message: str, *, thread_id: str, **kw: Any) -> TurnResult:
        """Synchronous turn (keeps one private event loop for the async checkpointer)."""
        if self._loop is None or self._loop.is_closed():
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(self.arun(message, thread_id=thread_id, **kw))

    async def arun(
        self,
        message: str,
        *,
        thread_id: str,
        message_id: str | None = None,
        context: dict | None = None,
        preferences: dict | None = None,
        action: CardAction | None = None,
    ) -> TurnResult:
        """One turn, returning the whole result."""
        result: TurnResult | None = None
        async for event in self.astream(
            message,
            thread_id=thread_id,
            message_id=message_id,
            context=context,
            preferences=preferences,
            action=action,
        ):
            if event.type == "final":
                result = event.result
        assert result is not None
        return result

    async def astream(
        self,
        message: str,
        *,
        thread_id: str,
        message_id: str | None = None,
        context: dict | None = None,
        preferences: dict | None = None,
        action: CardAction | None = None,
    ) -> AsyncIterator[TurnEvent]:
        """One turn as events: tool_start/tool_end while working, then tokens, then final.

        `action` is a product card's button (product id + what to do), sent as data.
        """
        request_id = uuid.uuid4().hex[:16]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            # One turn at a time per thread: a second message waits for the first to finish.
            # Within it, one deadline per turn; storage failures answered without memory.
            async with self.locks.hold(thread_id):
                async for event in self.guard.run(
                    lambda memoryless: self._turn(
                        message, thread_id, message_id, context, preferences, request_id,
                        started, action, memoryless=memoryless,
                    ),
                    thread_id=thread_id,
                    request_id=request_id,
                ):  # fmt: skip
                    yield event
        finally:
            request_id_var.reset(token)

    def _refuse(self, text: str, thread_id: str, request_id: str, started: float) -> TurnResult:
        return TurnResult(
            reply=text,
            model=self.model_name,
            request_id=request_id,
            thread_id=thread_id,
            latency_ms=(time.perf_counter() - started) * 1000,
            notes=["refused"],
        )

    async def _turn(
        self,
        message: str,
        thread_id: str,
        message_id: str | None,
        context: dict | None,
        preferences: dict | None,
        request_id: str,
        started: float,
        action: CardAction | None = None,
        *,
        memoryless: bool = False,
    ) -> AsyncIterator[TurnEvent]:
        prefs_in = preferences or {}
        message = (message or "").strip()
        refusal = None
        if not message:
            refusal = "Please type what you are looking for."
        elif len(message) > self.settings.max_message_chars:
            refusal = (
                f"That message is too long (over {self.settings.max_message_chars} characters). "
                "Please shorten it."
            )
        try:
            if memoryless:  # [issue-12] storage is failing: this turn runs without memory
                if self._memoryless_graph is None:
                    self._memoryless_graph = self._compile(None)
                graph, config, values = self._memoryless_graph, {"recursion_limit": 80}, {}
            else:
                graph = await self._ensure_graph()
                config = {"configurable": {"thread_id": thread_id}, "recursion_limit": 80}
                snapshot = await graph.aget_state(config)
                values = snapshot.values or {}
        except Exception as exc:  # noqa: BLE001
            if is_storage_error(exc):  # [issue-12] the guard answers without memory
                raise StorageUnavailable(str(exc)) from exc
            log.error("checkpointer unavailable: %s", exc)
            refusal = refusal or "Sorry, the assistant is unavailable right now. Please retry."
            values = {}
            graph = None
        answered = values.get("answered") or {}
        if refusal is None and message_id and message_id in answered:
            result = TurnResult.model_validate(answered[message_id])
            yield TurnEvent(type="final", result=result)
            return
        if refusal is None and self.turn_rate.exceeded(thread_id):
            refusal = "You are sending messages too quickly. Please wait a moment."
        if (
            refusal is None
            and values.get("model_calls", 0) >= self.settings.max_model_calls_per_conversation
        ):
            refusal = "This conversation has reached its limit. Please start a new one."
        if refusal is not None or graph is None:
            result = self._refuse(refusal or "", thread_id, request_id, started)
            yield TurnEvent(type="token", text=result.reply)
            yield TurnEvent(type="final", result=result)
            return
        self.turn_rate.record(thread_id)
        # A new catalog version (an ingest by another process) reaches this turn's reader,
        # engine and tools: they key their caches on `catalog.searcher.version`.
        try:
            self.catalog.searcher.refresh()
        except Exception as exc:  # noqa: BLE001 - the tools report a store failure themselves
            log.warning("catalog version check failed: %s", exc)
        turn = TurnScratch(request_id=request_id, shopper_text=message)
        if isinstance(prefs_in.get("max_items"), int) and prefs_in["max_items"] > 0:
            turn.max_items = min(prefs_in["max_items"], 6)
        if prefs_in.get("answer_length") in ("short", "normal", "detailed"):
            turn.answer_length = prefs_in["answer_length"]
        turn.include_out_of_stock = bool(prefs_in.get("include_out_of_stock", False))
        if action is not None and self._valid_context({"product_id": action.product_id}):
            turn.action = action.model_dump()
        inputs: dict[str, Any] = {
            "messages": [HumanMessage(message, id=message_id or None)],
            "turn": turn,
            "context": self._valid_context(context),
        }
        tool_calls: list[ToolCallRecord] = []
        call_args: dict[str, dict[str, Any]] = {}
        final_turn = TurnScratch()
        try:
            # One checkpoint write per turn instead of one per step: a turn is short, and one
            # cut off mid-way (a crash, a cancelled stream) is simply asked again.
            durability = None if memoryless else "exit"  # [issue-12] no checkpointer to write
            modes = ["updates", "custom"]  # custom: drafts written while the model streams
            updates = graph.astream(inputs, config, stream_mode=modes, durability=durability)
            async for mode, update in updates:
                if mode == "custom":
                    if isinstance(update, dict) and update.get("draft"):
                        yield TurnEvent(type="draft", text=str(update["draft"]))
                    continue
                for node, data in update.items():
                    if not isinstance(data, dict):
                        continue
                    if isinstance(data.get("turn"), TurnScratch):
                        final_turn = data["turn"]
                    for m in data.get("messages") or []:
                        if node in ("agent", "prefetch") and isinstance(m, AIMessage):
                            for c in m.tool_calls:
                                call_args[c["id"]] = c["args"]
                                yield TurnEvent(
                                    type="tool_start",
                                    name=c["name"],
                                    call_id=c["id"],
                                    args=visible_args(c["name"], c["args"]),
                                )
                        if node in ("tools", "finalize") and isinstance(m, ToolMessage):
                            summary = str(m.content).split("\n", 1)[0][:200]
                            duration = (m.response_metadata or {}).get("duration_ms", 0.0)
                            final_turn.tool_ms += duration
                            tool_calls.append(
                                ToolCallRecord(
                                    name=m.name or "",
                                    args=(m.response_metadata or {}).get("args")
                                    or call_args.get(m.tool_call_id, {}),
                                    summary=summary,
                                    duration_ms=duration,
                                )
                            )
                            yield TurnEvent(
                                type="tool_end",
                                name=m.name or "",
                                call_id=m.tool_call_id,
                                summary=summary,
                            )
        except Exception as exc:  # noqa: BLE001 - a chat never shows a stack trace
            if is_storage_error(exc) and not memoryless:  # [issue-12] see agent/turn_guard.py
                raise StorageUnavailable(str(exc)) from exc
            log.error("turn failed: %s", exc, exc_info=True)
            final_turn = TurnScratch(
                reply="Sorry, something went wrong. Please try again.",
                notes=[f"error {type(exc).__name__}"],
            )
        result = turn_result(
            final_turn, tool_calls, thread_id, started, self.settings, self.model_name
        )
        result.request_id = request_id
        if self.reasons.record(result):
            self._reasons_from_store()
        for chunk in chunks(result.reply):
            yield TurnEvent(type="token", text=chunk)
        if message_id and not memoryless:
            keep = dict(list(answered.items())[-19:])
            keep[message_id] = result.model_dump()
            try:
                await graph.aupdate_state(config, {"answered": keep}, as_node="finalize")
            except Exception as exc:  # noqa: BLE001
                log.warning("could not record message id: %s", exc)
        log.info(
            "turn done",
            extra={
                "data": {
                    "thread_id": thread_id,
                    "latency_ms": round(result.latency_ms, 1),
                    "model_ms": round(result.model_ms, 1),
                    "tool_ms": round(result.tool_ms, 1),
                    "model": result.model,
                    "tools": [t.name for t in tool_calls],
                }
            },
        )
        yield TurnEvent(type="final", result=result)

    def _valid_context(self, context: dict | None) -> dict[str, Any]:
        pid = (context or {}).get("product_id")
        if not isinstance(pid, str) or not pid or len(pid) > 128:
            return {}
        try:
            with self.catalog.store.session() as session:
                return {"product_id": pid} if session.get(Product, pid) is not None else {}
        except Exception:  # noqa: BLE001
            return {}


def build_assistant(
    settings: Settings,
    catalog: Catalog,
    *,
    model: BaseChatModel | None = None,
    checkpointer: Any | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> Assistant:
    """The assistant over a catalog: the given model, the remote endpoint, or offline."""
    engine = make_engine(catalog, settings.store_name)
    if model is None and settings.remote_model:
        from agent.models import make_remote_model

        model, name = make_remote_model(settings), settings.model
    elif model is None:
        model, name = engine, "offline"
    else:
        name = getattr(model, "model_name", None) or getattr(model, "model", None)
        name = name if isinstance(name, str) else ("offline" if model is engine else "custom")
    if isinstance(model, OfflineEngine):
        name = "offline"
    reranker = None
    if settings.rerank and settings.remote_model and name != "offline":
        from agent.rerank import LLMReranker

        reranker = LLMReranker(model)
    assistant = Assistant(
        settings, catalog, model, name, engine, checkpointer, reranker=reranker, clock=clock
    )
    if reranker is not None:  # no re-ranking calls while the breaker keeps the remote off
        reranker.enabled = lambda: assistant.breaker.opened_at is None
    return assistant
