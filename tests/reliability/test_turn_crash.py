"""kill -9 during a turn: the conversation store stays intact and the thread continues.

A `shop chat` process is killed while its model call hangs at the endpoint (the stub signals
when the request has arrived: no timing guess); afterwards the checkpoint database passes
SQLite's integrity check and the same thread answers with its earlier turn still in memory.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from agent.assistant import build_assistant
from agent.settings import Settings
from catalog.embedding import Encoder
from catalog.ingest import ingest
from tests.agent.stub_server import StubServer, delay
from tests.conftest import ROOT, make_catalog
from tests.ui.catalog_data import write_catalog

pytestmark = pytest.mark.slow


async def test_kill_during_a_turn_leaves_the_thread_usable(
    tmp_path: Path, encoder: Encoder
) -> None:
    catalog = make_catalog(tmp_path, encoder)
    source = write_catalog(tmp_path / "products.jsonl")
    ingest(source, store=catalog.store, index=catalog.open_index(), encoder=encoder)
    settings = Settings(_env_file=None, SHOP_DATA_DIR=tmp_path)
    first = build_assistant(settings, catalog)
    await first.arun("hiking boots under $100", thread_id="t")
    await first.aclose()

    arrived = threading.Event()

    def hang(body: dict) -> Any:
        arrived.set()
        return delay(3600, "never sent")

    with StubServer(default=hang) as stub:
        env = {
            **os.environ,
            "SHOP_DATA_DIR": str(tmp_path),
            "OPENAI_BASE_URL": stub.base_url,
            "OPENAI_API_KEY": "test",
            "SHOP_MODEL": "stub-model",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "chat", "--message", "tents", "--thread", "t"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            assert arrived.wait(180), "the turn never reached the model"
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)

    with sqlite3.connect(tmp_path / "checkpoints.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = build_assistant(settings, catalog)
    result = await again.arun("a merino t-shirt", thread_id="t")
    graph = await again._ensure_graph()
    state = await graph.aget_state({"configurable": {"thread_id": "t"}})
    await again.aclose()
    assert result.recommendations and "went wrong" not in result.reply
    said = [m.content for m in state.values["messages"] if isinstance(m, HumanMessage)]
    assert said == ["hiking boots under $100", "a merino t-shirt"]  # the killed turn: none
