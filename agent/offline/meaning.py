"""The category a request means when no word names it ("something to warm up leftovers",
"keep my devices alive with no outlets"): each category is the mean of its products' vectors
(the search snapshot's, one catalog version at a time) plus its name's vector; the request's
vector is compared with all of them. A clear winner guides the search; no close category at
all means the store probably does not sell it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from catalog.version_cache import VersionCache

# Cosine of a request to the nearest category centroid: below this, nothing is close. Measured
# on the demo catalog: paraphrases of what it sells score 0.5-0.6 ("something to sleep
# outdoors" 0.59), things it does not sell up to 0.42 ("a microwave": kettles 0.42, "car
# tires": trail shoes 0.37); between, the lexical check and an honest "we don't carry" decide.
NEAR = 0.45
# Close enough to offer as an option when asking what the shopper means.
LEAN = 0.3
MARGIN = 0.02
_CACHE: VersionCache[_Centroids] = VersionCache()


@dataclass(frozen=True)
class _Centroids:
    names: list[str]  # category display names
    matrix: np.ndarray  # one unit vector per category


@dataclass(frozen=True)
class Meaning:
    """The nearest categories to a request, best first, with their similarity."""

    ranked: list[tuple[str, float]]

    @property
    def best(self) -> str | None:
        """The category, when it is close and clearly ahead of the next one."""
        if not self.ranked or self.ranked[0][1] < NEAR:
            return None
        if len(self.ranked) > 1 and self.ranked[0][1] - self.ranked[1][1] < MARGIN:
            return None
        return self.ranked[0][0]

    @property
    def close(self) -> bool:
        """Whether any category is close at all."""
        return bool(self.ranked) and self.ranked[0][1] >= NEAR


def _centroids(catalog: Any) -> _Centroids:
    return _CACHE.get(catalog, lambda: _build(catalog))


def _build(catalog: Any) -> _Centroids:
    """Each category's unit centroid: its products' mean vector plus half its name's."""
    snap = catalog.searcher.snapshot()
    filters = snap.filters
    codes = {code: name for name, code in filters.categories.items()}
    names = [
        next(iter(sorted(filters.raw_categories.get(codes[c], {codes[c]})))) for c in sorted(codes)
    ]
    rows = []
    label_vectors = catalog.encoder.encode(names)
    for i, code in enumerate(sorted(codes)):
        mask = (filters.category == code) & snap.has_vector
        mean = snap.vectors[mask].mean(axis=0) if mask.any() else label_vectors[i]
        vector = mean / max(float(np.linalg.norm(mean)), 1e-9) + 0.5 * label_vectors[i]
        rows.append(vector / max(float(np.linalg.norm(vector)), 1e-9))
    return _Centroids(names, np.stack(rows) if rows else np.zeros((0, 384)))


def meaning(catalog: Any, text: str) -> Meaning:
    """The categories nearest in meaning to `text` (empty when the catalog has no vectors)."""
    try:
        cents = _centroids(catalog)
        if not cents.names:
            return Meaning([])
        sims = cents.matrix @ catalog.searcher.embed_query(text)  # cached per process
    except Exception:  # noqa: BLE001 - meaning is a help, never a failure
        return Meaning([])
    order = np.argsort(-sims)[:5]
    return Meaning([(cents.names[i], float(sims[i])) for i in order])
