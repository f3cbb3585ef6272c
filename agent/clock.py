"""Time as a dependency: the clock protocol, and the real clock every default uses.

Anything that waits or measures time (the circuit breaker's cool-down, the turn deadline,
rate limits, login throttling) takes a `Clock` so tests can drive time by hand instead of
sleeping: a test double lives in tests/clock.py.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    """Monotonic seconds, and a way to wait for some of them to pass."""

    def monotonic(self) -> float:
        """Seconds since an arbitrary point; never goes backwards."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Return once `seconds` have passed on this clock."""
        ...


class SystemClock:
    """The real clock: `time.monotonic` and `asyncio.sleep`."""

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


SYSTEM_CLOCK: Clock = SystemClock()
