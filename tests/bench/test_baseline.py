"""bench/baseline.py: a commit's own code plays a scenario against an endpoint, in a worker
process, through a counting proxy; the record is graded by today's graders."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from bench.baseline import ROOT, Baseline, export_tree
from evals.scenario import load_scenarios
from tests.agent.stub_server import StubServer
from tests.agent.test_openai_stub import recommend_first


def _head() -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def committed() -> str:
    """HEAD, when this checkout is a git repository (a clean-checkout CI run is one)."""
    try:
        return _head()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: nothing to export")


def test_export_tree_writes_the_commit_files(tmp_path: Path, committed: str) -> None:
    commit = export_tree("HEAD", tmp_path / "tree")
    assert commit == committed and len(commit) == 40
    assert (tmp_path / "tree" / "agent" / "graph.py").is_file()
    assert not (tmp_path / "tree" / ".git").exists()


@pytest.mark.slow
def test_a_commit_plays_a_scenario_through_the_counting_proxy(
    tmp_path: Path, committed: str
) -> None:
    scenario = next(s for s in load_scenarios(None) if s.id == "brand-earbuds")
    with StubServer() as stub:
        stub.push(recommend_first)
        settings = {
            "OPENAI_BASE_URL": stub.base_url,
            "OPENAI_API_KEY": "test",
            "SHOP_MODEL": "stub-model",
            "SHOP_MODEL_TIMEOUT_S": 30,
            "SHOP_MODEL_MAX_RETRIES": 0,
        }
        baseline = Baseline("HEAD", tmp_path, settings)
        try:
            record = asyncio.run(baseline.play(scenario))
        finally:
            baseline.close()
        sent = list(stub.requests)
    assert baseline.commit == committed
    assert record["variant"] == "baseline" and record["id"] == "brand-earbuds"
    [turn] = record["turns"]
    # every model call went through the proxy, with the usage the server reported
    assert turn["calls"] == len(sent) == 1
    assert turn["prompt_tokens"] > 0 and turn["completion_tokens"] > 0
    assert turn["per_call"][0]["finish"] in ("tool_calls", "stop")
    assert turn["latency_ms"] > 0 and turn["tools"][-1] == "recommend"
    # graded here, by today's graders: the stub's pick is a Sonavo pair in stock
    assert record["passed"], record["failing"]
    assert record["guarantees"]["held"]
