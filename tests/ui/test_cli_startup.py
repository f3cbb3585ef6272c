"""One-shot `shop` commands import only what they use (their timings: bench/startup.py).

Each check runs in a fresh interpreter, since the test process has imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.catalog.sample import write_jsonl

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ["torch", "sentence_transformers", "transformers", "langgraph", "chainlit", "evals.runner"]
SCRIPT = """
import json, sys
from typer.testing import CliRunner
from ui.cli import app

heavy = json.loads(sys.argv[1])
loaded = {}
for name, args in json.loads(sys.argv[2]):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, (args, result.output)
    loaded[name] = sorted(m for m in heavy if m in sys.modules)
print(json.dumps(loaded))
"""


def test_search_and_chat_load_no_torch_and_search_no_agent(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "c.jsonl")  # 8 products: encoded by the numpy path too
    steps = [
        ["ingest", ["ingest", str(source)]],
        ["search", ["search", "hiking boots under 130", "--json"]],
        ["chat", ["chat", "--message", "hiking boots under 130", "--json"]],
    ]
    env = dict(os.environ, SHOP_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    env.pop("OPENAI_BASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(HEAVY), json.dumps(steps)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["ingest"] == [] and loaded["search"] == []
    assert loaded["chat"] == ["langgraph"]  # the agent, and still no torch or UI
