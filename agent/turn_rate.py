"""The per-thread turn rate limit, with memory bounded by the threads active in its window.

At most `per_minute` turns per conversation thread in any 60 s (SHOP_TURNS_PER_MINUTE). A
server mints a new thread for every browser session (ui/threads.py), so a limit that kept a
record per thread forever grew with every visitor: threads are kept in the order of their
last turn, and any whose last turn has left the window is forgotten (it could not be refused
anyway), so the records held are those of the last minute's threads only.
"""

from __future__ import annotations

from collections import OrderedDict, deque

from agent.clock import SYSTEM_CLOCK, Clock

WINDOW_S = 60.0


class TurnRateLimit:
    """Sliding one-minute window of turn times per thread, on an injected clock."""

    def __init__(self, per_minute: int, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._times: OrderedDict[str, deque[float]] = OrderedDict()  # oldest last turn first

    def exceeded(self, thread_id: str) -> bool:
        """Whether a turn of `thread_id` now would pass the limit."""
        now = self.clock.monotonic()
        self._forget_idle(now)
        times = self._times.get(thread_id)
        if times is None:
            return self.per_minute <= 0
        while times and now - times[0] > WINDOW_S:
            times.popleft()
        return len(times) >= self.per_minute

    def record(self, thread_id: str) -> None:
        """Count a turn of `thread_id` now."""
        times = self._times.setdefault(thread_id, deque())
        times.append(self.clock.monotonic())
        self._times.move_to_end(thread_id)

    def _forget_idle(self, now: float) -> None:
        while self._times:
            thread_id, times = next(iter(self._times.items()))
            if times and now - times[-1] <= WINDOW_S:
                return
            del self._times[thread_id]

    def __len__(self) -> int:
        """Threads with a record held (those with a turn in the last minute, at most)."""
        return len(self._times)
