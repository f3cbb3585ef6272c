"""An optional LLM judge (helpfulness, explanation quality), used only when configured.

The judge reads the transcript and answers with JSON matching `JudgeScore`. Its grade is
reported, never required: scenario verdicts stay with the deterministic graders.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from evals.graders import Grade, Grader
from evals.scenario import Scenario, Transcript

JUDGE_SYSTEM = (
    "You grade a shopping assistant's conversation for a store. Score 1-5: helpfulness "
    "(did it move the shopper toward a good purchase, respect their constraints, refuse what "
    "the store does not sell?) and explanation_quality (are the reasons specific, accurate "
    "and short?). Reply with JSON only: "
    '{"helpfulness": int, "explanation_quality": int, "rationale": "one sentence"}'
)


class JudgeScore(BaseModel):
    """What the judge must answer."""

    helpfulness: int = Field(ge=1, le=5)
    explanation_quality: int = Field(ge=1, le=5)
    rationale: str = ""

    @property
    def normalized(self) -> float:
        """Both scores mapped to 0..1 and averaged."""
        return ((self.helpfulness - 1) + (self.explanation_quality - 1)) / 8


def render_transcript(scenario: Scenario, transcript: Transcript) -> str:
    """The conversation as the judge sees it."""
    lines = [f"Scenario: {scenario.description or scenario.id}"]
    for turn in transcript.turns:
        lines.append(f"SHOPPER: {turn.user}")
        lines.append(f"ASSISTANT: {turn.reply}")
        for rec in turn.recommendations:
            lines.append(
                f"  - {rec.title} ({rec.product_id}) {rec.price} {rec.currency or ''}: {rec.reason}"
            )
    return "\n".join(lines)


def parse_score(text: str) -> JudgeScore:
    """Parse the judge's reply (tolerating code fences and prose around the JSON)."""
    match = re.search(r"\{.*\}", text, re.S)
    if not match:
        raise ValueError(f"judge reply holds no JSON object: {text[:120]!r}")
    return JudgeScore.model_validate(json.loads(match.group(0)))


class Judge:
    """Wraps a LangChain chat model (ChatOpenAI against the judge endpoint)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def score(self, scenario: Scenario, transcript: Transcript) -> JudgeScore:
        from langchain_core.messages import HumanMessage, SystemMessage

        reply = self.model.invoke(
            [SystemMessage(JUDGE_SYSTEM), HumanMessage(render_transcript(scenario, transcript))]
        )
        content = reply.content if isinstance(reply.content, str) else str(reply.content)
        return parse_score(content)

    def grader(self) -> Grader:
        """A grader function backed by this judge (reported, not asserted)."""

        def grade_judge(scenario: Scenario, transcript: Transcript) -> Grade:
            if transcript.error or not transcript.turns:
                return Grade(name="judge", score=0.0, passed=True, explanation="no transcript")
            try:
                s = self.score(scenario, transcript)
            except (ValidationError, ValueError) as exc:
                return Grade(
                    name="judge", score=0.0, passed=False, explanation=f"bad judge reply: {exc}"
                )
            return Grade(
                name="judge",
                score=round(s.normalized, 4),
                passed=s.normalized >= 0.5,
                explanation=f"helpfulness {s.helpfulness}/5, explanations "
                f"{s.explanation_quality}/5: {s.rationale}",
                details=s.model_dump(),
            )

        grade_judge.grade_name = "judge"  # type: ignore[attr-defined]
        return grade_judge


def make_judge(
    base_url: str | None, api_key: str | None, model: str | None, timeout_s: float = 60.0
) -> Judge | None:
    """A judge against an OpenAI-compatible endpoint, or None when none is configured."""
    if not base_url or not model:
        return None
    from langchain_openai import ChatOpenAI

    chat = ChatOpenAI(
        base_url=base_url,
        api_key=api_key or "not-needed",
        model=model,
        temperature=0,
        timeout=timeout_s,
        max_retries=1,
    )
    return Judge(chat)
