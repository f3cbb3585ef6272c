"""Cue phrases (cues.yaml) and how they are found in a message: whole words, longest first."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from catalog.normalize import fold

_DATA = Path(__file__).resolve().parent / "cues.yaml"
_WORDS = Path(__file__).resolve().parent / "words.yaml"
Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """A phrase found at word positions [start, end)."""

    start: int
    end: int
    phrase: Phrase
    label: str = ""


def words_of(text: str) -> list[str]:
    """The message as folded words ("Don't" → "dont", "4-person" → "4 person")."""
    folded = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", fold(text.replace("-", " ")))
    # "t-shirt" and "x-large" stay one word, as the catalog's values are normalised
    return re.sub(r"\b([b-hj-z]) (?=[a-z])", r"\1", folded).split()


def _phrases(items: list[Any]) -> list[Phrase]:
    return sorted(
        {tuple(words_of(str(i))) for i in items if words_of(str(i))}, key=len, reverse=True
    )


@cache
def cues() -> dict[str, Any]:
    """The cue phrases, as word tuples, longest first."""
    raw = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return {
        "relation": {k: _phrases(v) for k, v in raw["relation"].items()},
        "proposal": _phrases(raw["proposal"]),
        "gift": _phrases(raw["gift"]),
        "clear_budget": _phrases(raw["clear_budget"]),
        "clear_option": {k: _phrases(v) for k, v in raw["clear_option"].items()},
        "clear_brand": _phrases(raw["clear_brand"]),
        "reset": _phrases(raw["reset"]),
        "in_stock_on": _phrases(raw["in_stock_on"]),
        "in_stock_off": _phrases(raw["in_stock_off"]),
        "exclude_before": _phrases(raw["exclude_before"]),
        "exclude_after": _phrases(raw["exclude_after"]),
        "ordinals": {int(k): _phrases(v) for k, v in raw["ordinals"].items()},
        "groups": {int(k): _phrases(v) for k, v in raw["groups"].items()},
        "pronouns": _phrases(raw["pronouns"]),
        "size_words": {str(k): _phrases(v) for k, v in raw["size_words"].items()},
        "option_lead": _phrases(raw["option_lead"]),
        "color_modifiers": {str(w) for w in raw["color_modifiers"]},
    }


@cache
def filler() -> frozenset[str]:
    """Words that say nothing about the thing wanted: occasions, people, request verbs."""
    raw = yaml.safe_load(_WORDS.read_text(encoding="utf-8"))
    return frozenset(str(w) for key in ("filler", "recipients") for w in raw[key])


def find(words: list[str], phrases: list[Phrase], label: str = "") -> list[Hit]:
    """Non-overlapping occurrences, longest phrases first."""
    taken: set[int] = set()
    hits: list[Hit] = []
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase and not taken & set(range(i, i + n)):
                hits.append(Hit(i, i + n, phrase, label))
                taken.update(range(i, i + n))
    return sorted(hits, key=lambda h: h.start)


def any_of(words: list[str], phrases: list[Phrase]) -> bool:
    """Whether any phrase occurs."""
    return bool(find(words, phrases))


def ends_before(words: list[str], index: int, phrases: list[Phrase], gap: int = 2) -> bool:
    """Whether a phrase ends within `gap` words before `index` ("anything but [the] Apple")."""
    for phrase in phrases:
        n = len(phrase)
        for end in range(max(0, index - gap), index + 1):
            if end - n >= 0 and tuple(words[end - n : end]) == phrase:
                between = words[end:index]
                if all(
                    w in ("the", "a", "an", "any", "those", "these", "from", "by") for w in between
                ):
                    return True
    return False


def starts_after(words: list[str], index: int, phrases: list[Phrase]) -> bool:
    """Whether a phrase starts right at `index`."""
    return any(tuple(words[index : index + len(p)]) == p for p in phrases)


def correct_typos(
    words: list[str],
    targets: set[str],
    protected: set[str],
    is_word: Callable[[str], bool] = lambda w: False,
) -> list[str]:
    """Words misspelt close to a catalog word ("hikng" → "hiking"); others unchanged.

    Only words of five letters or more that are not catalog words themselves are corrected,
    only towards `targets` (category, brand, feature and option words), never a `protected`
    word (cue and money words, common words of requests).
    """
    out = []
    pool = sorted(targets)
    for w in words:
        if len(w) < 5 or not w.isalpha() or w in targets or w in protected or is_word(w):
            out.append(w)
            continue
        close = difflib.get_close_matches(w, pool, n=1, cutoff=0.8)
        # "charge" is no misspelt "charger": a word that is the start of another is a word
        if close and (close[0].startswith(w) or w.startswith(close[0]) or close[0][0] != w[0]):
            close = []  # typos keep the first letter; "skiing" is no misspelt "king"
        out.append(close[0] if close else w)
    return out


def cue_words() -> set[str]:
    """Every word of every cue phrase (never "corrected" into a catalog word)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for p in node:
                found.update(p)

    walk(cues())
    return found


ORDINAL_SIGN_RE = re.compile(
    r"#\s?(\d)\b|\bno\.\s?(\d)\b|\b(?:item|option|number|card)\s+(\d)\b", re.I
)
