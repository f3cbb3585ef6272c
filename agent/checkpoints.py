"""The conversation checkpointer: SQLite in the data dir (created 0600), or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.private_files import private_file
from agent.settings import Settings
from agent.state import SERDE_TYPES


async def open_checkpointer(settings: Settings) -> tuple[Any, Any]:
    """The saver and the connection (or context manager) the caller must close."""
    if settings.uses_postgres:
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver  # type: ignore

        cm = AsyncPostgresSaver.from_conn_string(settings.database_url, serde=serde())
        saver = await cm.__aenter__()
        await saver.setup()
        return saver, cm
    import aiosqlite
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    path = private_file(Path(settings.data_dir) / "checkpoints.db")
    conn = await aiosqlite.connect(str(path))
    return AsyncSqliteSaver(conn, serde=serde()), conn


def serde() -> Any:
    """The checkpoint serializer, allowed to rebuild the state's typed values."""
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    return JsonPlusSerializer(allowed_msgpack_modules=SERDE_TYPES)
