"""The Chroma vector index: one collection of product documents with filter metadata.

Embedded PersistentClient by default, a Chroma server by URL. Vectors are always computed by
us and passed in, so Chroma's own embedding function never runs; telemetry is off.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

from catalog.embedding import DEFAULT_MODEL, Encoder

COLLECTION = "products"
_MAX_BATCH = 5000  # Chroma rejects batches above ~5461 records
# Chroma shares one client "system" per path within a process and starts it without a lock:
# two threads opening the same path at once see a half-started one ("Could not connect to
# tenant default_tenant", "'RustBindingsAPI' object has no attribute 'bindings'").
_OPEN_LOCK = threading.Lock()


@register_embedding_function
class ShopEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our encoder, registered so a reopened collection never falls back to
    Chroma's downloading default."""

    def __init__(self, model_name: str = DEFAULT_MODEL, encoder: Encoder | None = None) -> None:
        self.model_name = model_name
        self.encoder = encoder or Encoder(model_name)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.encoder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "shop-sentence-transformers"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model_name": self.model_name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ShopEmbeddingFunction:
        return ShopEmbeddingFunction(config.get("model_name", DEFAULT_MODEL))


@dataclass(frozen=True)
class DenseHit:
    """A product id with its cosine similarity to the query (1 is identical)."""

    product_id: str
    similarity: float


def _collection(client: Any, name: str, embedding_function: ShopEmbeddingFunction) -> Any:
    return client.get_or_create_collection(
        name, embedding_function=embedding_function, configuration={"hnsw": {"space": "cosine"}}
    )


class VectorIndex:
    """Thin wrapper over one Chroma collection, keyed by product id."""

    def __init__(self, collection: Any) -> None:
        self.collection = collection
        # Counting scans Chroma's metadata store (~8 ms at 100k products), so it is remembered.
        # Writes through this object reset it; another process's ingest changes the catalog
        # version, and the searcher then opens a fresh VectorIndex.
        self._count: int | None = None

    @classmethod
    def open(
        cls,
        *,
        path: Path | None = None,
        url: str | None = None,
        embedding_function: ShopEmbeddingFunction,
        collection: str = COLLECTION,
    ) -> VectorIndex:
        """Open (creating if needed) the collection on disk at `path` or on a server at `url`."""
        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
        if url:
            parsed = urlparse(url)
            client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
            return cls(_collection(client, collection, embedding_function))
        if path is None:
            raise ValueError("VectorIndex.open needs a path or a url")
        with _OPEN_LOCK:
            path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=settings)
            return cls(_collection(client, collection, embedding_function))

    def count(self) -> int:
        """Number of indexed products."""
        if self._count is None:
            self._count = int(self.collection.count())
        return self._count

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        documents: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        """Insert or replace products, in batches Chroma accepts."""
        try:
            for start in range(0, len(ids), _MAX_BATCH):
                end = start + _MAX_BATCH
                self.collection.upsert(
                    ids=list(ids[start:end]),
                    embeddings=vectors[start:end],
                    documents=list(documents[start:end]),
                    metadatas=list(metadatas[start:end]),
                )
        finally:
            self._count = None

    def delete(self, ids: Sequence[str]) -> None:
        """Remove products from the index."""
        try:
            for start in range(0, len(ids), _MAX_BATCH):
                self.collection.delete(ids=list(ids[start : start + _MAX_BATCH]))
        finally:
            self._count = None

    def doc_hashes(self) -> dict[str, str | None]:
        """Every indexed id with the hash of the text its vector was made from (None for
        entries written before hashes were kept): the consistency check's view."""
        found: dict[str, str | None] = {}
        offset = 0
        while True:
            page = self.collection.get(include=["metadatas"], limit=10_000, offset=offset)
            for pid, meta in zip(page["ids"], page["metadatas"] or [], strict=False):
                value = (meta or {}).get("doc_hash")
                found[pid] = value if isinstance(value, str) else None
            if len(page["ids"]) < 10_000:
                return found
            offset += 10_000

    def query(
        self, vector: np.ndarray, k: int, restrict_to: Sequence[str] | None = None
    ) -> list[DenseHit]:
        """Nearest products to `vector`, optionally only among `restrict_to` ids."""
        total = self.count()
        if total == 0 or k <= 0:
            return []
        n = min(k, total if restrict_to is None else len(restrict_to))
        if n == 0:
            return []
        kwargs: dict[str, Any] = {}
        if restrict_to is not None:
            kwargs["ids"] = list(restrict_to)
        result = self.collection.query(
            query_embeddings=[vector], n_results=n, include=["distances"], **kwargs
        )
        ids = result["ids"][0]
        distances = result["distances"][0]
        # Chroma's cosine distance is 1 - cosine similarity.
        return [DenseHit(pid, 1.0 - float(d)) for pid, d in zip(ids, distances, strict=True)]
