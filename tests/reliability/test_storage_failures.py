"""Item 7: when conversation storage fails (a full disk, a read-only data dir), the chat
still answers from the catalog and says it cannot remember; /healthz says storage is not
writable; the CLI works read-only or fails in one line, never with a traceback."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.assistant import build_assistant
from agent.settings import Settings
from agent.storage_health import StorageHealth, is_storage_error, probe
from agent.turn_guard import MEMORYLESS_NOTE
from catalog.service import Catalog
from tests.clock import FakeClock
from tests.reliability.conftest import fill, remount_read_only, shop, tmpfs
from ui.api import ApiState, health


class DiskFullSaver(InMemorySaver):
    """A checkpointer whose writes fail like SQLite's on a full disk, while `full` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.full = False
        self.put_calls = 0

    async def aput(self, *args: Any, **kwargs: Any) -> Any:
        self.put_calls += 1
        if self.full:
            raise sqlite3.OperationalError("database or disk is full")
        return await super().aput(*args, **kwargs)


def offline(data_dir: Path) -> Settings:
    return Settings(_env_file=None, SHOP_DATA_DIR=str(data_dir), SHOP_MODEL="offline")


def test_storage_errors_are_told_apart_from_other_failures() -> None:
    assert is_storage_error(sqlite3.OperationalError("database or disk is full"))
    assert is_storage_error(sqlite3.OperationalError("attempt to write a readonly database"))
    assert is_storage_error(OSError(errno.ENOSPC, "No space left on device"))
    assert is_storage_error(OSError(errno.EROFS, "Read-only file system"))
    wrapped = RuntimeError("saving failed")
    wrapped.__cause__ = sqlite3.OperationalError("unable to open database file")
    assert is_storage_error(wrapped)
    assert not is_storage_error(sqlite3.OperationalError("no such column: x"))
    assert not is_storage_error(ValueError("bad tool arguments"))


async def test_failed_checkpoint_write_still_answers_without_memory(
    tmp_path: Path, small_catalog: Catalog
) -> None:
    saver = DiskFullSaver()
    clock = FakeClock()
    a = build_assistant(offline(tmp_path), small_catalog, checkpointer=saver, clock=clock)
    first = await a.arun("hiking boots under $100", thread_id="t")
    assert MEMORYLESS_NOTE not in first.reply and first.recommendations

    saver.full = True
    second = await a.arun("a merino t-shirt", thread_id="t")
    assert second.recommendations and "Sorry, something went wrong" not in second.reply
    assert MEMORYLESS_NOTE in second.reply and "memoryless" in second.notes
    assert a.storage.failing() and "disk is full" in (a.storage.last_error or "")

    writes = saver.put_calls
    third = await a.arun("tents", thread_id="t")  # while failing: no write is even tried
    assert MEMORYLESS_NOTE in third.reply and saver.put_calls == writes

    saver.full = False
    clock.advance_sync(a.storage.breaker.cooldown_s)  # later, storage is tried again
    fourth = await a.arun("hiking boots under $100", thread_id="t")
    await a.aclose()
    assert MEMORYLESS_NOTE not in fourth.reply and saver.put_calls > writes
    assert not a.storage.failing()


async def test_streamed_tokens_carry_the_memoryless_note(
    tmp_path: Path, small_catalog: Catalog
) -> None:
    saver = DiskFullSaver()
    saver.full = True
    a = build_assistant(offline(tmp_path), small_catalog, checkpointer=saver)
    events = [e async for e in a.astream("hiking boots", thread_id="s")]
    await a.aclose()
    final = events[-1].result
    assert final is not None
    assert "".join(e.text for e in events if e.type == "token").endswith(MEMORYLESS_NOTE)
    assert final.reply.endswith(MEMORYLESS_NOTE)


async def test_full_disk_data_dir(tmp_path: Path, small_catalog: Catalog) -> None:
    """A real full file system under the checkpoints: answered, and /healthz says so."""
    with tmpfs(tmp_path / "data", size="4m") as data:
        a = build_assistant(offline(data), small_catalog)
        state = ApiState(small_catalog, storage=a.storage.status)
        first = await a.arun("hiking boots under $100", thread_id="full")
        assert MEMORYLESS_NOTE not in first.reply
        assert health(state)[1]["stores"]["storage"] == "ok"
        fill(data)
        # Enough turns that the checkpoint's pages outgrow what SQLite had allocated.
        replies = [await a.arun(f"hiking boots size {n}", thread_id="full") for n in range(8)]
        await a.aclose()
        assert all(r.recommendations for r in replies)
        assert not any("something went wrong" in r.reply.lower() for r in replies)
        assert any(MEMORYLESS_NOTE in r.reply for r in replies)  # writes did fail
        status, body = health(state)
        assert body["stores"]["storage"].startswith("error:") and body["status"] == "degraded"
        assert status == 200  # the catalog still serves


async def test_read_only_data_dir_answers_without_memory(
    tmp_path: Path, small_catalog: Catalog
) -> None:
    with tmpfs(tmp_path / "data", size="4m") as data:
        remount_read_only(data)
        assert probe([data]) is not None
        a = build_assistant(offline(data), small_catalog)
        result = await a.arun("hiking boots under $100", thread_id="ro")
        await a.aclose()
        assert result.recommendations and MEMORYLESS_NOTE in result.reply
        assert StorageHealth(data).status().startswith("error:")


@pytest.mark.slow
def test_cli_on_a_read_only_data_dir_works_or_says_one_line(
    tmp_path: Path, small_catalog: Catalog
) -> None:
    """`shop search` and `shop chat` on a catalog whose data dir is mounted read-only."""
    with tmpfs(tmp_path / "data", size="32m") as data:
        env = {"SHOP_DATA_DIR": str(data), "SHOP_MODEL": "offline"}
        source = Path(small_catalog.store.engine.url.database or "").parent / "products.jsonl"
        loaded = shop("ingest", str(source), env=env)
        assert loaded.returncode == 0, loaded.stderr
        remount_read_only(data)
        found = shop("search", "waterproof hiking boots", "--json", env=env)
        assert found.returncode == 0, found.stderr
        assert "boot-" in found.stdout and "Traceback" not in found.stderr
        chat = shop("chat", "--message", "hiking boots under $100", "--json", env=env)
        assert chat.returncode == 0, chat.stderr
        assert "boot-" in chat.stdout and "Traceback" not in chat.stderr + chat.stdout
        assert "can't remember" in chat.stdout
        ingest = shop("ingest", str(source), "--replace", env=env)
        assert ingest.returncode == 1 and "Traceback" not in ingest.stderr
        assert len(ingest.stderr.strip().splitlines()) == 1, ingest.stderr


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    env = {"SHOP_DATA_DIR": str(blocker / "data")}
    for args in (["search", "boots"], ["info"], ["chat", "--message", "hi"]):
        done = shop(*args, env=env)
        assert done.returncode == 1, (args, done.stdout)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("shop: error: "), (args, done.stderr)
        assert "Traceback" not in done.stderr + done.stdout
