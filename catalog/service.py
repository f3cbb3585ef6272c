"""One handle on an opened catalog: the SQL store, the encoder, the vector index and search."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from catalog.consistency import Consistency, check, ensure_consistent
from catalog.embedding import Encoder
from catalog.index import ShopEmbeddingFunction, VectorIndex
from catalog.search import Searcher
from catalog.store import CatalogStore

log = logging.getLogger(__name__)


@dataclass
class Catalog:
    """Everything the tools need to read the catalog, and ingest needs to write it."""

    store: CatalogStore
    encoder: Encoder
    searcher: Searcher
    chroma_path: Path | None
    chroma_url: str | None

    def open_index(self) -> VectorIndex:
        """A fresh handle on the vector index."""
        return VectorIndex.open(
            path=self.chroma_path,
            url=self.chroma_url,
            embedding_function=ShopEmbeddingFunction(self.encoder.model_name, self.encoder),
        )

    def consistency(self) -> Consistency:
        """How SQL and the vector index differ (a full comparison; `shop info`)."""
        return check(self.store, self.open_index())


def open_catalog(
    database_url: str,
    *,
    chroma_path: Path | None = None,
    chroma_url: str | None = None,
    embedding_model: str = "all-MiniLM-L6-v2",
    search_timeout_s: float = 5.0,
    encoder: Encoder | None = None,
) -> Catalog:
    """Open (creating if needed) the catalog at the given locations."""
    store = CatalogStore.open(database_url)
    encoder = encoder or Encoder(embedding_model)
    catalog = Catalog(store, encoder, None, chroma_path, chroma_url)  # type: ignore[arg-type]
    catalog.searcher = Searcher(
        store, catalog.open_index, encoder, dense_timeout_s=search_timeout_s
    )
    # An ingest that died after committing SQL left the index behind: repair it now (a
    # cheap marker check when nothing is wrong; skipped while another writer is busy).
    try:
        ensure_consistent(store, catalog.open_index, encoder)
    except Exception:  # noqa: BLE001 - search still works (degraded) and says why
        log.warning("could not repair the vector index", exc_info=True)
    return catalog
