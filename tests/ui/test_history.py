"""The chat-history schema we own, and the data layer's SQLite adaptation."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from ui.history import (
    _decode_row,
    _encode,
    chat_database_url,
    create_schema,
    schema_statements,
)


def test_default_url_is_its_own_sqlite_file(tmp_path: Path) -> None:
    url = chat_database_url(None, tmp_path)
    assert url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'chat_history.db'}"
    assert chat_database_url("sqlite:///x.db", tmp_path) == "sqlite+aiosqlite:///x.db"
    assert chat_database_url("postgresql://u@h/db", tmp_path) == "postgresql+asyncpg://u@h/db"


def test_create_schema_is_idempotent_and_complete(tmp_path: Path) -> None:
    url = chat_database_url(None, tmp_path)
    create_schema(url)
    create_schema(url)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'chat_history.db'}")
    inspector = sa.inspect(engine)
    assert set(inspector.get_table_names()) >= {
        "users",
        "threads",
        "steps",
        "elements",
        "feedbacks",
    }
    steps = {c["name"] for c in inspector.get_columns("steps")}
    assert {"threadId", "parentId", "isError", "showInput", "defaultOpen", "generation"} <= steps
    engine.dispose()


def test_postgres_ddl_uses_json_types() -> None:
    ddl = "\n".join(schema_statements("postgresql"))
    assert "JSONB" in ddl and "TEXT[]" in ddl


def test_json_roundtrip_helpers() -> None:
    assert _encode(["a"]) == '["a"]' and _encode({"k": 1}) == '{"k": 1}' and _encode(3) == 3
    row = _decode_row({"thread_metadata": '{"a": 1}', "step_streaming": 0, "name": "x"})
    assert row == {"thread_metadata": {"a": 1}, "step_streaming": False, "name": "x"}


async def test_data_layer_persists_a_thread_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAINLIT_APP_ROOT", str(tmp_path))  # chainlit writes .files/ there
    from chainlit.context import init_http_context

    from ui.history import make_data_layer  # imports chainlit's data layer lazily

    init_http_context()

    url = chat_database_url(None, tmp_path)
    layer = make_data_layer(url, tmp_path / "files")
    from chainlit.user import User

    user = await layer.create_user(User(identifier="alice", metadata={"role": "shopper"}))
    assert user is not None
    await layer.update_thread("t1", name="Boots", user_id=user.id, metadata={"x": 1}, tags=["shop"])
    await layer.create_step(
        {
            "id": "s1",
            "threadId": "t1",
            "name": "user",
            "type": "user_message",
            "output": "boots under 100",
            "streaming": False,
            "metadata": {},
            "createdAt": "2025-01-01T00:00:00Z",
        }
    )
    thread = await layer.get_thread("t1")
    assert thread is not None
    assert thread["metadata"] == {"x": 1} and thread["tags"] == ["shop"]
    assert thread["userIdentifier"] == "alice"
    assert [s["output"] for s in thread["steps"]] == ["boots under 100"]
    await layer.engine.dispose()
