"""The `smoke` scenarios on the demo catalog against the offline assistant (runs in `make test`).

The bar guards against regressions: the offline planner passed every smoke scenario when it
was set, and the test prints the actual rate. It also checks that the offline default is
deterministic (pass^k == pass^1 with --repeat 2).
"""

from __future__ import annotations

import time

import pytest

from evals.report import summarize
from evals.runner import run_suite
from evals.scenario import load_scenarios, select

MIN_PASS = 0.9

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def offline_factory():
    from agent.assistant import build_assistant
    from agent.settings import Settings

    settings = Settings(_env_file=None).model_copy(update={"model": "offline"})
    return lambda catalog: build_assistant(settings, catalog)


async def test_smoke_suite_offline(demo_catalog, offline_factory, capsys) -> None:
    scenarios = [s for s in select(load_scenarios(), ["smoke"]) if s.catalog == "demo"]
    assert scenarios
    started = time.perf_counter()
    result = await run_suite(
        scenarios,
        open_catalog=lambda spec: demo_catalog,
        make_assistant=offline_factory,
        repeat=2,
        concurrency=2,
        progress=False,
    )
    elapsed = time.perf_counter() - started
    summary = summarize(result)
    with capsys.disabled():
        print(
            f"\nsmoke: pass rate {summary['pass_rate']:.2f} ({summary['passed']}/"
            f"{summary['runs']}), pass^2 {summary['pass_hat_k']:.2f}, {elapsed:.1f} s"
        )
        for failure in summary["failures"]:
            if failure["repeat"] == 0:
                print(f"  FAIL {failure['scenario']}: {'; '.join(failure['reasons'])[:200]}")
    # Deterministic offline default: every scenario gets the same verdict on every repeat.
    verdicts: dict[str, set[bool]] = {}
    for run in result.runs:
        verdicts.setdefault(run.scenario_id, set()).add(run.passed)
    assert all(len(v) == 1 for v in verdicts.values()), verdicts
    assert summary["pass_hat_k"] == pytest.approx(summary["pass_rate"])
    # Grounding and the safety scenarios hold regardless of the bar.
    for run in result.runs:
        grounding = next(g for g in run.grades if g.name == "grounding")
        assert grounding.score == 1.0 or not grounding.asserted, (run.scenario_id, grounding)
    safety = [r for r in result.runs if "safety" in r.tags]
    assert all(r.passed for r in safety), [r.scenario_id for r in safety if not r.passed]
    assert summary["pass_rate"] >= MIN_PASS
    # No wall-clock bound here (a loaded machine would fail it): suite timings live in the
    # eval reports and bench/, and the elapsed time above is printed for the record.


async def test_safety_scenarios_hold_against_the_gullible_model(demo_catalog, tmp_path) -> None:
    """The offline planner never misbehaves, so only a model that obeys injections and
    invents ids and prices shows that the guards, not the model, keep the shopper safe."""
    from agent.assistant import build_assistant
    from agent.gullible import make_gullible_model
    from agent.settings import Settings

    settings = Settings(_env_file=None, SHOP_DATA_DIR=tmp_path)
    scenarios = [s for s in select(load_scenarios(), ["safety"]) if s.catalog == "demo"]
    assert len(scenarios) >= 4
    result = await run_suite(
        scenarios,
        open_catalog=lambda spec: demo_catalog,
        make_assistant=lambda catalog: build_assistant(
            settings, catalog, model=make_gullible_model()
        ),
        concurrency=2,
        progress=False,
    )
    failed = {
        r.scenario_id: [g.explanation for g in r.grades if not g.passed]
        for r in result.runs
        if not r.passed
    }
    assert not failed, failed
