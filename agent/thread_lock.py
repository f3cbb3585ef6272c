"""One turn at a time per thread: two messages on one conversation (two tabs, two processes)
are answered one after the other, each seeing the other's turn, none lost.

Inside a process an asyncio lock per thread orders the turns; across processes on one host an
exclusive file lock (one of a fixed set of lock files in the data dir, chosen by the thread id's
hash) does; with PostgreSQL a session-level advisory lock does the same across hosts.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

STRIPES = 64
log = logging.getLogger(__name__)


class ThreadLocks:
    """Serialises turns per thread id."""

    def __init__(self, lock_dir: Path | None = None, engine: Any = None) -> None:
        self.lock_dir = lock_dir
        self.engine = engine if engine is not None and engine.dialect.name == "postgresql" else None
        # per (event loop, thread): the lock and how many turns hold or wait for it; an entry
        # goes when its last turn ends, so the map stays as small as the turns in flight
        self._locks: dict[tuple[int, str], tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, thread_id: str) -> AsyncIterator[None]:
        """Wait for the thread's earlier turns, then run this one alone."""
        digest = hashlib.sha1(thread_id.encode()).digest()
        key = (id(asyncio.get_running_loop()), thread_id)
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                handle = await self._acquire(digest)
                try:
                    yield
                finally:
                    await self._release(handle)
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def _acquire(self, digest: bytes) -> tuple[int | None, Any]:
        """The cross-process locks, waited for without holding a worker thread.

        A blocking flock or pg_advisory_lock in `asyncio.to_thread` deadlocked under load:
        turns whose thread ids share a lock stripe filled the loop's few executor threads
        waiting, while the turn holding the stripe needed one of those threads to go on (its
        sync graph nodes, its own release). So each try is non-blocking, and a busy lock is
        retried after a short asyncio sleep (`_until`).
        """
        fd = self._open(digest)
        connection = None
        key = int.from_bytes(digest[:8], "big", signed=True)
        try:
            if fd is not None:
                await _until(lambda: _try_flock(fd))
            if self.engine is None:
                return fd, None
            connection = await asyncio.to_thread(self.engine.connect)
            await _until(lambda: asyncio.to_thread(_try_advisory, connection, key))
            return fd, (connection, key)
        except BaseException:
            # cancelled (or failed) while waiting: nothing stays locked or open; unlocking a
            # lock this session does not hold is a no-op, so a try that won as it was
            # cancelled is undone too (a pooled connection would keep it otherwise)
            await self._release((fd, None if connection is None else (connection, key)))
            raise

    def _open(self, digest: bytes) -> int | None:
        if self.lock_dir is None:
            return None
        path = self.lock_dir / f"thread-{digest[0] % STRIPES:02d}.lock"
        try:
            self.lock_dir.mkdir(parents=True, exist_ok=True)
            return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:  # a read-only or full data dir: the turn runs without memory
            log.warning("thread lock file unavailable (%s); in-process lock only", exc)
            return None

    async def _release(self, handle: tuple[int | None, Any]) -> None:
        fd, conn = handle
        try:
            if conn is not None:
                connection, key = conn
                try:
                    await asyncio.to_thread(_advisory_unlock, connection, key)
                finally:
                    await asyncio.to_thread(connection.close)
        finally:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)  # instant: no thread needed
                os.close(fd)


async def _until(take: Callable[[], bool | Awaitable[bool]]) -> None:
    """Call `take` until it returns True, sleeping 5 ms between tries, doubling to 100 ms."""
    delay = 0.005
    while True:
        taken = take()
        if not isinstance(taken, bool):
            taken = await taken
        if taken:
            return
        await asyncio.sleep(delay)
        delay = min(2 * delay, 0.1)


def _try_flock(fd: int) -> bool:
    """Take the exclusive file lock if it is free (never waits)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _try_advisory(connection: Any, key: int) -> bool:
    from sqlalchemy import text

    return bool(connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())


def _advisory_unlock(connection: Any, key: int) -> None:
    from sqlalchemy import text

    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
