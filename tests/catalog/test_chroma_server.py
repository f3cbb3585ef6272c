"""SHOP_CHROMA_URL: the same catalog against a real Chroma server (`chroma run`) on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.ingest import ingest
from catalog.service import open_catalog
from tests.catalog.sample import write_jsonl


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    exe = shutil.which("chroma") or str(Path(__file__).resolve().parents[2] / ".venv/bin/chroma")
    port = free_port()
    proc = subprocess.Popen(
        [
            exe,
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ingest_and_search_through_a_chroma_server(
    chroma_url: str, tmp_path: Path, encoder
) -> None:  # type: ignore[no-untyped-def]
    catalog = open_catalog(f"sqlite:///{tmp_path / 'c.db'}", chroma_url=chroma_url, encoder=encoder)
    report = ingest(
        write_jsonl(tmp_path / "c.jsonl"),
        store=catalog.store,
        index=catalog.open_index(),
        encoder=encoder,
    )
    assert report.added == 8 and catalog.open_index().count() == 8
    result = catalog.searcher.search("gooseneck kettle for tea", k=3)
    assert not result.degraded
    assert result.hits[0].product_id == "K1" and result.hits[0].similarity is not None
