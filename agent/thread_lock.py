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
from collections.abc import AsyncIterator
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
                handle = await asyncio.to_thread(self._acquire, digest)
                try:
                    yield
                finally:
                    await asyncio.to_thread(self._release, handle)
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def _acquire(self, digest: bytes) -> Any:
        fd = None
        if self.lock_dir is not None:
            path = self.lock_dir / f"thread-{digest[0] % STRIPES:02d}.lock"
            try:
                self.lock_dir.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:  # a read-only or full data dir: the turn runs without memory
                log.warning("thread lock file unavailable (%s); in-process lock only", exc)
            else:
                fcntl.flock(fd, fcntl.LOCK_EX)
        conn = None
        if self.engine is not None:
            from sqlalchemy import text

            conn = self.engine.connect()
            key = int.from_bytes(digest[:8], "big", signed=True)
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn = (conn, key)
        return fd, conn

    def _release(self, handle: Any) -> None:
        fd, conn = handle
        if conn is not None:
            from sqlalchemy import text

            connection, key = conn
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            finally:
                connection.close()
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
