"""One catalog writer at a time, across processes.

An ingest and a repair both write SQL and the vector index in several steps; two of them at
once (or a repair started while an ingest is between its steps) would undo each other. The
lock is an advisory `flock` on a file beside a SQLite catalog, or a PostgreSQL advisory lock
held on a connection of its own; either is released by the OS or the server when the
holder dies, so a killed ingest never leaves the catalog locked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, text

_PG_KEY = 0x5E0B_CA7A  # any constant shared by every writer of one database


@contextlib.contextmanager
def write_lock(engine: Engine, *, blocking: bool = True) -> Iterator[bool]:
    """Hold the catalog's write lock; yields False (without waiting) when `blocking` is
    False and another process holds it."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            yield True  # in-memory or read-only (immutable) catalogs have no other writer
            return
        with _file_lock(Path(database).with_name(Path(database).name + ".lock"), blocking) as got:
            yield got
        return
    with engine.connect() as conn:
        if blocking:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_KEY})
            got = True
        else:
            got = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_KEY}))
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_KEY})
            conn.commit()


@contextlib.contextmanager
def _file_lock(path: Path, blocking: bool) -> Iterator[bool]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
