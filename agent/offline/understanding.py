"""What a message is: its dialogue act, from the shopper-message reading (agent/reading) and
the nearest labelled example utterances (acts.yaml) in the bundled MiniLM embedding space.

The reading says what is *in* the message (a budget, a category, "the second one"); the
examples say what kind of message it is (a greeting, a policy question, a comparison). Both
are combined by a few ordered rules below; the example utterances are data a store can extend.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from agent.reading.reader import Reading
from catalog.embedding import text_hash
from catalog.normalize import fold

_DIR = Path(__file__).resolve().parent
Act = str  # one of the keys of acts.yaml, or "other_language" / "product_ids"
_COMPARE_RE = re.compile(r"\bcompare\b|\bvs\.?\b|\bversus\b|\bdifference\b|\bside by side\b", re.I)
_SUPERLATIVE_RE = re.compile(r"\b(?:which|what)(?:'s| is| one| of (?:these|them|those))?\b", re.I)
_SIZE_RE = re.compile(r"\bsize|\bfit(?:s)? me\b|\bsizing\b|\brun(?:s)? (?:small|large|big)\b", re.I)
_WORD_RE = re.compile(r"[a-zà-ÿäöüßñç']+", re.I)


@dataclass(frozen=True)
class Understood:
    """The act, how sure the example match was, and the nearest example."""

    act: Act
    score: float = 0.0
    example: str = ""
    language: str = ""  # a language other than English, when detected


@cache
def examples() -> dict[str, list[str]]:
    """The labelled utterances, per act."""
    raw = yaml.safe_load((_DIR / "acts.yaml").read_text(encoding="utf-8"))
    return {act: [str(x) for x in lines] for act, lines in raw.items()}


@cache
def languages() -> dict[str, dict[str, Any]]:
    """Common words and a polite reply per language the engine recognises but cannot read."""
    raw = yaml.safe_load((_DIR / "languages.yaml").read_text(encoding="utf-8"))
    return {k: {**v, "words": {fold(str(w)) for w in v["words"]}} for k, v in raw.items()}


def language_of(text: str) -> str:
    """The key of another language most of the message's words belong to, or ""."""
    words = [fold(w) for w in _WORD_RE.findall(text.lower())]
    words = [w for w in words if w]
    if len(words) < 2:
        return ""
    best, share = "", 0.0
    for key, lang in languages().items():
        hits = sum(1 for w in words if w in lang["words"])
        if hits / len(words) > share:
            best, share = key, hits / len(words)
    return best if share >= 0.5 else ""


class ActIndex:
    """The example utterances embedded once (through the catalog's embedding cache)."""

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog
        self._lock = threading.Lock()
        self._labels: list[str] = []
        self._texts: list[str] = []
        self._matrix: np.ndarray | None = None

    def _load(self) -> np.ndarray:
        with self._lock:
            if self._matrix is not None:
                return self._matrix
            pairs = [(act, text) for act, lines in examples().items() for text in lines]
            texts = [t for _, t in pairs]
            encoder = self.catalog.encoder
            keys = {text_hash(t): t for t in texts}
            # the bundled examples ship encoded (acts.npz); a store's own lines are encoded
            # once and kept in the catalog's embedding cache
            known = shipped_vectors(encoder.model_name)
            cached = self.catalog.store.encode_cached(encoder, keys, known)
            self._labels = [a for a, _ in pairs]
            self._texts = texts
            self._matrix = np.stack([cached[text_hash(t)] for t in texts])
            return self._matrix

    def nearest(self, text: str, k: int = 5) -> tuple[str, float, str]:
        """(act, score, nearest example) by a similarity-weighted vote of the k nearest."""
        matrix = self._load()
        # the searcher's LRU of recent vectors: the engine reads a message once per step (a
        # turn is two or three steps), and meaning() and the search often encode it too
        vector = self.catalog.searcher.embed_query(text)
        sims = matrix @ vector
        top = np.argsort(-sims)[:k]
        votes: dict[str, float] = {}
        for i in top:
            votes[self._labels[i]] = votes.get(self._labels[i], 0.0) + float(sims[i])
        act = max(votes, key=lambda a: votes[a])
        best = next(i for i in top if self._labels[i] == act)
        return act, float(sims[best]), self._texts[best]


VECTORS = _DIR / "acts.npz"


def shipped_vectors(model_name: str) -> dict[str, np.ndarray]:
    """The bundled example vectors by text hash (empty for another embedding model)."""
    if not VECTORS.exists():
        return {}
    data = np.load(VECTORS)
    if str(data["model"]) != model_name:
        return {}
    return dict(zip([str(h) for h in data["hashes"]], data["vectors"], strict=True))


def export_vectors(encoder: Any) -> None:
    """Write acts.npz for the bundled examples (run after editing acts.yaml:
    `python -c "from catalog.embedding import Encoder; from agent.offline.understanding import
    export_vectors; export_vectors(Encoder())"`)."""
    texts = sorted({t for lines in examples().values() for t in lines})
    vectors = encoder.encode(texts)
    np.savez_compressed(
        VECTORS,
        model=np.array(encoder.model_name),
        hashes=np.array([text_hash(t) for t in texts]),
        vectors=vectors.astype(np.float32),
    )


def understand(text: str, reading: Reading, shown: int, index: ActIndex) -> Understood:
    """The act of a message, given its reading and how many cards are on screen."""
    language = language_of(text)
    if language:
        return Understood("other_language", 1.0, language=language)
    if reading.ids:
        return Understood("product_ids", 1.0)
    if reading.relation == "similar" and shown:
        return Understood("more_like", 1.0)
    if reading.relation in ("cheaper", "different") and shown:
        return Understood("request", 1.0)
    act, score, example = index.nearest(text)
    if shown and reading.refers_to_shown:
        if _COMPARE_RE.search(text) or (len(reading.ordinals) >= 2 and not reading.question):
            return Understood("compare", score, example)
        if act == "compare" and len(reading.ordinals) < 2 and not reading.pronoun:
            return Understood("product_question", score, example)  # "how much is the first one?"
        if act in ("comparative", "compare", "product_question", "size_help"):
            return Understood(act, score, example)
        if reading.question or act in ("more_like",):
            return Understood("product_question" if act != "more_like" else act, score, example)
    has_slots = bool(
        reading.categories
        or reading.budget.found
        or reading.options
        or reading.brands
        or reading.exclude_brands
        or reading.exclude_terms
        or reading.attributes
    )
    if act == "policy" and score >= 0.5:
        return Understood("policy", score, example)
    if act == "comparative" and not shown and _SUPERLATIVE_RE.search(text):
        return Understood("request", score, example)  # "which tent is lightest?" is a request
    if act == "size_help" and not (shown and _SIZE_RE.search(text)):
        act = "request" if has_slots else act
    if has_slots and act not in ("policy", "comparative", "product_question", "compare"):
        return Understood("request", score, example)
    if act in ("comparative", "compare", "product_question") and not shown:
        return Understood("request" if has_slots or score < 0.6 else act, score, example)
    if act in ("greet", "thanks_bye") and score < 0.55:
        return Understood("request", score, example)
    return Understood(act, score, example)
