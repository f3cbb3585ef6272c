"""Eval scenarios (YAML, validated by pydantic) and the transcripts a run produces.

A scenario file holds a list of scenarios (or a mapping with a ``scenarios`` key). Every
validation error names the file, the scenario id and the field, e.g.::

    evals/scenarios/demo.yaml: scenario 'boots-budget': turns.0.expect.recommends: ...

Transcripts are evals-owned models: the runner copies each assistant turn into them, so the
graders never import agent code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evals.expect import Expect, Strict

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
FAMILIES_FILE = Path(__file__).resolve().parent / "families.yaml"


@lru_cache(maxsize=1)
def families() -> dict[str, str]:
    """The scenario families (name -> what a shopper does in it), from evals/families.yaml."""
    data = yaml.safe_load(FAMILIES_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


class Turn(Strict):
    """One scripted user message and what the store requires of the answer."""

    user: str = Field(min_length=1)
    expect: Expect = Field(default_factory=Expect)


class Shopper(Strict):
    """A simulated shopper (tau-bench style), used when a shopper model is configured."""

    persona: str
    goal: str
    max_turns: int = Field(4, ge=1, le=12)
    expect: Expect = Field(default_factory=Expect)


class Scenario(Strict):
    """A scripted conversation against one catalog."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    family: str | None = None
    tags: list[str] = Field(default_factory=list)
    catalog: str = "demo"
    turns: list[Turn] = Field(min_length=1)
    shopper: Shopper | None = None
    source: str = Field("", exclude=True)

    @field_validator("family")
    @classmethod
    def _known_family(cls, value: str | None) -> str | None:
        if value is not None and value not in families():
            known = ", ".join(sorted(families()))
            raise ValueError(f"unknown family {value!r}; known: {known} (evals/families.yaml)")
        return value

    def has_tag(self, tag: str) -> bool:
        """Whether the scenario carries `tag` (its family counts as a tag)."""
        return tag in self.tags or tag == self.family


class ScenarioError(ValueError):
    """A scenario file that does not validate; the message names file, scenario and field."""

    def __init__(self, file: str, scenario: str | None, field: str, message: str) -> None:
        self.file = file
        self.scenario = scenario
        self.field = field
        self.message = message
        where = f"scenario {scenario!r}" if scenario else "file"
        super().__init__(f"{file}: {where}: {field}: {message}")


def _loc(loc: tuple[Any, ...]) -> str:
    # Union branches show up as "function-after[...]", "literal['none']" or a model name.
    parts = [str(p) for p in loc if isinstance(p, int) or ("[" not in p and not p[:1].isupper())]
    return ".".join(parts) or "(root)"


def parse_scenarios(data: Any, file: str) -> list[Scenario]:
    """Validate already-parsed YAML data; raise ScenarioError on the first problem."""
    if isinstance(data, dict) and "scenarios" in data:
        data = data["scenarios"]
    elif isinstance(data, dict) and "id" in data:
        data = [data]
    if data is None:
        return []
    if not isinstance(data, list):
        raise ScenarioError(file, None, "(root)", "expected a list of scenarios")
    scenarios: list[Scenario] = []
    for position, raw in enumerate(data):
        if not isinstance(raw, dict):
            raise ScenarioError(file, f"#{position}", "(root)", "a scenario must be a mapping")
        sid = str(raw.get("id") or f"#{position}")
        try:
            scenario = Scenario.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ScenarioError(file, sid, _loc(err["loc"]), err["msg"]) from None
        scenario.source = file
        scenarios.append(scenario)
    return scenarios


