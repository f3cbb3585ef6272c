"""The turn guard: one deadline per turn, and an answer even when storage fails.

`TurnGuard.run(turn, ...)` wraps one turn of the assistant (an async iterator of TurnEvents,
made by `turn(memoryless)`):

- It starts the turn's `Deadline` (agent/deadline.py) in the turn's context, so model calls
  stop at `model_until` and the offline planner answers in the reserve left after it. If the
  turn still has no answer at the deadline itself (a hung catalog, say), the guard cancels it
  and answers with a short apology: the shopper never waits past the deadline.
- If the turn fails with `StorageUnavailable` (the checkpointer cannot be opened or written:
  a full disk, a read-only data dir), it is run again without memory: the agent answers from
  the catalog (read-only), the reply says it cannot remember the conversation, and turns go
  straight to that mode while `StorageHealth` remembers the failure.

Events are relayed as they come, so streaming still streams.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from agent.clock import SYSTEM_CLOCK, Clock
from agent.deadline import Deadline, cancel, race, turn_deadline
from agent.storage_health import StorageHealth, StorageUnavailable
from tools.contracts import TurnEvent, TurnResult

log = logging.getLogger("agent.turn_guard")

MEMORYLESS_NOTE = (
    "(I can't remember our earlier messages right now because conversation storage is "
    "unavailable, so I answered this one on its own.)"
)
DEADLINE_REPLY = "Sorry, that took too long to answer. Please try again in a moment."
FALLBACK_RESERVE_S = 5.0  # at most this much of the deadline is kept for the fallback
FALLBACK_SHARE = 0.25  # ... and at most this share of it

Turn = Callable[[bool], AsyncIterator[TurnEvent]]
_END = object()


class DeadlineExceeded(Exception):
    """The turn had no answer when its deadline came."""


class TurnGuard:
    """Runs turns under a deadline and survives storage failures (see the module doc)."""

    def __init__(
        self,
        deadline_s: float,
        storage: StorageHealth,
        *,
        clock: Clock = SYSTEM_CLOCK,
        fallback_reserve_s: float | None = None,
    ) -> None:
        self.deadline_s = deadline_s
        self.storage = storage
        self.clock = clock
        if fallback_reserve_s is None:
            fallback_reserve_s = min(FALLBACK_RESERVE_S, deadline_s * FALLBACK_SHARE)
        self.fallback_reserve_s = fallback_reserve_s

    async def run(self, turn: Turn, *, thread_id: str, request_id: str) -> AsyncIterator[TurnEvent]:
        """The turn's events, bounded by the deadline; never raises for storage failures."""
        deadline = Deadline.start(self.deadline_s, self.fallback_reserve_s, self.clock)
        context = contextvars.copy_context()
        context.run(turn_deadline.set, deadline)
        memoryless = self.storage.failing()
        try:
            try:
                first = self._relay(turn(memoryless), deadline, context)
                async for event in _memoryless(first) if memoryless else first:
                    yield event
                if not memoryless:
                    self.storage.record_success()
                return
            except StorageUnavailable as exc:
                if memoryless:
                    raise
                log.error("conversation storage failed; answering without memory: %s", exc)
                self.storage.record_failure(exc)
            async for event in _memoryless(self._relay(turn(True), deadline, context)):
                yield event
        except DeadlineExceeded:
            log.error("turn of thread %s passed its %.1f s deadline", thread_id, self.deadline_s)
            result = TurnResult(
                reply=DEADLINE_REPLY,
                request_id=request_id,
                thread_id=thread_id,
                latency_ms=self.deadline_s * 1000,
                notes=["deadline"],
            )
            yield TurnEvent(type="token", text=result.reply)
            yield TurnEvent(type="final", result=result)

    async def _relay(
        self, events: AsyncIterator[TurnEvent], deadline: Deadline, context: contextvars.Context
    ) -> AsyncIterator[TurnEvent]:
        """Run `events` in a task (in `context`) and pass its events on until the deadline."""
        queue: asyncio.Queue[Any] = asyncio.Queue()
        pump = asyncio.get_running_loop().create_task(_pump(events, queue), context=context)
        try:
            while True:
                item = asyncio.ensure_future(queue.get())
                if not await race(item, self.clock, deadline.remaining()):
                    item.cancel()
                    raise DeadlineExceeded
                value = item.result()
                if value is _END:
                    return
                if isinstance(value, BaseException):
                    raise value
                yield value
        finally:
            await cancel(pump)


async def _pump(events: AsyncIterator[TurnEvent], queue: asyncio.Queue[Any]) -> None:
    try:
        async for event in events:
            queue.put_nowait(event)
        queue.put_nowait(_END)
    except Exception as exc:  # noqa: BLE001 - handed to the consumer, which decides
        queue.put_nowait(exc)
    finally:
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()


async def _memoryless(events: AsyncIterator[TurnEvent]) -> AsyncIterator[TurnEvent]:
    """A memoryless turn's events: its final reply says so (the note is streamed first)."""
    async for event in events:
        if event.type == "final" and event.result is not None:
            result = event.result
            if MEMORYLESS_NOTE not in result.reply:
                yield TurnEvent(type="token", text=f"\n\n{MEMORYLESS_NOTE}")
                result.reply = f"{result.reply}\n\n{MEMORYLESS_NOTE}"
            result.notes.append("memoryless")
        yield event
