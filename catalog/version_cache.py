"""A value derived from a catalog, built once per catalog version (every ingest bumps it).

Readers in a running process (the lexicon, the category centroids) key their copy on
(store, `searcher.version`): a new ingest by another process reaches the next turn, and the
copy of an older version of the same store is dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class VersionCache(Generic[T]):
    """One value per catalog store, for its current version."""

    def __init__(self) -> None:
        self._values: dict[tuple[int, str | None], T] = {}
        self._lock = threading.Lock()

    def get(self, catalog: Any, build: Callable[[], T]) -> T:
        """The value for the catalog's current version, built by `build()` when missing."""
        searcher = catalog.searcher
        searcher.refresh()
        key = (id(catalog.store), searcher.version)
        found = self._values.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._values.get(key)
            if found is None:
                found = build()
                for old in [k for k in self._values if k[0] == key[0]]:
                    self._values.pop(old, None)
                self._values[key] = found
        return found
