"""Budget phrases in free text ("under $50", "between 100 and 200", "$30-$60", "over 20").

The one budget reader: `shop search`, the offline planner and the UI's search-only fallback
all use it, so a phrase means the same price bound everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?\s*(?:dollars|usd|bucks)?"
_PATTERNS: list[tuple[str, str]] = [
    (rf"\b(?:between|from)\s*{_NUM}\s*(?:and|to|-)\s*{_NUM}", "range"),
    (
        r"(?<![\w.])\$\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?\s*(?:-|to)\s*\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?",
        "range",
    ),
    (
        r"(?:\b(?:under|below|less than|lower than|less then|cheaper than|at most|up to|"
        r"max(?:imum)?|no more than|not more than|within|budget(?: of| is)?)|<=?)\s*(?:of\s*)?"
        + _NUM,
        "max",
    ),
    (
        rf"(?:\b(?:over|above|more than|at least|greater than|min(?:imum)?|from)|>=?)\s*{_NUM}",
        "min",
    ),
    # A bare "$50" or "50 dollars" with no other budget word reads as a cap.
    (
        r"\$\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?|(\d[\d,]*(?:\.\d+)?)\s*(k\b)?\s*(?:dollars|usd|bucks)\b",
        "bare",
    ),
]


@dataclass(frozen=True)
class Budget:
    """Price bounds found in a text, and the text with the phrases removed."""

    min_price: float | None
    max_price: float | None
    text: str


def _value(number: str, thousands: str | None) -> float:
    value = float(number.replace(",", ""))
    return value * 1000 if thousands else value


def parse_budget(text: str) -> Budget:
    """Extract price bounds; "under X" means ≤ X."""
    low: float | None = None
    high: float | None = None
    rest = text
    for pattern, kind in _PATTERNS:
        match = re.search(pattern, rest, flags=re.IGNORECASE)
        if not match:
            continue
        groups = match.groups()
        if kind == "range":
            a, b = _value(groups[0], groups[1]), _value(groups[2], groups[3])
            low, high = min(a, b), max(a, b)
        elif kind == "max" and high is None:
            high = _value(groups[0], groups[1])
        elif kind == "min" and low is None:
            low = _value(groups[0], groups[1])
        elif kind == "bare":
            if low is not None or high is not None:
                continue
            high = _value(groups[0] or groups[2], groups[1] or groups[3])
        rest = (rest[: match.start()] + " " + rest[match.end() :]).strip()
    return Budget(low, high, re.sub(r"\s+", " ", rest).strip())
