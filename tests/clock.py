"""A hand-driven clock (the `agent.clock.Clock` protocol) for tests that must not race time.

`advance(s)` moves time forward and wakes every `sleep` whose end has come; `sleeping(n)`
waits until n sleepers are parked, so a test can advance exactly when the code under test is
waiting (an event, never a wall-clock pause).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class FakeClock:
    """Time stands still until the test advances it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._changed: asyncio.Condition | None = None
        self._sleepers = 0

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> Coroutine[Any, Any, None]:
        # The end is fixed when sleep() is called, not when the coroutine first runs: time
        # may be advanced in between (asyncio.sleep has the same contract in real time).
        return self._sleep_until(self.now + max(0.0, seconds))

    async def _sleep_until(self, until: float) -> None:
        changed = self._condition()
        async with changed:
            self._sleepers += 1
            changed.notify_all()
            try:
                await changed.wait_for(lambda: self.now >= until)
            finally:
                self._sleepers -= 1

    async def sleeping(self, count: int = 1) -> None:
        """Return once at least `count` coroutines are parked in `sleep`."""
        changed = self._condition()
        async with changed:
            await changed.wait_for(lambda: self._sleepers >= count)

    def advance_sync(self, seconds: float) -> None:
        """Move time forward without waking sleepers (for code that only reads the time)."""
        self.now += seconds

    async def advance(self, seconds: float) -> None:
        """Move time forward and wake the sleepers whose time has come."""
        self.now += seconds
        changed = self._condition()
        async with changed:
            changed.notify_all()
        await asyncio.sleep(0)  # let the woken coroutines run
