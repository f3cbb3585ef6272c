"""Runner (fresh threads, repeat, concurrency), report and compare, with a fake assistant."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from catalog.store import CatalogStore
from evals.compare import compare_paths, render_text
from evals.report import load_results, summarize, svg_bars, svg_histogram, write_report
from evals.runner import run_suite
from evals.scenario import parse_scenarios
from tests.evals.helpers import tiny_catalog
from tools.contracts import Recommendation, ToolCallRecord, TurnResult, Usage

SCENARIOS = """
- id: boots
  family: budget
  tags: [budget, smoke]
  turns:
    - user: boots under $150 size 10
      expect:
        recommends: {min: 1, max: 3}
        constraints: {max_price: 150, category: hiking boots, options: {size: "10"}}
        grounded: true
- id: pizza
  family: not-sold
  tags: [not-sold]
  turns:
    - user: do you sell pizza?
      expect: {recommends: none, mentions: [["don't sell"]]}
- id: vague
  family: vague
  tags: [clarification]
  turns:
    - user: a gift
      expect: {asks_clarification: true}
"""


class FakeAssistant:
    """Deterministic: boots -> B2 size 10; pizza -> a refusal; else a question."""

    def __init__(self) -> None:
        self.threads: list[str] = []
        self.closed = False

    async def arun(self, message: str, *, thread_id: str, **kw: Any) -> TurnResult:
        self.threads.append(thread_id)
        usage = Usage(prompt_tokens=100 + len(message), completion_tokens=20)
        if "boots" in message:
            return TurnResult(
                reply="The Summit Hiking Boot is $99.50.",
                recommendations=[
                    Recommendation(
                        product_id="B2",
                        title="Summit Hiking Boot",
                        price=99.5,
                        currency="USD",
                        in_stock=True,
                        stock=2,
                        variant_id="B2-10",
                    )
                ],
                tool_calls=[ToolCallRecord(name="search_products", args={"q": "boots"})],
                usage=usage,
                latency_ms=12.0,
            )
        if "pizza" in message:
            return TurnResult(reply="Sorry, we don't sell pizza.", usage=usage, latency_ms=5.0)
        return TurnResult(
            reply="Who is it for?", clarifying_question=True, usage=usage, latency_ms=7.0
        )

    async def aclose(self) -> None:
        self.closed = True


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    url = tiny_catalog(tmp_path_factory.mktemp("tiny"))
    return SimpleNamespace(store=CatalogStore.open(url))


async def run(tiny: SimpleNamespace, fake: FakeAssistant, text: str = SCENARIOS, **kw: Any):
    scenarios = parse_scenarios(__import__("yaml").safe_load(text), "inline.yaml")
    return await run_suite(
        scenarios,
        open_catalog=lambda spec: tiny,
        make_assistant=lambda catalog: fake,
        progress=False,
        **kw,
    )


async def test_run_grades_and_fresh_threads(tiny: SimpleNamespace) -> None:
    fake = FakeAssistant()
    result = await run(tiny, fake, repeat=3, concurrency=2)
    assert len(result.runs) == 9 and fake.closed
    assert len(set(fake.threads)) == 9  # a fresh thread per scenario run
    assert all(r.passed for r in result.runs), [
        (r.scenario_id, [g.explanation for g in r.grades if g.asserted]) for r in result.runs
    ]
    s = summarize(result)
    # Deterministic assistant: pass^k equals pass^1.
    assert s["pass_hat_k"] == s["pass_rate"] == 1.0 and s["k"] == 3
    assert s["tokens_per_turn"]["n"] == 9 and s["latency_ms_per_turn"]["max"] == 12.0
    assert s["by_grader"]["constraints"]["asserted"] == 3


async def test_failures_reported_and_crash_is_a_failure(tiny: SimpleNamespace) -> None:
    class Broken(FakeAssistant):
        async def arun(self, message: str, *, thread_id: str, **kw: Any) -> TurnResult:
            if "gift" in message:
                raise RuntimeError("model down")
            result = await super().arun(message, thread_id=thread_id)
            if "pizza" in message:
                result.recommendations = [
                    Recommendation(
                        product_id="NOPE", title="Pizza", price=9, currency="USD", in_stock=True
                    )
                ]
            return result

    result = await run(tiny, Broken())
    verdict = {r.scenario_id: r.passed for r in result.runs}
    assert verdict == {"boots": True, "pizza": False, "vague": False}
    s = summarize(result)
    reasons = {f["scenario"]: " ".join(f["reasons"]) for f in s["failures"]}
    assert "model down" in reasons["vague"] and "recommends" in reasons["pizza"]
    pizza = next(r for r in result.runs if r.scenario_id == "pizza")
    grounding = next(g for g in pizza.grades if g.name == "grounding")
    assert grounding.score == 0.0 and not grounding.asserted


async def test_report_files_and_compare(tiny: SimpleNamespace, tmp_path: Path) -> None:
    good = await run(tiny, FakeAssistant())

    class Worse(FakeAssistant):
        async def arun(self, message: str, *, thread_id: str, **kw: Any) -> TurnResult:
            result = await super().arun(message, thread_id=thread_id)
            result.reply = result.reply.replace("don't sell", "have")
            return result

    bad = await run(tiny, Worse())
    a, html_a = write_report(good, tmp_path / "a")
    write_report(bad, tmp_path / "b")
    data = json.loads(a.read_text())
    assert data["summary"]["pass_rate"] == 1.0 and len(data["runs"]) == 3
    assert data["runs"][0]["transcript"]["turns"][0]["prompt_tokens"] > 0
    assert data["runs"][0]["family"] == "budget"
    fams = summarize(bad)["by_family"]
    assert fams["not-sold"] == {"runs": 1, "passed": 0, "pass_rate": 0.0}
    assert fams["budget"]["pass_rate"] == 1.0 and set(fams) == {"budget", "not-sold", "vague"}
    page = html_a.read_text()
    assert page.count("<svg") == 6 and "<script" not in page and "http" not in page.lower()
    assert "Pass rate by tag" in page and "Latency per turn" in page
    assert "Pass rate by family" in page and "<td>not-sold</td><td>1/1</td>" in page
    assert load_results(tmp_path / "a")["run_id"] == good.run_id

    diff = compare_paths(tmp_path / "a", tmp_path / "b")
    assert diff["worse"] == ["pizza"] and diff["better"] == []
    assert diff["pass_rate"]["delta"] == pytest.approx(-1 / 3, abs=1e-3)
    assert diff["graders"]["mentions"]["delta"] < 0
    text = render_text(diff)
    assert "worse (1): pizza" in text
    back = compare_paths(tmp_path / "b", tmp_path / "a")
    assert back["better"] == ["pizza"]


def test_svg_helpers_escape_and_handle_empty() -> None:
    assert "&lt;x&gt;" in svg_bars("t", [("<x>", 0.5)])
    assert "no data" in svg_histogram("t", [])
    assert svg_histogram("t", [5.0, 5.0]).count("<rect") == 12
