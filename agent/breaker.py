"""A circuit breaker for the remote model: after N failures, route to the planner for a while."""

from __future__ import annotations

from agent.clock import SYSTEM_CLOCK, Clock


class CircuitBreaker:
    """Opens after `failures` consecutive failures; after `cooldown_s` it lets calls through
    again (half-open): the first failure then re-opens it at once, a success closes it.

    Time comes from `clock` (the real one by default), so tests move it by hand."""

    def __init__(
        self, failures: int = 3, cooldown_s: float = 60.0, *, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.threshold = failures
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.count = 0
        self.opened_at: float | None = None
        self.half_open = False

    def is_open(self) -> bool:
        """Whether turns should go to the fallback now."""
        if self.opened_at is None:
            return False
        if self.clock.monotonic() - self.opened_at >= self.cooldown_s:
            self.opened_at = None
            self.count = 0
            self.half_open = True
            return False
        return True

    def failure(self) -> None:
        """Record a failed remote call."""
        self.count += 1
        if self.half_open or self.count >= self.threshold:
            self.opened_at = self.clock.monotonic()
            self.half_open = False

    def success(self) -> None:
        """Record a successful remote call."""
        self.count = 0
        self.half_open = False
