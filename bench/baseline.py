"""The baseline variant: the same scenarios played by the code at an older commit, side by side
with today's variants in the same run (same server, same machine load, alternating order).

`--baseline REF` exports REF's tree (`git archive`, no checkout touched) and starts
bench/baseline_worker.py in it: that commit's own assistant plays each scenario against the
same endpoint, with the bench's call timeout and no client retries. Its transcripts are graded
here by *today's* graders and today's copy of each scenario, so pass rates and guarantees are
judged alike; latency and tokens come from the worker's counting proxy (that commit did not
stream, so it has no time to first token).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path
from typing import Any

from bench.real_model_metrics import note_counters, problem_kind, scenario_entry
from evals.graders import grade_all
from evals.scenario import Scenario, Transcript

ROOT = Path(__file__).resolve().parent.parent


def export_tree(ref: str, dest: Path) -> str:
    """REF's files under `dest`; its full commit id."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{ref}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return commit


class Baseline:
    """The worker process for one commit; `await play(scenario)` gives a scenario record."""

    def __init__(self, ref: str, work: Path, settings: dict[str, Any]) -> None:
        self.commit = export_tree(ref, work / "tree")
        shared = ROOT.parent / "shared"
        if shared.is_dir() and not (work / "shared").exists():
            # scenarios name catalogs like ../shared/data/...: relative to the tree's root
            (work / "shared").symlink_to(shared, target_is_directory=True)
        env = {
            **os.environ,
            "BASELINE_SETTINGS": json.dumps(settings),
            "HF_HUB_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "PYTHONPATH": str(work / "tree"),
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / "baseline_worker.py"),
                str(work / "tree"),
                str(work / "data"),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def _ask(self, scenario_id: str) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"id": scenario_id}) + "\n")
        self.proc.stdin.flush()
        for line in self.proc.stdout:
            if line.startswith("BASELINE "):
                return json.loads(line[len("BASELINE ") :])
        raise RuntimeError(f"baseline worker ended (exit {self.proc.wait()})")

    async def play(self, scenario: Scenario) -> dict[str, Any]:
        answer = await asyncio.to_thread(self._ask, scenario.id)
        if answer.get("missing"):
            raise SystemExit(f"scenario {scenario.id} is not in {self.commit[:7]}")
        return baseline_record(scenario, answer)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def baseline_record(scenario: Scenario, answer: dict[str, Any]) -> dict[str, Any]:
    """A scenario record like bench/real_model.py's, from the worker's answer, graded today."""
    transcript = Transcript.model_validate(answer["transcript"])
    turns = []
    for turn, calls, extra in zip(transcript.turns, answer["calls"], answer["turns"], strict=False):
        notes = list(extra.get("notes") or [])
        turns.append(
            {
                "user": turn.user,
                "reply": turn.reply,
                "latency_ms": turn.latency_ms,
                "calls": len(calls),
                "offline_calls": 0,
                "prompt_tokens": sum(c["prompt"] for c in calls),
                "completion_tokens": sum(c["completion"] for c in calls),
                "cached_tokens": sum(c["cached"] for c in calls),
                "estimated": False,
                "per_call": calls,
                "first_token_ms": None,
                "prefetched": False,
                **note_counters(notes),
                "problems": _problems(calls),
                "fallback": bool(extra.get("reduced_mode")),
                "reduced_mode": bool(extra.get("reduced_mode")),
                "tools": [t.name for t in turn.tool_calls],
                "recommendations": len(turn.recommendations),
                "alternatives": len(turn.alternatives),
                "notes": notes,
            }
        )
    return scenario_entry(
        (scenario.id, scenario.family),
        "baseline",
        grade_all(scenario, transcript),
        transcript.error,
        turns,
    )


def _problems(calls: list[dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(problem_kind(c["problem"]) for c in calls if c["problem"]))
