"""One deadline per turn, and the HTTP transport that holds the model's calls to it.

A turn starts a `Deadline`: the whole turn must answer by `at`; model calls must end by
`model_until`, which leaves a reserve in which the offline planner can still answer. The
deadline rides in a context variable, so the model's HTTP transport (`DeadlineTransport`,
installed by `agent.models.make_remote_model`) reads it without any code in between knowing.

Why the transport and not a timeout around the graph: the SDK's own timeout applies per
attempt, and its retries, their back-off sleeps and the graph's corrective retry multiply it
(a hanging endpoint once took 89 s with an 8 s timeout). Past `model_until` the transport
answers at once with a synthetic HTTP 408 that tells the SDK not to retry; the graph treats
that like any failed model call (a correction, then the offline fallback) and records an
outage on the circuit breaker, and the turn ends normally, checkpoint included.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from dataclasses import dataclass
from typing import Any

import httpx2

from agent.clock import SYSTEM_CLOCK, Clock

EXPIRED_STATUS = 408
EXPIRED_MESSAGE = "the turn's time for model calls ran out"


@dataclass(frozen=True)
class Deadline:
    """When the current turn must have answered, and when its model calls must stop."""

    at: float
    model_until: float
    clock: Clock

    @classmethod
    def start(cls, seconds: float, reserve_s: float, clock: Clock = SYSTEM_CLOCK) -> Deadline:
        """A deadline `seconds` from now whose last `reserve_s` belong to the fallback."""
        now = clock.monotonic()
        reserve = min(max(reserve_s, 0.0), seconds)
        return cls(at=now + seconds, model_until=now + seconds - reserve, clock=clock)

    def remaining(self) -> float:
        """Seconds left for the whole turn (negative once passed)."""
        return self.at - self.clock.monotonic()

    def model_remaining(self) -> float:
        """Seconds left for model calls (negative once passed)."""
        return self.model_until - self.clock.monotonic()


turn_deadline: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "turn_deadline", default=None
)


async def race(work: asyncio.Future[Any], clock: Clock, seconds: float) -> bool:
    """Wait for `work` at most `seconds` on `clock`; True if it finished in time.

    Unfinished work is left running: the caller cancels it (or not)."""
    if work.done():
        return True
    timer = asyncio.ensure_future(clock.sleep(seconds))
    try:
        await asyncio.wait({work, timer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
    return work.done()


async def cancel(task: asyncio.Future[Any]) -> None:
    """Cancel `task` and wait until it has stopped (its exception, if any, is dropped)."""
    task.cancel()
    with contextlib.suppress(BaseException):
        await task


def expired_response(request: httpx2.Request) -> httpx2.Response:
    """The synthetic answer for a request made (or still waiting) past the model budget."""
    return httpx2.Response(
        EXPIRED_STATUS,
        headers={"x-should-retry": "false"},
        json={"error": {"message": EXPIRED_MESSAGE, "type": "timeout", "code": "turn_deadline"}},
        request=request,
    )


class DeadlineTransport(httpx2.AsyncBaseTransport):
    """Wraps a transport: each request ends by the current turn's `model_until`.

    Outside a turn (no deadline set) requests pass through untouched. The budget bounds the
    wait for the response head; a non-streaming model (the default) reads its body at once.
    """

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        deadline = turn_deadline.get()
        if deadline is None:
            return await self.inner.handle_async_request(request)
        left = deadline.model_remaining()
        if left <= 0:
            return expired_response(request)
        call = asyncio.ensure_future(self.inner.handle_async_request(request))
        try:
            finished = await race(call, deadline.clock, left)
        except asyncio.CancelledError:
            call.cancel()
            raise
        if finished:
            return call.result()
        await cancel(call)
        return expired_response(request)

    async def aclose(self) -> None:
        await self.inner.aclose()
