"""Chat history: the schema of Chainlit's SQLAlchemy data layer, created and owned by us.

Chainlit ships DDL only for PostgreSQL (in its docs) and none at all for SQLite, so the project
creates the tables itself, in a database of its own (never the catalog's): a SQLite file
``data_dir/chat_history.db`` by default, or ``SHOP_CHAT_DATABASE_URL`` (PostgreSQL works too).

``ShopDataLayer`` adapts Chainlit 2.12's ``SQLAlchemyDataLayer`` to SQLite, which has no list
or JSON parameter types: lists/dicts are stored as JSON text and decoded on the way out.
Custom elements (product cards) are kept through a small local storage client, so a resumed
chat shows its cards again.

This module imports Chainlit lazily (inside functions) so importing it stays cheap.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from agent.private_files import private_file

# Quoted camelCase column names, as the data layer's SQL expects them.
_TABLES: dict[str, str] = {
    "users": """
        CREATE TABLE IF NOT EXISTS users (
            "id" VARCHAR(64) PRIMARY KEY,
            "identifier" VARCHAR(255) NOT NULL UNIQUE,
            "metadata" {json} NOT NULL,
            "createdAt" VARCHAR(64)
        )""",
    "threads": """
        CREATE TABLE IF NOT EXISTS threads (
            "id" VARCHAR(64) PRIMARY KEY,
            "createdAt" VARCHAR(64),
            "name" TEXT,
            "userId" VARCHAR(64) REFERENCES users("id") ON DELETE CASCADE,
            "userIdentifier" VARCHAR(255),
            "tags" {array},
            "metadata" {json}
        )""",
    "steps": """
        CREATE TABLE IF NOT EXISTS steps (
            "id" VARCHAR(64) PRIMARY KEY,
            "name" TEXT NOT NULL,
            "type" VARCHAR(64) NOT NULL,
            "threadId" VARCHAR(64) NOT NULL REFERENCES threads("id") ON DELETE CASCADE,
            "parentId" VARCHAR(64),
            "streaming" BOOLEAN NOT NULL DEFAULT FALSE,
            "waitForAnswer" BOOLEAN,
            "isError" BOOLEAN,
            "metadata" {json},
            "tags" {array},
            "input" TEXT,
            "output" TEXT,
            "createdAt" VARCHAR(64),
            "command" TEXT,
            "modes" {json},
            "start" VARCHAR(64),
            "end" VARCHAR(64),
            "generation" {json},
            "showInput" TEXT,
            "defaultOpen" BOOLEAN,
            "autoCollapse" BOOLEAN,
            "language" VARCHAR(64),
            "icon" TEXT
        )""",
    "elements": """
        CREATE TABLE IF NOT EXISTS elements (
            "id" VARCHAR(64) PRIMARY KEY,
            "threadId" VARCHAR(64) REFERENCES threads("id") ON DELETE CASCADE,
            "type" VARCHAR(64),
            "url" TEXT,
            "chainlitKey" TEXT,
            "name" TEXT NOT NULL,
            "display" VARCHAR(32),
            "objectKey" TEXT,
            "size" VARCHAR(32),
            "page" INTEGER,
            "language" VARCHAR(64),
            "forId" VARCHAR(64),
            "mime" VARCHAR(128),
            "props" {json},
            "autoPlay" BOOLEAN,
            "playerConfig" {json}
        )""",
    "feedbacks": """
        CREATE TABLE IF NOT EXISTS feedbacks (
            "id" VARCHAR(64) PRIMARY KEY,
            "forId" VARCHAR(64) NOT NULL,
            "threadId" VARCHAR(64) REFERENCES threads("id") ON DELETE CASCADE,
            "value" INTEGER NOT NULL,
            "comment" TEXT
        )""",
}
_INDEXES = [
    'CREATE INDEX IF NOT EXISTS ix_threads_user ON threads ("userId")',
    'CREATE INDEX IF NOT EXISTS ix_steps_thread ON steps ("threadId")',
    'CREATE INDEX IF NOT EXISTS ix_elements_thread ON elements ("threadId")',
    'CREATE INDEX IF NOT EXISTS ix_feedbacks_for ON feedbacks ("forId")',
]

# Result columns holding JSON text on SQLite (plain names and the data layer's aliases).
_JSON_COLUMNS = frozenset(
    {
        "metadata",
        "tags",
        "generation",
        "modes",
        "props",
        "playerConfig",
        "thread_metadata",
        "thread_tags",
        "step_metadata",
        "step_tags",
        "step_generation",
    }
)
_BOOL_COLUMNS = frozenset(
    {"step_streaming", "step_waitforanswer", "step_iserror", "streaming", "isError"}
)


def default_chat_database_url(data_dir: Path) -> str:
    """The async SQLAlchemy URL of the default chat-history SQLite file."""
    return f"sqlite+aiosqlite:///{Path(data_dir).resolve() / 'chat_history.db'}"


def chat_database_url(chat_database_url: str | None, data_dir: Path) -> str:
    """The async URL Chainlit's data layer needs (drivers upgraded to their async form)."""
    url = chat_database_url or default_chat_database_url(data_dir)
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    elif url.startswith(("postgresql://", "postgres://")):
        url = re.sub(r"^postgres(ql)?://", "postgresql+asyncpg://", url)
    return url


