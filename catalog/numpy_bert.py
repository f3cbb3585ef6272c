"""A numpy forward pass of BERT sentence encoders with mean pooling (all-MiniLM-L6-v2 and kin).

Why it exists: importing sentence-transformers (torch, transformers, scikit-learn) costs ~6 s
on the reference machine before one query can be embedded, and a one-shot `shop search` or
`shop chat --message` pays it on every call. This path imports only numpy, `tokenizers` and
`safetensors` (~0.1 s), loads the weights in ~0.1 s and embeds a query in ~8 ms; its vectors
equal sentence-transformers' to ~1e-7. `catalog.embedding.Encoder` uses it for small batches
(queries); large batches (ingest) go through sentence-transformers, whose kernels are several
times faster at batch size 64 (bench/startup.py measures both).

It covers exactly one model shape, checked by `supports()`: a sentence-transformers directory
of Transformer (BERT, absolute positions, exact GELU) → mean Pooling → optional Normalize, with
`model.safetensors` and a fast `tokenizer.json`. Anything else uses sentence-transformers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def supports(model_dir: str | Path) -> bool:
    """Whether `model_dir` is a model this module computes exactly like sentence-transformers."""
    root = Path(model_dir)
    try:
        modules = _json(root / "modules.json")
        config = _json(root / "config.json")
        pooling_dir = next(m["path"] for m in modules if m["type"] == _POOLING)
        pooling = _json(root / pooling_dir / "config.json")
    except (OSError, ValueError, KeyError, StopIteration):
        return False
    types = [m["type"] for m in modules]
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        pooling.get(k)
        for k in (
            "pooling_mode_cls_token",
            "pooling_mode_max_tokens",
            "pooling_mode_mean_sqrt_len_tokens",
            "pooling_mode_weightedmean_tokens",
            "pooling_mode_lasttoken",
        )
    )
    return (
        len(types) >= 2
        and types[0] == _TRANSFORMER
        and types[1] == _POOLING
        and all(t == _NORMALIZE for t in types[2:])
        and bool(mean_only)
        and config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and (root / "model.safetensors").is_file()
        and (root / "tokenizer.json").is_file()
    )


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to within 1.5e-7 (Abramowitz & Stegun 7.1.26): below float32 resolution here."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = (((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
    poly += 0.254829592
    return sign * (1.0 - poly * t * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU that BERT's "gelu" means."""
    return 0.5 * x * (1.0 + _erf(x * np.float32(1 / np.sqrt(2))))


class NumpyBert:
    """BERT + mean pooling + L2 normalisation in numpy; `encode` matches sentence-transformers."""

    def __init__(self, model_dir: str | Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        root = Path(model_dir)
        config = _json(root / "config.json")
        st_config_path = root / "sentence_bert_config.json"
        st_config = _json(st_config_path) if st_config_path.is_file() else {}
        max_len = int(st_config.get("max_seq_length") or config["max_position_embeddings"])
        self.tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
        self.tokenizer.no_padding()  # padded here to the batch's longest text
        self.tokenizer.enable_truncation(min(max_len, config["max_position_embeddings"]))
        weights = load_file(str(root / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        self.w = {k.removeprefix(prefix): v.astype(np.float32) for k, v in weights.items()}
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.dimension = int(config["hidden_size"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        return _layer_norm(x, self.w[name + ".weight"], self.w[name + ".bias"], self.eps)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts to an (n, d) float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        batch, length = len(encodings), max(len(e.ids) for e in encodings)
        ids = np.zeros((batch, length), dtype=np.int64)
        types = np.zeros((batch, length), dtype=np.int64)
        mask = np.zeros((batch, length), dtype=np.float32)
        for i, e in enumerate(encodings):
            n = len(e.ids)
            ids[i, :n], types[i, :n], mask[i, :n] = e.ids, e.type_ids, e.attention_mask
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        heads, width = self.heads, self.dimension // self.heads
        scale = np.float32(1 / np.sqrt(width))
        padding = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, heads, width).transpose(0, 2, 1, 3)

            q = split(self._dense(x, p + "attention.self.query"))
            k = split(self._dense(x, p + "attention.self.key"))
            v = split(self._dense(x, p + "attention.self.value"))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, self.dimension)
            x = self._norm(
                self._dense(context, p + "attention.output.dense") + x,
                p + "attention.output.LayerNorm",
            )
            hidden = _gelu(self._dense(x, p + "intermediate.dense"))
            x = self._norm(self._dense(hidden, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return (pooled / norms).astype(np.float32)
