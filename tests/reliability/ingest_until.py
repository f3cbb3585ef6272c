"""`python -m tests.reliability.ingest_until DATA_DIR FILE STAGE N`: run a real ingest that
stops dead (prints PAUSED and hangs) at a chosen point, so a test can kill -9 it there.

STAGE `encode`: after N chunks of new vectors were committed to the embedding cache (SQL
not written yet). STAGE `index`: after N chunks were written to the vector index (SQL
committed, the index half done). Small chunks make the points easy to hit.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import catalog.ingest as ingest_module  # noqa: E402
from catalog.index import VectorIndex  # noqa: E402
from catalog.service import open_catalog  # noqa: E402

ENCODE_CHUNK = 32
WRITE_CHUNK = 50


def pause_after(target: Any, name: str, count: int) -> None:
    """Replace `target.name` so that its call number `count + 1` parks the process."""
    original = getattr(target, name)
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if calls["n"] == count:
            print("PAUSED", flush=True)
            threading.Event().wait()  # until kill -9
        calls["n"] += 1
        return original(*args, **kwargs)

    setattr(target, name, wrapper)


def main() -> None:
    data_dir, source, stage, count = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    ingest_module._ENCODE_CHUNK = ENCODE_CHUNK
    ingest_module._WRITE_CHUNK = WRITE_CHUNK
    if stage == "encode":
        pause_after(ingest_module, "embed_documents", int(count))
    else:
        pause_after(VectorIndex, "upsert", int(count))
    catalog = open_catalog(f"sqlite:///{data_dir / 'catalog.db'}", chroma_path=data_dir / "chroma")
    ingest_module.ingest(
        source, store=catalog.store, index=catalog.open_index(), encoder=catalog.encoder
    )
    print("FINISHED", flush=True)


if __name__ == "__main__":
    main()
