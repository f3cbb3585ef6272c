"""Who writes a card's reason with a remote model (SHOP_CARD_REASONS): the model or the store.

`model`: recommend asks the model for a short reason per pick; the store keeps it when it is
about that pick and backed by its row, else renders one from the row and the request
(agent/card_reasons.py). `store`: recommend asks for ranked ids only and the store writes
every reason. `auto` is the default: it starts as `model` and watches what the store does with
the reasons: once it has replaced most of the last WINDOW (a reason several picks share word
for word or but for their titles, or one trimmed to the facts its row supports), it stops
asking. On a small model served from a CPU those reasons are most of the JSON it writes, so
most of the turn, and such a model mostly writes the same sentence on every card; a strong
model's reasons are kept and it goes on writing them.

The switch is one-way for the life of the process: the tool schemas and the system prompt
change once (a server's prefix cache is refilled once), never back and forth.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Literal

from tools.contracts import TurnResult

Mode = Literal["auto", "model", "store"]

# the model's most recent reasons the decision is made on
WINDOW = 12
# the share of them the store replaced at which it stops asking
REPLACED_SHARE = 0.5
# how the store records a reason it could not keep as written (agent/card_reasons.py)
REPLACED_NOTES = ("shared by several picks", "trimmed to supported facts")


class ReasonPolicy:
    """Whether recommend asks the model for reasons now; fed every remote turn's result."""

    def __init__(self, mode: Mode = "auto", window: int = WINDOW) -> None:
        self.mode = mode
        self.window = window
        self._replaced: deque[bool] = deque(maxlen=window)
        self._switched = False
        self._lock = threading.Lock()

    def model_writes(self) -> bool:
        """True while recommend asks the model for a reason per pick."""
        return self.mode == "model" or (self.mode == "auto" and not self._switched)

    def record(self, result: TurnResult) -> bool:
        """Count the reasons of a turn the model answered; True when this turn made `auto`
        stop asking the model (the caller then rebuilds its tools and prompt)."""
        if self.mode != "auto" or self._switched or result.reduced_mode:
            return False
        if not result.recommendations or not any(c.model != "offline" for c in result.calls):
            return False
        replaced = {
            note.split()[2]
            for note in result.notes
            if note.startswith("reason of ") and any(r in note for r in REPLACED_NOTES)
        }
        with self._lock:
            if self._switched:
                return False
            for rec in result.recommendations:
                self._replaced.append(rec.product_id in replaced)
            full = len(self._replaced) == self.window
            if full and sum(self._replaced) / self.window >= REPLACED_SHARE:
                self._switched = True
                return True
        return False

    def summary(self) -> str:
        """One line for logs and health: the mode and what the store did with the reasons."""
        state = "model" if self.model_writes() else "store"
        seen = len(self._replaced)
        return f"{self.mode} -> {state} ({sum(self._replaced)}/{seen} recent reasons replaced)"
