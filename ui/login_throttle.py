"""Throttle failed logins per user name and per client address.

Without it a client could try passwords as fast as the server answers (30 in 1.6 s). Each
key keeps the times of its recent failures; a key with `limit` failures inside `window_s`
is refused (HTTP 429 with Retry-After) until the oldest of them leaves the window. A
success clears that user's failures. Counts live in this process: behind several workers
each has its own (sticky sessions keep one client on one worker).
"""

from __future__ import annotations

import math
from collections import deque

from agent.clock import SYSTEM_CLOCK, Clock

PER_USER = 5  # failures per user name in the window
PER_ADDRESS = 20  # failures per client address in the window (many users behind one NAT)
WINDOW_S = 300.0
MAX_KEYS = 100_000  # bound memory under a spray of made-up user names


class LoginThrottle:
    """Sliding-window failure counts per user and per address, on an injected clock."""

    def __init__(
        self,
        *,
        per_user: int = PER_USER,
        per_address: int = PER_ADDRESS,
        window_s: float = WINDOW_S,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.limits = {"user": per_user, "addr": per_address}
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        horizon = self.clock.monotonic() - self.window_s
        while times and times[0] <= horizon:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, user: str, address: str) -> int | None:
        """Seconds to wait before this user may try from this address, or None if allowed."""
        wait = 0.0
        for kind, value in (("user", user.lower()), ("addr", address)):
            times = self._recent((kind, value))
            if len(times) >= self.limits[kind]:
                oldest = times[len(times) - self.limits[kind]]
                wait = max(wait, oldest + self.window_s - self.clock.monotonic())
        return max(1, math.ceil(wait)) if wait > 0 else None

    def failed(self, user: str, address: str) -> None:
        """Record a failed attempt."""
        if len(self._failures) >= MAX_KEYS:
            self._failures.clear()  # crude, but bounded; the window refills within minutes
        now = self.clock.monotonic()
        for key in (("user", user.lower()), ("addr", address)):
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, user: str) -> None:
        """A correct password: forget this user's failures (not the address's)."""
        self._failures.pop(("user", user.lower()), None)
