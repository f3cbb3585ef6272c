"""Start the real chat server (`python -m ui.server`) on free loopback ports, and stop it.

Used by bench/load.py and the security probes (tests/security/). The server runs in its own
process group so stopping it stops Chainlit and any workers it started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Poll `url` until it answers 200 (the server is up), or fail if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(url)


@dataclass(frozen=True)
class LiveServer:
    """A running server: its URLs, process and log file."""

    base: str
    port: int
    demo_port: int
    log: Path
    proc: subprocess.Popen[bytes]

    @property
    def demo(self) -> str:
        return f"http://127.0.0.1:{self.demo_port}"


@contextmanager
def live_server(data_dir: Path, **env: str) -> Iterator[LiveServer]:
    """`python -m ui.server` with the offline model on SHOP_DATA_DIR=`data_dir`, plus `env`."""
    port, demo_port = free_port(), free_port()
    full = dict(os.environ)
    full.pop("OPENAI_BASE_URL", None)
    full.update(
        SHOP_DATA_DIR=str(data_dir),
        SHOP_MODEL="offline",
        SHOP_HOST="127.0.0.1",
        SHOP_PORT=str(port),
        SHOP_WIDGET_DEMO_PORT=str(demo_port),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
    )
    full.setdefault("SHOP_WIDGET_ORIGINS", f"http://127.0.0.1:{demo_port}")
    full.update(env)
    log_path = data_dir / f"server-{port}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.server"],
            cwd=ROOT,
            env=full,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_http(f"{base}/healthz", proc)
            yield LiveServer(base, port, demo_port, log_path, proc)
        finally:
            stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, SIGKILL it if it lingers."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)
