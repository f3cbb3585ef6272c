"""The SQL store: engine set-up, the lexical index (SQLite FTS5 / PostgreSQL full text),
the catalog version and the embedding cache.

SQLite runs in WAL mode with a busy timeout, so an ingest in another process never blocks or
corrupts readers: they keep seeing the previous committed catalog until the ingest commits.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, Select, create_engine, event, func, select, text
from sqlalchemy.orm import Session, selectinload, sessionmaker

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


_FTS_ROWIDS = "SELECT rowid, product_id FROM product_fts"
_RAW_BATCH = 50_000
# `facets` repeats category and brand so a filtered query can be narrowed inside the full-text
# index (`facets : "hiking boots"`); its bm25 weight is 0, so that narrowing adds nothing to a
# match's score and a filtered ranking is the unfiltered ranking with non-qualifying rows gone.
_FTS5_TABLE = (
    "CREATE VIRTUAL TABLE {if_not_exists}product_fts USING fts5("
    "product_id UNINDEXED, title, brand, category, body, facets, "
    "tokenize='porter unicode61')"
)
_FTS5_WEIGHTS = "bm25(0.0, 10.0, 3.0, 5.0, 1.0, 0.0)"


def raw_rows(session: Session, stmt: Select[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of a SELECT, in batches straight from the DBAPI cursor of the session's
    connection (inside its transaction, so consecutive reads see one snapshot).

    For bulk reads of a whole table: at 100k products ORM row handling would cost several
    times the query itself. Bound values are rendered inline.
    """
    connection = session.connection()
    sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(_RAW_BATCH):
            yield from batch
    finally:
        cursor.close()


