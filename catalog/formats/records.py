"""What format readers yield and raise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RawRecord:
    """One product's raw fields and where in the file they came from ("line 12", "record 3")."""

    location: str
    data: dict[str, Any]


class FormatError(Exception):
    """A file-level problem (unreadable, not the format it claims, bad encoding)."""

    def __init__(self, file: str, location: str, message: str) -> None:
        super().__init__(f"{file}: {location}: {message}")
        self.file = file
        self.location = location
        self.message = message


def decode_utf8(raw: bytes, file: str) -> str:
    """Decode strictly, reporting the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormatError(file, f"line {line}", f"not valid UTF-8 ({exc.reason})") from None
