"""Catalog file formats. Each module turns a file into raw records; `schema.ProductIn` validates.

Adding a format is one module with `NAME`, `sniff(path, head)` and `read(path)`, listed in
`FORMATS` below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

from catalog.formats import csv_rows, dummyjson, jsonl, tau2
from catalog.formats.records import FormatError, RawRecord

FORMATS: dict[str, ModuleType] = {m.NAME: m for m in (jsonl, csv_rows, dummyjson, tau2)}

__all__ = ["FORMATS", "FormatError", "RawRecord", "detect_format", "reader_for"]


def detect_format(path: Path) -> str:
    """Guess the format from the extension and the first bytes; raise FormatError if unsure."""
    head = path.read_bytes()[:4096]
    for name, module in FORMATS.items():
        if module.sniff(path, head):
            return name
    raise FormatError(
        str(path), "file", f"cannot tell the format; pass --format ({', '.join(FORMATS)})"
    )


def reader_for(fmt: str) -> Callable[[Path], Iterator[RawRecord]]:
    """The record reader for a format name; raise FormatError for an unknown one."""
    if fmt not in FORMATS:
        raise FormatError("-", "format", f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    return FORMATS[fmt].read
