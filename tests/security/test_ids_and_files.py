"""Item 10: ids that display as something else are rejected, a NaN price gets a clear
message, and files holding conversations (and the signing secret) are readable by their
owner only."""

from __future__ import annotations

import json
import math
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from agent.assistant import build_assistant
from agent.private_files import private_file
from agent.settings import Settings
from catalog.ingest import validate
from catalog.schema import ProductIn
from catalog.service import Catalog
from ui.history import chat_database_url, create_schema
from ui.server import auth_secret


def product(**overrides: object) -> dict:
    base: dict = {
        "id": "P1",
        "title": "Trail Boot",
        "category": "Boots",
        "variants": [{"id": "P1-10", "price": 89.0, "stock": 2}],
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "bad_id",
    ["abc\u202edcba", "P\x00001", "P\u200b1", "P\u2066 1", "P\n1", "P\u2028x", "P\ue000"],
)
def test_ids_with_control_or_invisible_characters_are_rejected(bad_id: str) -> None:
    with pytest.raises(ValidationError, match="control or invisible character"):
        ProductIn.model_validate(product(id=bad_id))
    variants = [{"id": bad_id, "price": 1.0}]
    with pytest.raises(ValidationError, match="control or invisible character"):
        ProductIn.model_validate(product(variants=variants))


def test_ordinary_unicode_ids_and_text_are_fine() -> None:
    title = "Bottes de randonnée — imperméables"
    ok = ProductIn.model_validate(product(id="Größe-42 ✓ 靴", title=title, description="a\tb\nc"))
    assert ok.id == "Größe-42 ✓ 靴"


@pytest.mark.parametrize("field", ["title", "description", "brand", "category"])
def test_text_with_nul_or_bidi_override_is_rejected(field: str) -> None:
    for bad in ("Boot\x00s", "Boot \u202eevil"):
        with pytest.raises(ValidationError, match="control character"):
            ProductIn.model_validate(product(**{field: bad}))


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_price_is_named_as_such(value: float) -> None:
    with pytest.raises(ValidationError) as caught:
        ProductIn.model_validate(product(variants=[{"id": "v", "price": value}]))
    messages = " ".join(e["msg"] for e in caught.value.errors())
    assert "finite number" in messages and "10000000" not in messages


def test_a_jsonl_nan_price_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nan.jsonl"
    record = json.dumps(product(variants=[{"id": "v", "price": float("nan")}]))
    path.write_text(record + "\n")
    _, errors = validate(path, "jsonl")
    assert errors and "finite number" in errors[0].message and "line 1" in errors[0].location


def test_private_file_is_0600_and_tightens_an_existing_one(tmp_path: Path) -> None:
    fresh = private_file(tmp_path / "new" / "conversations.db")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    old = tmp_path / "old.db"
    old.write_text("")
    old.chmod(0o644)
    Path(f"{old}-wal").write_text("")
    Path(f"{old}-wal").chmod(0o644)
    private_file(old)
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(f"{old}-wal").stat().st_mode) == 0o600


async def test_checkpoints_db_is_not_world_readable(tmp_path: Path, small_catalog: Catalog) -> None:
    a = build_assistant(Settings(_env_file=None, SHOP_DATA_DIR=tmp_path), small_catalog)
    await a.arun("hiking boots", thread_id="perm")
    await a.aclose()
    for path in tmp_path.glob("checkpoints.db*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_chat_history_db_is_not_world_readable(tmp_path: Path) -> None:
    create_schema(chat_database_url(None, tmp_path))
    for path in tmp_path.glob("chat_history.db*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_generated_auth_secret_is_private_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHAINLIT_AUTH_SECRET", raising=False)
    settings = Settings(_env_file=None, SHOP_DATA_DIR=tmp_path)
    secret = auth_secret(settings)
    path = tmp_path / "chainlit_auth_secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(secret) >= 32
    assert auth_secret(settings) == secret  # kept across restarts (and shared by workers)
