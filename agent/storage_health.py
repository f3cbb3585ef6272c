"""Is conversation storage writable? Classify storage errors, remember recent failures,
and probe the data directory for the health report.

A full disk, a read-only mount or a database file without write permission shows up as a
failed checkpoint write in the middle of a turn. `StorageHealth` remembers such a failure for
`retry_after_s` (a one-failure circuit breaker on the injected clock): meanwhile turns are
answered without memory instead of failing, and /healthz says storage is not writable.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

from agent.breaker import CircuitBreaker
from agent.clock import SYSTEM_CLOCK, Clock

_STORAGE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EIO}
)
# sqlite3 messages that mean "this storage cannot be written (or opened)", as opposed to a
# bad statement or a lock held by another writer.
_SQLITE_STORAGE = (
    "disk is full",
    "readonly database",
    "read-only",
    "unable to open database file",
    "disk i/o error",
    "database disk image is malformed",
    "file is not a database",
)
_PROBE_BYTES = 4096


class StorageUnavailable(Exception):
    """Conversation storage failed; the turn can still be answered without memory."""


def is_storage_error(exc: BaseException) -> bool:
    """Whether `exc` (or an exception it wraps) says storage cannot be written or opened."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StorageUnavailable):
            return True
        if isinstance(current, OSError) and current.errno in _STORAGE_ERRNOS:
            return True
        if isinstance(current, sqlite3.Error):
            text = str(current).lower()
            if any(marker in text for marker in _SQLITE_STORAGE):
                return True
        if (
            type(current).__module__.startswith("psycopg")
            and "Operational" in type(current).__name__
        ):
            return True  # the PostgreSQL checkpointer lost its server
        current = current.__cause__ or current.__context__
    return False


def describe(exc: BaseException) -> str:
    """One line naming the storage failure (for logs and the health report)."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200]


def probe(directories: Iterable[Path], files: Iterable[Path] = ()) -> str | None:
    """Write, sync and delete a small file in each directory, and check each existing file
    is writable; None if all is well, else what failed."""
    for directory in directories:
        try:
            fd, name = tempfile.mkstemp(prefix=".write-probe-", dir=directory)
        except OSError as exc:
            return f"{directory} is not writable ({describe(exc)})"
        try:
            os.write(fd, b"\0" * _PROBE_BYTES)
            os.fsync(fd)
        except OSError as exc:
            return f"{directory} is not writable ({describe(exc)})"
        finally:
            os.close(fd)
            Path(name).unlink(missing_ok=True)
    for path in files:
        if path.exists() and not os.access(path, os.W_OK):
            return f"{path} is read-only"
    return None


class StorageHealth:
    """Recent storage failures plus a probe of the local data directory."""

    def __init__(
        self,
        data_dir: Path | None,
        *,
        files: Iterable[str] = ("checkpoints.db", "chat_history.db"),
        retry_after_s: float = 30.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.data_dir = data_dir
        self.files = tuple(files)
        self.breaker = CircuitBreaker(1, retry_after_s, clock=clock)
        self.last_error: str | None = None

    def failing(self) -> bool:
        """True while a recent failure says writes will fail (turns go without memory)."""
        return self.breaker.is_open()

    def record_failure(self, exc: BaseException) -> None:
        """A storage write or open failed."""
        self.last_error = describe(exc)
        self.breaker.failure()

    def record_success(self) -> None:
        """A turn's storage writes went through."""
        self.breaker.success()

    def status(self) -> str:
        """ "ok", or "error: ..." with what is wrong (the probe, else the last failure)."""
        if self.data_dir is not None and self.data_dir.is_dir():
            problem = probe([self.data_dir], [self.data_dir / f for f in self.files])
            if problem:
                return f"error: {problem}"
        if self.failing():
            return f"error: recent writes failed ({self.last_error})"
        return "ok"