def _read_only_fs(directory: Path) -> bool:
    """Whether `directory` lives on a file system mounted read-only."""
    try:
        return bool(os.statvfs(directory).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def search_tokens(query: str) -> list[str]:
    """Content words of a query, for the lexical index."""
    words = re.findall(r"[a-z0-9]+", query.lower())
    return [w for w in words if w not in STOPWORDS and len(w) > 1]


class CatalogStore:
    """Owns the engine; every catalog read and write goes through a session from here."""

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.read_only = read_only

    @classmethod
    def open(cls, url: str) -> CatalogStore:
        """Connect and create the schema if missing.

        A SQLite catalog on a read-only file system is opened read-only (and immutable: WAL
        mode cannot open it otherwise), so search keeps working; writes then fail cleanly.
        """
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if path.is_file() and _read_only_fs(path.parent):
                return cls._open_read_only(path)
            path.parent.mkdir(parents=True, exist_ok=True)
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

    @classmethod
    def _open_read_only(cls, path: Path) -> CatalogStore:
        url = f"sqlite:///file:{path.resolve()}?mode=ro&immutable=1&uri=true"
        engine = create_engine(url)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

        return cls(engine, read_only=True)

    def create_schema(self) -> None:
        """Create tables and the lexical index (idempotent)."""
        Base.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            if self.is_sqlite:
                conn.execute(text(_FTS5_TABLE.format(if_not_exists="IF NOT EXISTS ")))
                columns = conn.execute(text("SELECT * FROM product_fts LIMIT 0")).keys()
                if "facets" not in columns:
                    # A data dir from before the facets column: rebuild the index from SQL
                    # in this same transaction, so no process ever sees it half-filled.
                    conn.execute(text("DROP TABLE product_fts"))
                    conn.execute(text(_FTS5_TABLE.format(if_not_exists="")))
                    # New rowids: a new version makes running searchers reload theirs.
                    with Session(bind=conn) as session:
                        self._refill_lexical(session)
                        self.bump_version(session)
                        session.flush()
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

    def _refill_lexical(self, session: Session, batch: int = 1000) -> None:
        """Write the lexical entries of every product (after the index was recreated)."""
        ids = list(session.scalars(select(Product.id).order_by(Product.id)))
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            products = session.scalars(
                select(Product).where(Product.id.in_(chunk)).options(selectinload(Product.variants))
            ).all()
            self.write_lexical(session, products)
            session.expunge_all()

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
                "facets": f"{p.category} {p.brand or ''}",
            }
            for p in products
        ]
        if not rows:
            return
        self.delete_lexical(session, [r["pid"] for r in rows])
        if self.is_sqlite:
            session.execute(
                text(
                    "INSERT INTO product_fts (product_id, title, brand, category, body, facets) "
                    "VALUES (:pid, :title, :brand, :category, :body, :facets)"
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

    def full_text_query(self, limit: int | None, filtered: bool = False) -> str:
        """SQL for product ids matching the full-text query `:q`, best first.

        `filtered` (SQLite only) keeps just the rows shop_allowed() accepts (see
        `full_text_ids`).
        """
        if self.is_sqlite:
            # FTS5 sorts by its `rank` column itself, faster than ORDER BY bm25(...) on the
            # same weights: title counts most, then category, brand, then the body; facets
            # only narrow (weight 0).
            sql = (
                "SELECT product_id FROM product_fts WHERE product_fts MATCH :q "
                + ("AND rowid <= :max_rowid AND shop_allowed(rowid) " if filtered else "")
                + f"AND rank MATCH '{_FTS5_WEIGHTS}' ORDER BY rank"
            )
        else:
            sql = (
                "SELECT product_id FROM product_fts WHERE document @@ to_tsquery('english', :q) "
                "ORDER BY ts_rank_cd(document, to_tsquery('english', :q)) DESC"
            )
        return sql if limit is None else f"{sql} LIMIT {int(limit)}"

    def fts_rowids(self, session: Session) -> list[tuple[int, str]]:
        """(full-text rowid, product id) of every indexed product (SQLite only)."""
        return [(r, pid) for r, pid in session.execute(text(_FTS_ROWIDS))]

    def full_text_ids(
        self, match: str, limit: int | None, allowed: bytes | None = None
    ) -> list[str]:
        """Product ids matching a full-text query, best first.

        `allowed` (SQLite only) holds one byte per full-text rowid, non-zero for rows that may
        be returned: SQLite checks it on each match in rank order and the LIMIT counts only
        allowed rows, so no more rows than needed come back to Python.
        """
        with self.session() as session:
            params: dict[str, Any] = {"q": match}
            if allowed is not None:
                # A per-connection function, registered for this query (a connection serves
                # one session at a time). bytes.__getitem__ is called by SQLite directly: no
                # Python frame per match, where a lambda costs ~4 µs a row.
                raw = session.connection().connection.dbapi_connection
                raw.create_function("shop_allowed", 1, allowed.__getitem__)  # type: ignore[union-attr]
                params["max_rowid"] = len(allowed) - 1
            sql = text(self.full_text_query(limit, filtered=allowed is not None))
            return list(session.scalars(sql, params))

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

    def encode_cached(
        self, encoder: Any, texts: dict[str, str], known: dict[str, np.ndarray] | None = None
    ) -> dict[str, np.ndarray]:
        """Vectors for `texts` (text hash -> text): `known` ones, then the cache, then the
        encoder for the rest, which are cached. A store that cannot be read or written only
        makes it slower (a read-only catalog still answers)."""
        found = dict(known or {})
        asked = [h for h in texts if h not in found]
        with contextlib.suppress(Exception):  # no cache is only slower
            found.update(self.cached_vectors(encoder.model_name, asked))
        missing = [h for h in texts if h not in found]
        if missing:
            fresh = dict(zip(missing, encoder.encode([texts[h] for h in missing]), strict=True))
            found.update(fresh)
            try:
                with self.session() as session, session.begin():
                    self.cache_vectors(session, encoder.model_name, fresh)
            except Exception:  # noqa: BLE001 - a read-only store still answers
                pass
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

    def product_vectors(self, session: Session, model: str) -> Iterator[tuple[str, bytes]]:
        """(product id, float32 vector bytes) of every product with a cached vector."""
        stmt = select(Product.id, EmbeddingCacheRow.vector).join(
            EmbeddingCacheRow,
            (EmbeddingCacheRow.text_hash == Product.doc_hash) & (EmbeddingCacheRow.model == model),
        )
        return raw_rows(session, stmt)
