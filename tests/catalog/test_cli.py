"""The `shop ingest` / `shop search` commands end to end (subprocess-free, via CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.catalog.sample import records, write_jsonl


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SHOP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env from the repo
    from ui.cli import app

    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_ingest_then_search_json(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl(tmp_path / "c.jsonl")
    first = cli("ingest", str(path))
    assert first.exit_code == 0, first.output
    assert "added 8" in first.output
    again = cli("ingest", str(path))
    assert "added 0, updated 0, unchanged 8" in again.output
    out = cli("search", "hiking boots under 130", "--option", "size=10", "--in-stock", "--json")
    assert out.exit_code == 0, out.output
    hits = json.loads(out.stdout)
    assert {h["id"] for h in hits} == {"B1", "B2"}
    for hit in hits:
        assert {"id", "title", "price", "currency", "in_stock", "category", "score"} <= set(hit)
        assert hit["price"] <= 130 and hit["in_stock"] is True


def test_bad_file_exits_nonzero_and_names_line_and_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = records()
    rows[4]["variants"][0]["currency"] = "DOUBLOONS"
    result = cli("ingest", str(write_jsonl(tmp_path / "bad.jsonl", rows)))
    assert result.exit_code == 1
    assert "line 5" in result.output and "currency" in result.output
    assert "nothing was written" in result.output
    assert json.loads(cli("search", "tee", "--json").stdout) == []


def test_unknown_category_lists_valid_ones(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("ingest", str(write_jsonl(tmp_path / "c.jsonl")))
    result = cli("search", "boots", "--category", "spaceships")
    assert result.exit_code == 2 and "Hiking Boots" in result.output


def test_json_output_keeps_the_no_match_warning(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("ingest", str(write_jsonl(tmp_path / "c.jsonl")))
    result = cli("search", "grand piano", "--json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.stdout), list)  # stdout stays a JSON array
    assert "No close match" in result.stderr
    table = cli("search", "grand piano")
    assert "No close match" in table.stdout
