"""Numeric and yes/no attributes in a request: "around 40 liters", "4-person", "rated to 30°F",
"IPX7", "noise cancelling", "waterproof". Each is resolved to the catalog's own attribute key
(by unit suffix, e.g. L → capacity_l) of the categories asked about; one that resolves to no key
is left out rather than guessed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from agent.reading.lexicon import Lexicon
from agent.reading.phrases import Phrase, words_of
from catalog.normalize import normalize_value
from tools.request import AttributeWant

_DATA = Path(__file__).resolve().parent / "attributes.yaml"
_NUMBER_UNIT_RE = re.compile(r"^(\d+(?:\.\d+)?)([a-z°\"]*)$")
_IP_RE = re.compile(r"\bip(?:x|\d)(\d)\b", re.I)
# Converting a want stated in one unit to the key the catalog has.
_CONVERT = {
    ("_kg", "_g"): 1000.0,
    ("_g", "_kg"): 0.001,
    ("_lb", "_g"): 453.6,
    ("_lb", "_kg"): 0.4536,
}


@cache
def _units() -> dict[str, Any]:
    raw = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    by_word: dict[str, dict[str, str]] = {}
    for unit in raw["units"]:
        for w in unit["words"]:
            by_word[str(w).lower()] = unit
    direction: dict[str, list[Phrase]] = {
        op: sorted((tuple(words_of(p)) for p in phrases if words_of(p)), key=len, reverse=True)
        for op, phrases in raw["direction"].items()
    }
    return {"by_word": by_word, "direction": direction}


def numeric_wants(text: str, lex: Lexicon, categories: list[str]) -> list[AttributeWant]:
    """Numeric attribute wants, resolved against the categories' attribute keys."""
    units = _units()
    raw_words = text.lower().replace("-", " ").replace("°", " f ").replace("º", " f ").split()
    words = [re.sub(r"[^a-z0-9.\"]", "", w) for w in raw_words]
    words = [w for w in words if w]
    keys = lex.numeric_of(categories)
    out: list[AttributeWant] = []
    i = 0
    while i < len(words):
        m = _NUMBER_UNIT_RE.match(words[i])
        if not m:
            i += 1
            continue
        value = float(m.group(1))
        unit_word, j = m.group(2), i + 1
        if not unit_word and j < len(words):
            unit_word = words[j]
            j += 1
            if unit_word == "f" and j < len(words) and words[j] == "f":
                j += 1
        unit = units["by_word"].get(unit_word) or units["by_word"].get(unit_word.rstrip("s"))
        if unit is None:
            i += 1
            continue
        key, factor = _key_for(unit["suffix"], keys)
        if key is not None:
            said = _direction(words, i, j)
            op = said or unit["op"]
            label = unit["label"].format(n=f"{value:g}")
            within = 0.05 if op == "approx" and said is None else None  # "27 inch": that size
            out.append(
                AttributeWant(
                    key=key, op=op, value=round(value * factor, 3), label=label, within=within
                )
            )
        i = j
    for m in _IP_RE.finditer(text):
        key = next((k for k in sorted(keys) if "water" in k and "resist" in k), None)
        label = m.group(0).upper()
        if key is None:
            key = "water_resistance"
        out.append(AttributeWant(key=key, op="ge", value=float(m.group(1)), label=label))
    return out


def _key_for(suffix: str, keys: set[str]) -> tuple[str | None, float]:
    direct = sorted(k for k in keys if k.endswith(suffix))
    if len(direct) == 1:
        return direct[0], 1.0
    if direct:
        return None, 1.0  # several keys measure it: do not guess
    for (have, want), factor in _CONVERT.items():
        if have == suffix:
            found = sorted(k for k in keys if k.endswith(want))
            if len(found) == 1:
                return found[0], factor
    return None, 1.0


def _direction(words: list[str], start: int, end: int) -> str | None:
    """ge / le / approx from the words right before the number, else right after the unit.

    A cue before the number wins ("around 40 liters under 200" is about 40 L); a cue after
    the unit that leads another number belongs to that number (the budget), not to this one."""
    directions = _units()["direction"].items()
    for op, phrases in directions:
        for p in phrases:
            n = len(p)
            if start - n >= 0 and tuple(words[start - n : start]) == p:
                return op
    for op, phrases in directions:
        for p in phrases:
            n = len(p)
            if tuple(words[end : end + n]) == p and not _leads_number(words, end + n):
                return op
    return None


def _leads_number(words: list[str], i: int) -> bool:
    """Whether an amount starts at (or right after a currency word at) `i`."""
    ahead = [w.lstrip("$") for w in words[i : i + 2]]
    return any(w[:1].isdigit() for w in ahead)


def flag_wants(words: list[str], lex: Lexicon, categories: list[str]) -> list[AttributeWant]:
    """Yes/no features named in the message ("waterproof", "noise cancelling")."""
    out: list[AttributeWant] = []
    joined = f" {' '.join(words)} "
    for key in sorted(lex.flags_of(categories)):
        phrase = " ".join(key.split("_"))
        if f" {phrase} " in joined or f" {phrase.replace(' ', '')} " in joined:
            before = joined.split(f" {phrase}", 1)[0].split()[-2:]
            if any(w in ("not", "no", "non", "without") for w in before):
                continue
            out.append(AttributeWant(key=key, op="eq", value=1.0, label=phrase))
    return out


def text_wants(words: list[str], lex: Lexicon, categories: list[str]) -> list[AttributeWant]:
    """Text values of the categories' attributes named in full ("over-ear", "backpacking")."""
    out: list[AttributeWant] = []
    joined = " " + " ".join(normalize_value(w) or w for w in words) + " "
    seen: set[str] = set()
    for category in categories:
        values = lex.text_values.get(lex.category_key(category), {})
        for norm, (key, display) in sorted(values.items(), key=lambda kv: -len(kv[0])):
            if key in seen or f" {norm} " not in joined:
                continue
            if normalize_value(category) in norm:  # "Hiking" style of hiking boots says nothing
                continue
            seen.add(key)
            label = display.lower()
            out.append(AttributeWant(key=key, op="is", text=display, label=label))
    return out
