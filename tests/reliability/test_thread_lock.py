"""Turns on threads that share a lock stripe must not deadlock the event loop's executor.

Found by bench/load.py at 50 shoppers: every default-executor thread of a worker sat in a
blocking flock for a stripe held by a turn that needed one of those threads to go on; the
server stopped answering (50 turns lost). Here the executor has two threads and six turns on
one stripe each need a thread while they hold it."""

from __future__ import annotations

import asyncio
import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from agent.thread_lock import STRIPES, ThreadLocks


def same_stripe_ids(n: int) -> list[str]:
    """`n` thread ids whose locks share one stripe file."""
    ids: list[str] = []
    for i in range(10_000):
        tid = f"web-{i}"
        if hashlib.sha1(tid.encode()).digest()[0] % STRIPES == 0:
            ids.append(tid)
            if len(ids) == n:
                return ids
    raise AssertionError("no ids found")


async def test_turns_sharing_a_stripe_finish_with_a_small_executor(tmp_path: Path) -> None:
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=2))
    locks = ThreadLocks(lock_dir=tmp_path / "locks")
    inside = 0
    overlaps = 0

    async def turn(tid: str) -> None:
        nonlocal inside, overlaps
        async with locks.hold(tid):
            inside += 1
            overlaps += inside > 1  # one stripe: one turn at a time across the file lock
            await asyncio.to_thread(time.sleep, 0.02)  # a sync graph node needs a thread
            inside -= 1

    # a deadlock never finishes: the bound turns it into a failure instead of a hang
    await asyncio.wait_for(asyncio.gather(*(turn(t) for t in same_stripe_ids(6))), 30)
    assert overlaps == 0


async def test_a_cancelled_wait_leaves_nothing_locked(tmp_path: Path) -> None:
    locks = ThreadLocks(lock_dir=tmp_path / "locks")
    first, second = same_stripe_ids(2)
    entered = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with locks.hold(first):
            entered.set()
            await release.wait()

    task = asyncio.create_task(holder())
    await entered.wait()
    waiter = asyncio.create_task(_enter(locks, second))
    await asyncio.sleep(0)  # let it start waiting on the busy stripe
    waiter.cancel()
    release.set()
    await task
    await asyncio.wait_for(_enter(locks, second), 10)  # the stripe is free again
    assert not locks._locks


async def _enter(locks: ThreadLocks, tid: str) -> None:
    async with locks.hold(tid):
        pass
