"""A grader's verdict (`Grade`), the grader signature, and how checks become a grade."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from evals.scenario import Scenario, Transcript


class Grade(BaseModel):
    """One grader's verdict on one scenario run."""

    name: str
    score: float = Field(ge=0.0, le=1.0)
    passed: bool
    asserted: bool = False
    explanation: str = ""
    details: dict[str, Any] = Field(default_factory=dict)


Grader = Callable[[Scenario, Transcript], Grade]


def finish(
    name: str,
    asserted: bool,
    checks: list[tuple[bool, str]],
    score: float | None = None,
    details: dict[str, Any] | None = None,
    t: Transcript | None = None,
) -> Grade:
    """A grade from (passed, message) checks: the score is the share that hold (unless given),
    the explanation lists the failures; a run that crashed fails every asserted grade."""
    if t is not None and (t.error or any(turn.error for turn in t.turns)):
        err = t.error or next(turn.error for turn in t.turns if turn.error)
        return Grade(
            name=name,
            score=0.0,
            passed=not asserted,
            asserted=asserted,
            explanation=f"run failed: {err}",
        )
    if not checks:
        return Grade(
            name=name, score=1.0, passed=True, asserted=asserted, explanation="nothing to check"
        )
    ok = sum(1 for good, _ in checks if good)
    if score is None:
        score = ok / len(checks)
    failed = [msg for good, msg in checks if not good]
    passed = not failed
    explanation = "; ".join(failed[:6]) if failed else f"{ok}/{len(checks)} checks hold"
    if len(failed) > 6:
        explanation += f" (+{len(failed) - 6} more)"
    return Grade(
        name=name,
        score=max(0.0, min(1.0, score)),
        passed=passed,
        asserted=asserted,
        explanation=explanation,
        details=details or {},
    )