def load_file(path: Path) -> list[Scenario]:
    """Load and validate one YAML file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(str(path), None, "(yaml)", str(exc).replace("\n", " ")) from None
    except OSError as exc:
        raise ScenarioError(str(path), None, "(file)", exc.strerror or str(exc)) from None
    return parse_scenarios(data, str(path))


def load_scenarios(paths: list[Path] | None = None) -> list[Scenario]:
    """Load every scenario under `paths` (files or directories; default: the bundled suites).

    Ids must be unique across all files.
    """
    paths = list(paths or [SCENARIO_DIR])
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        elif path.exists():
            files.append(path)
        else:
            raise ScenarioError(str(path), None, "(file)", "no such file or directory")
    scenarios: list[Scenario] = []
    seen: dict[str, str] = {}
    for file in files:
        for scenario in load_file(file):
            if scenario.id in seen:
                raise ScenarioError(
                    str(file), scenario.id, "id", f"duplicate id (also in {seen[scenario.id]})"
                )
            seen[scenario.id] = str(file)
            scenarios.append(scenario)
    return scenarios


def select(scenarios: list[Scenario], tags: list[str] | None) -> list[Scenario]:
    """Scenarios carrying any of `tags` (all when no tags are given)."""
    if not tags:
        return scenarios
    return [s for s in scenarios if any(s.has_tag(t) for t in tags)]


# --------------------------------------------------------------------------------------------
# Transcripts: what the runner recorded, in evals-owned types
# --------------------------------------------------------------------------------------------


class RecView(BaseModel):
    """A recommendation as the assistant returned it."""

    model_config = ConfigDict(extra="ignore")

    product_id: str
    title: str = ""
    price: float | None = None
    currency: str | None = None
    in_stock: bool | None = None
    stock: int | None = None
    variant_id: str | None = None
    variant: dict[str, str] = Field(default_factory=dict)
    reason: str = ""
    brand: str | None = None
    category: str | None = None


class ViolationView(BaseModel):
    """Why an alternative does not fit (copied from the assistant's Violation)."""

    model_config = ConfigDict(extra="ignore")

    code: str
    detail: str = ""


class AltView(RecView):
    """An item shown as an alternative, never as a pick, with its violations."""

    violations: list[ViolationView] = Field(default_factory=list)


class ToolView(BaseModel):
    """One tool call the assistant made."""

    model_config = ConfigDict(extra="ignore")

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    duration_ms: float = 0.0


class TranscriptTurn(BaseModel):
    """One user message and the assistant's answer."""

    user: str
    reply: str = ""
    recommendations: list[RecView] = Field(default_factory=list)
    alternatives: list[AltView] = Field(default_factory=list)
    comparison_ids: list[str] = Field(default_factory=list)
    clarifying_question: bool = False
    tool_calls: list[ToolView] = Field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_estimated: bool = False
    latency_ms: float = 0.0
    model_ms: float = 0.0
    tool_ms: float = 0.0
    degraded: bool = False
    error: str | None = None
    expect: Expect = Field(default_factory=Expect)

    @classmethod
    def from_result(cls, user: str, result: Any, expect: Expect | None = None) -> TranscriptTurn:
        """Copy an assistant TurnResult (any object with `model_dump`) into a transcript turn."""
        data = result.model_dump() if hasattr(result, "model_dump") else dict(result)
        usage = data.get("usage") or {}
        comparison = data.get("comparison") or {}
        return cls(
            user=user,
            reply=data.get("reply") or "",
            recommendations=[RecView.model_validate(r) for r in data.get("recommendations", [])],
            alternatives=[AltView.model_validate(a) for a in data.get("alternatives") or []],
            comparison_ids=[str(i) for i in comparison.get("product_ids", [])],
            clarifying_question=bool(data.get("clarifying_question")),
            tool_calls=[ToolView.model_validate(t) for t in data.get("tool_calls", [])],
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            tokens_estimated=bool(usage.get("estimated")),
            latency_ms=float(data.get("latency_ms") or 0.0),
            model_ms=float(data.get("model_ms") or 0.0),
            tool_ms=float(data.get("tool_ms") or 0.0),
            degraded=bool(data.get("degraded")),
            expect=expect or Expect(),
        )

    @property
    def product_ids(self) -> list[str]:
        """Ids recommended in this turn, in order."""
        return [r.product_id for r in self.recommendations]

    @property
    def shown(self) -> list[tuple[str, str | None]]:
        """(product id, variant id) of the cards in screen order: picks then alternatives, or
        the compared products when no card was shown."""
        cards = [*self.recommendations, *self.alternatives]
        if cards:
            return [(r.product_id, r.variant_id) for r in cards]
        return [(pid, None) for pid in self.comparison_ids]


class Transcript(BaseModel):
    """A whole scenario run: the turns, and where the catalog's SQL lives."""

    scenario_id: str
    catalog_url: str
    thread_id: str = ""
    turns: list[TranscriptTurn] = Field(default_factory=list)
    simulated: bool = False
    error: str | None = None
