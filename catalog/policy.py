"""The store's policy document (returns, shipping, warranty, ...), kept with the catalog.

A store ships it as Markdown: `policy.md` beside the catalog file is loaded by `shop ingest`
(the demo catalog ships one), or any file through `save_policy`. It is split into sections
(`## Heading`) and their bullet points or paragraphs, which is what questions are answered
from: the assistant quotes the policy, it never paraphrases terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from catalog.models import StoreDocument
from catalog.store import CatalogStore

POLICY = "policy"


@dataclass(frozen=True)
class Clause:
    """One bullet (or paragraph) of the policy, with its section heading."""

    heading: str
    text: str


def policy_beside(path: Path) -> Path | None:
    """The `policy.md` next to a catalog file, if there is one."""
    candidate = Path(path).resolve().parent / "policy.md"
    return candidate if candidate.is_file() else None


def save_policy(store: CatalogStore, text: str) -> None:
    """Store (or replace) the policy document."""
    with store.session() as session, session.begin():
        session.merge(StoreDocument(name=POLICY, text=text))


def load_policy(store: CatalogStore) -> str:
    """The policy document, or "" when the store has none."""
    try:
        with store.session() as session:
            row = session.get(StoreDocument, POLICY)
            return row.text if row is not None else ""
    except Exception:  # noqa: BLE001 - an older store without the table has no policy
        return ""


def clauses(text: str) -> list[Clause]:
    """The policy split into clauses: bullets, or paragraphs, under their `##` heading."""
    out: list[Clause] = []
    heading = ""
    current: list[str] = []

    def flush() -> None:
        joined = " ".join(" ".join(current).split())
        if joined and heading:
            out.append(Clause(heading, joined))
        current.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        if line.startswith("#"):
            flush()
            heading = line.lstrip("#").strip() if line.startswith("##") else ""
        elif re.match(r"^\s*[-*]\s+", line):
            flush()
            current.append(re.sub(r"^\s*[-*]\s+", "", line))
        elif not line.strip():
            flush()
        else:
            current.append(line.strip())
    flush()
    return out
