"""The project's own JSON Lines format: one product object per line (see README)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from catalog.formats.records import FormatError, RawRecord, decode_utf8

NAME = "jsonl"


def sniff(path: Path, head: bytes) -> bool:
    """JSON Lines by extension."""
    return path.suffix.lower() in {".jsonl", ".ndjson"}


def read(path: Path) -> Iterator[RawRecord]:
    """Yield one record per non-blank line; a line that is not a JSON object is a FormatError."""
    text = decode_utf8(path.read_bytes(), str(path))
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FormatError(str(path), f"line {number}", f"invalid JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise FormatError(str(path), f"line {number}", "expected a JSON object")
        yield RawRecord(f"line {number}", data)
