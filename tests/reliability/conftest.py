"""Helpers for the fault tests: scratch mounts (tmpfs, read-only) and the `shop` CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


@contextmanager
def tmpfs(path: Path, size: str = "8m") -> Iterator[Path]:
    """A small tmpfs mounted at `path` (skips the test where this process may not mount)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root/CAP_SYS_ADMIN): {mounted.stderr}")
    try:
        yield path
    finally:
        _run("umount", "-l", str(path))


def remount_read_only(path: Path) -> None:
    """Make the tmpfs at `path` read-only (for root too, unlike chmod)."""
    done = _run("mount", "-o", "remount,ro", str(path))
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr}")


def fill(path: Path) -> None:
    """Write a file into `path` until its file system is full."""
    block = b"\0" * (1 << 16)
    with (path / "filler.bin").open("wb") as out:
        try:
            while True:
                out.write(block)
                out.flush()
                os.fsync(out.fileno())
        except OSError:
            pass


def shop(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `python -m ui.cli ARGS` from the repo root with `env` added."""
    full = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    full.pop("OPENAI_BASE_URL", None)  # offline unless the test points at an endpoint
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
