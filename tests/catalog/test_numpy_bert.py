"""The numpy query encoder gives sentence-transformers' vectors, and only where it can."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from catalog.embedding import Encoder, resolve_model_path
from catalog.numpy_bert import NumpyBert, supports
from tests.conftest import DEMO_JSONL

MODEL = Path(resolve_model_path("all-MiniLM-L6-v2"))


def demo_texts(n: int) -> list[str]:
    with DEMO_JSONL.open(encoding="utf-8") as f:
        rows = [json.loads(next(f)) for _ in range(n)]
    # Different lengths in one batch exercise the padding mask; one text exceeds 256 tokens.
    return (
        [r["title"] for r in rows[:4]]
        + [r["description"] * 3 for r in rows[4:]]
        + [
            "boots " * 400,
            "",
        ]
    )


def test_same_vectors_as_sentence_transformers() -> None:
    texts = demo_texts(8)
    reference = Encoder(fast_batch=0).encode(texts)  # sentence-transformers
    fast = NumpyBert(MODEL).encode(texts)
    assert fast.shape == reference.shape == (len(texts), 384)
    assert np.abs(fast - reference).max() < 1e-5
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)


def test_encoder_sends_small_batches_through_numpy_only() -> None:
    encoder = Encoder()
    encoder.encode(["waterproof hiking boots"])
    assert encoder._fast is not None and encoder._model is None  # torch never loaded
    assert encoder.dimension == 384


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("1_Pooling/config.json", {"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": 1}),
        ("config.json", {"model_type": "roberta"}),
        ("config.json", {"hidden_act": "gelu_new"}),
    ],
)
def test_other_model_shapes_are_left_to_sentence_transformers(
    tmp_path: Path, path: str, change: dict
) -> None:
    copy = tmp_path / "model"
    shutil.copytree(MODEL, copy, ignore=shutil.ignore_patterns("model.safetensors"))
    (copy / "model.safetensors").symlink_to(MODEL / "model.safetensors")
    assert supports(copy)
    data = json.loads((copy / path).read_text()) | change
    (copy / path).write_text(json.dumps(data))
    assert not supports(copy)