def schema_statements(dialect: str) -> list[str]:
    """The DDL for `dialect` ("sqlite" or "postgresql")."""
    if dialect == "postgresql":
        types = {"json": "JSONB", "array": "TEXT[]"}
    else:
        types = {"json": "TEXT", "array": "TEXT"}
    return [ddl.format(**types) for ddl in _TABLES.values()] + list(_INDEXES)


def create_schema(url: str) -> None:
    """Create the chat-history tables (idempotent). Accepts sync or async driver URLs."""
    sync_url = url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    if sync_url.startswith("sqlite:///"):
        # Conversations: readable by the owner only (0600, before SQLite creates it 0644).
        private_file(Path(sync_url.removeprefix("sqlite:///")))
    engine = create_engine(sync_url)
    try:
        with engine.begin() as conn:
            for statement in schema_statements(engine.dialect.name):
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _encode(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _decode_row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key, value in row.items():
        if key in _JSON_COLUMNS and isinstance(value, str):
            try:
                out[key] = json.loads(value)
            except json.JSONDecodeError:
                out[key] = value
        elif key in _BOOL_COLUMNS and isinstance(value, int):
            out[key] = bool(value)
    return out


def make_storage_client(root: Path) -> Any:
    """A local-directory storage client (Chainlit persists elements only through one)."""
    from chainlit.data.storage_clients.base import BaseStorageClient

    class LocalStorageClient(BaseStorageClient):
        def __init__(self, base: Path) -> None:
            self.base = base

        def _path(self, object_key: str) -> Path:
            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", object_key)
            return self.base / safe

        async def upload_file(
            self,
            object_key: str,
            data: bytes | str,
            mime: str = "application/octet-stream",
            overwrite: bool = True,
            content_disposition: str | None = None,
        ) -> dict[str, Any]:
            path = self._path(object_key)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode() if isinstance(data, str) else data)
            return {"object_key": object_key, "url": None}

        async def delete_file(self, object_key: str) -> bool:
            self._path(object_key).unlink(missing_ok=True)
            return True

        async def get_read_url(self, object_key: str) -> str:
            return ""

        async def close(self) -> None:
            return None

    return LocalStorageClient(root)


def make_data_layer(url: str, files_dir: Path) -> Any:
    """Chainlit's SQLAlchemy data layer on our schema (created here if missing)."""
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

    create_schema(url)
    is_sqlite = url.startswith("sqlite")

    class ShopDataLayer(SQLAlchemyDataLayer):
        async def execute_sql(self, query: str, parameters: dict) -> Any:
            if is_sqlite:
                parameters = {k: _encode(v) for k, v in parameters.items()}
            result = await super().execute_sql(query, parameters)
            if is_sqlite and isinstance(result, list):
                return [_decode_row(row) for row in result]
            return result

    return ShopDataLayer(conninfo=url, storage_provider=make_storage_client(files_dir))
