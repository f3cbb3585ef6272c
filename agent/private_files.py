"""Files that hold conversations are readable by their owner only.

SQLite creates a database (and later its -wal, -shm and -journal files, which copy the main
file's mode) with the process umask, typically 0644: every local user could read every
shopper's conversation. `private_file` creates the file 0600 before SQLite opens it, and
tightens an existing one and its companions.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_MODE = 0o600
_COMPANIONS = ("-wal", "-shm", "-journal")


def private_file(path: Path) -> Path:
    """Make sure `path` exists with mode 0600 (and any SQLite companions too); return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, PRIVATE_MODE)
    os.close(fd)
    for candidate in (path, *(path.with_name(path.name + s) for s in _COMPANIONS)):
        if candidate.exists() and candidate.stat().st_mode & 0o777 != PRIVATE_MODE:
            candidate.chmod(PRIVATE_MODE)
    return path
