"""The SQL store: engine set-up, the lexical index (SQLite FTS5 / PostgreSQL full text),
the catalog version and the embedding cache.

SQLite runs in WAL mode with a busy timeout, so an ingest in another process never blocks or
corrupts readers: they keep seeing the previous committed catalog until the ingest commits.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from catalog.models import Base, CatalogMeta, EmbeddingCacheRow, Product

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "best",
        "buy",
        "by",
        "can",
        "do",
        "for",
        "from",
        "get",
        "good",
        "have",
        "i",
        "im",
        "in",
        "is",
        "it",
        "me",
        "my",
        "need",
        "of",
        "on",
        "or",
        "please",
        "show",
        "some",
        "something",
        "that",
        "the",
        "their",
        "them",
        "this",
        "to",
        "want",
        "we",
        "what",
        "which",
        "with",
        "you",
        "your",
        "looking",
        "find",
    ]
)


def search_tokens(query: str) -> list[str]:
    """Content words of a query, for the lexical index."""
    words = re.findall(r"[a-z0-9]+", query.lower())
    return [w for w in words if w not in STOPWORDS and len(w) > 1]


class CatalogStore:
    """Owns the engine; every catalog read and write goes through a session from here."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.is_sqlite = engine.dialect.name == "sqlite"

    @classmethod
    def open(cls, url: str) -> CatalogStore:
        """Connect and create the schema if missing."""
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, pool_pre_ping=True)
        if engine.dialect.name == "sqlite":

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
                cursor = dbapi_conn.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=30000")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.close()

        store = cls(engine)
        store.create_schema()
        return store

    def create_schema(self) -> None:
        """Create tables and the lexical index (idempotent)."""
        Base.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            if self.is_sqlite:
                conn.execute(
                    text(
                        "CREATE VIRTUAL TABLE IF NOT EXISTS product_fts USING fts5("
                        "product_id UNINDEXED, title, brand, category, body, "
                        "tokenize='porter unicode61')"
                    )
                )
            else:
                conn.execute(
                    text(
                        "CREATE TABLE IF NOT EXISTS product_fts (product_id VARCHAR(128) "
                        "PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE, "
                        "document tsvector NOT NULL)"
                    )
                )
                conn.execute(
                    text(
                        "CREATE INDEX IF NOT EXISTS ix_product_fts_document "
                        "ON product_fts USING GIN (document)"
                    )
                )

    def session(self) -> Session:
        """A new ORM session."""
        return self.sessions()

    # -- lexical index -------------------------------------------------------------------

    def write_lexical(self, session: Session, products: Iterable[Product]) -> None:
        """Replace the lexical entries of `products` inside the caller's transaction."""
        rows = [
            {
                "pid": p.id,
                "title": p.title,
                "brand": p.brand or "",
                "category": p.category,
                "body": " ".join(
                    [p.description or "", " ".join(p.tags or [])]
                    + [f"{k} {v}" for k, v in (p.attributes or {}).items()]
                    + [" ".join(v.options.values()) for v in p.variants]
                ),
            }
            for p in products
        ]
        if not rows:
            return
        self.delete_lexical(session, [r["pid"] for r in rows])
        if self.is_sqlite:
            session.execute(
                text(
                    "INSERT INTO product_fts (product_id, title, brand, category, body) "
                    "VALUES (:pid, :title, :brand, :category, :body)"
                ),
                rows,
            )
        else:
            session.execute(
                text(
                    "INSERT INTO product_fts (product_id, document) VALUES (:pid, "
                    "setweight(to_tsvector('english', :title), 'A') || "
                    "setweight(to_tsvector('english', :brand || ' ' || :category), 'B') || "
                    "setweight(to_tsvector('english', :body), 'C'))"
                ),
                rows,
            )

    def delete_lexical(self, session: Session, ids: Sequence[str]) -> None:
        """Drop lexical entries for `ids`."""
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            params = {f"p{i}": pid for i, pid in enumerate(chunk)}
            marks = ", ".join(f":p{i}" for i in range(len(chunk)))
            session.execute(text(f"DELETE FROM product_fts WHERE product_id IN ({marks})"), params)

    def match_expression(self, tokens: Sequence[str], mode: str) -> str:
        """A full-text query over `tokens`: "and" needs every word, "or" any of them."""
        if self.is_sqlite:
            return f" {mode.upper()} ".join(f'"{t}"' for t in tokens)
        return (" & " if mode == "and" else " | ").join(tokens)

    def lexical_ranking(self) -> str:
        """SQL ordering expression for full-text matches (best first)."""
        if self.is_sqlite:
            # Column weights: title counts most, then category, brand, then the body.
            return "bm25(product_fts, 0.0, 10.0, 3.0, 5.0, 1.0)"
        return "ts_rank_cd(document, to_tsquery('english', :q)) DESC"

    # -- catalog version -----------------------------------------------------------------

    def version(self) -> str:
        """The current catalog version ("0" before the first ingest)."""
        with self.session() as session:
            row = session.get(CatalogMeta, "version")
            return row.value if row else "0"

    def bump_version(self, session: Session) -> str:
        """Give the catalog a new version inside the caller's transaction."""
        value = uuid.uuid4().hex
        session.merge(CatalogMeta(key="version", value=value))
        return value

    def product_count(self) -> int:
        """How many products the catalog holds."""
        with self.session() as session:
            return int(session.scalar(select(func.count()).select_from(Product)) or 0)

    # -- embedding cache -----------------------------------------------------------------

    def cached_vectors(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors for the given text hashes (missing ones are absent)."""
        found: dict[str, np.ndarray] = {}
        with self.session() as session:
            for start in range(0, len(hashes), 500):
                chunk = list(hashes[start : start + 500])
                rows = session.execute(
                    select(EmbeddingCacheRow.text_hash, EmbeddingCacheRow.vector).where(
                        EmbeddingCacheRow.model == model, EmbeddingCacheRow.text_hash.in_(chunk)
                    )
                )
                for text_hash, blob in rows:
                    found[text_hash] = np.frombuffer(blob, dtype=np.float32)
        return found

    def cache_vectors(self, session: Session, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Add vectors to the cache inside the caller's transaction (existing keys are kept)."""
        rows = [
            {
                "model": model,
                "text_hash": text_hash,
                "vector": np.asarray(vector, dtype=np.float32).tobytes(),
            }
            for text_hash, vector in vectors.items()
        ]
        if not rows:
            return
        if self.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        stmt = insert(EmbeddingCacheRow).on_conflict_do_nothing()
        for start in range(0, len(rows), 5000):
            session.execute(stmt, rows[start : start + 5000])

    def product_vectors(self, model: str, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Vectors of products by id, read from the cache through each product's doc hash."""
        found: dict[str, np.ndarray] = {}
        with self.session() as session:
            for start in range(0, len(ids), 900):
                chunk = list(ids[start : start + 900])
                rows = session.execute(
                    select(Product.id, EmbeddingCacheRow.vector)
                    .join(
                        EmbeddingCacheRow,
                        (EmbeddingCacheRow.text_hash == Product.doc_hash)
                        & (EmbeddingCacheRow.model == model),
                    )
                    .where(Product.id.in_(chunk))
                )
                for pid, blob in rows:
                    found[pid] = np.frombuffer(blob, dtype=np.float32)
        return found
