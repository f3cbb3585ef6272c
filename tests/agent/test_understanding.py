"""The engine's understanding: acts from the labelled examples (their shipped vectors current),
other languages, and the rules that combine the act with the reading."""

from __future__ import annotations

import numpy as np
import pytest

from agent.offline.understanding import (
    ActIndex,
    examples,
    language_of,
    shipped_vectors,
    understand,
)
from agent.reading.lexicon import Lexicon
from agent.reading.reader import read
from catalog.embedding import text_hash


def test_shipped_vectors_cover_every_example(encoder) -> None:
    vectors = shipped_vectors(encoder.model_name)
    texts = sorted({t for lines in examples().values() for t in lines})
    missing = [t for t in texts if text_hash(t) not in vectors]
    assert not missing, f"acts.npz is stale (see export_vectors): {missing[:5]}"
    sample = texts[:: max(1, len(texts) // 6)]
    fresh = encoder.encode(sample)
    for text, vector in zip(sample, fresh, strict=True):
        assert float(np.dot(vector, vectors[text_hash(text)])) > 0.999


@pytest.fixture(scope="module")
def index(demo_catalog) -> ActIndex:  # type: ignore[no-untyped-def]
    return ActIndex(demo_catalog)


# Phrasings that are not among the examples.
@pytest.mark.parametrize(
    ("text", "shown", "act"),
    [
        ("hello there!", 0, "greet"),
        ("many thanks, bye for now", 0, "thanks_bye"),
        ("how many days do I have to send something back?", 0, "policy"),
        ("do you deliver to canada", 0, "policy"),
        ("tell me a joke about cats", 0, "out_of_scope"),
        ("something nice", 0, "vague"),
        ("waterproof hiking boots under 150", 0, "request"),
        ("do you sell kayaks?", 0, "request"),
        ("which of these is lightest?", 3, "comparative"),
        ("is the second one machine washable?", 3, "product_question"),
        ("compare the first and the third", 3, "compare"),
        ("how much is the first one?", 3, "product_question"),
        ("anything cheaper?", 3, "request"),
        ("more like the second one", 3, "more_like"),
        ("Hola, busco botas de montaña", 0, "other_language"),
        ("Ich suche Wanderschuhe unter 100 Euro", 0, "other_language"),
    ],
)
def test_acts(demo_catalog, index: ActIndex, text: str, shown: int, act: str) -> None:
    lex = Lexicon.for_catalog(demo_catalog)
    assert understand(text, read(text, lex), shown, index).act == act


def test_languages() -> None:
    assert language_of("Hola, quiero unas botas para la montaña") == "spanish"
    assert language_of("I need hiking boots for my trip") == ""
    assert language_of("hola") == ""  # one word is not enough to tell
