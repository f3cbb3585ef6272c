"""store_policy: the clauses of the store's policy that answer a question.

The clauses are ranked by meaning (the catalog's embedding model, vectors cached like product
texts) and by shared words; the best few come back verbatim. The finalize node quotes them to
the shopper as they are written, so policy terms never pass through a model's words.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from langchain_core.tools import BaseTool, tool

from catalog.embedding import text_hash
from catalog.normalize import normalize_value
from catalog.policy import Clause, clauses, load_policy
from catalog.service import Catalog
from catalog.store import STOPWORDS
from tools.rendering import as_data

MIN_SIMILARITY = 0.3
_LOCK = threading.Lock()
_VECTORS: dict[tuple[int, str], np.ndarray] = {}


def _words(text: str) -> set[str]:
    return {w for w in normalize_value(text).split() if w not in STOPWORDS and len(w) > 2}


def _vectors(catalog: Catalog, texts: list[str]) -> np.ndarray:
    """Unit vectors of the clause texts, encoded once per process (and cached in SQL)."""
    key = (id(catalog.store), "\n".join(texts))
    with _LOCK:
        found = _VECTORS.get(key)
        if found is not None:
            return found
        hashes = {text_hash(t): t for t in texts}
        cached = catalog.store.encode_cached(catalog.encoder, hashes)
        matrix = np.stack([cached[text_hash(t)] for t in texts])
        _VECTORS.clear()
        _VECTORS[key] = matrix
        return matrix


def find_clauses(catalog: Catalog, question: str, limit: int = 3) -> list[Clause]:
    """The policy clauses that best answer `question` (none when the store has no policy)."""
    found = clauses(load_policy(catalog.store))
    if not found or not question.strip():
        return []
    texts = [f"{c.heading}: {c.text}" for c in found]
    sims = _vectors(catalog, texts) @ catalog.encoder.encode([question])[0]
    asked = _words(question)
    scores = []
    for i in range(len(found)):
        shared = len(asked & _words(texts[i])) / max(1, len(asked))
        scores.append(float(sims[i]) + 0.3 * shared)
    order = sorted(range(len(found)), key=lambda i: -scores[i])
    best = scores[order[0]]
    if best < MIN_SIMILARITY:
        return []
    # the best clause, and the next ones only when nearly as good
    return [found[i] for i in order[:limit] if scores[i] >= best - 0.08]


def policy_answer(catalog: Catalog, question: str) -> tuple[str, dict[str, Any]]:
    """Text for the model and an artifact with the clauses; never raises."""
    artifact: dict[str, Any] = {"tool": "store_policy", "ids": [], "clauses": []}
    try:
        found = find_clauses(catalog, question)
    except Exception as exc:  # noqa: BLE001 - a tool never raises
        return f"store_policy failed: {type(exc).__name__}", artifact
    if not found:
        if not load_policy(catalog.store):
            return "The store has no policy document; refer the shopper to customer care.", artifact
        return "The store policy does not cover this; refer the shopper to customer care.", artifact
    artifact["clauses"] = [{"heading": c.heading, "text": c.text} for c in found]
    lines = [f"{c.heading}: {c.text}" for c in found]
    return as_data("Store policy (the store quotes these clauses to the shopper):", lines), artifact


def make_store_policy(catalog: Catalog) -> BaseTool:
    """Bind store_policy to a catalog."""

    @tool("store_policy", response_format="content_and_artifact")
    def store_policy(question: str) -> tuple[str, dict[str, Any]]:
        """The store's own policy on returns, exchanges, shipping, warranty, price matching,
        payment, orders or contact: the clauses that answer the shopper's question.

        Args:
            question: the shopper's question about the store.
        """
        return policy_answer(catalog, question)

    return store_policy
