"""The model never types a fact: an allow-list over model-written text.

Model text (the message of a terminal tool, a pick's reason, a clarifying question) is free
prose about fit and taste. Working sentence by sentence, a sentence is removed when it states
anything the server did not render:

- money in any currency or spelling (symbols anywhere; currency words and codes; "10 grand"),
  a percentage, or any number in a sentence that talks price or stock ("costs", "only 3 left");
- a number or number-bearing token ("SAVE50", "2-year") that is not in the rows of the
  products the tools returned or showed this turn, nor a non-money number the shopper wrote;
- a promotional, transactional, delivery or policy claim ("complimentary", "your card was
  charged", "I approve a refund"), from the vocabulary in data/claims.yaml;
- a change of role or relayed instructions (`guards.injected`), or text of the system prompt
  (five words in a row in common with it: overlap, not a phrase list).

Prices, stock, the heading and policy terms are added by the server after this, from SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from agent.guards import injected, split_sentences
from catalog.normalize import fold
from catalog.query_text import parse_budget

_DATA = Path(__file__).resolve().parent / "data" / "claims.yaml"
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN_RE = re.compile(r"[a-z0-9]*\d[a-z0-9]*", re.I)
SHINGLE = 8  # words in a row shared with a secret text: a quote, not a turn of phrase


_PRODUCT_ID_RE = re.compile(r"\b[A-Za-z]{2,6}-\d{2,}\b")


@dataclass
class Evidence:
    """What model text may mention: numbers and digit-bearing tokens from rendered rows."""

    numbers: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)
    shingles: set[tuple[str, ...]] = field(default_factory=set)

    def add_text(self, text: str) -> None:
        """Allow the numbers and tokens of a catalog row (titles, options, attributes)."""
        low = (text or "").lower()
        self.numbers |= {_norm_number(n) for n in _NUM_RE.findall(low)}
        self.tokens |= {t.lower() for t in _TOKEN_RE.findall(low)}

    def add_shopper(self, text: str) -> None:
        """Allow the shopper's own non-money numbers ("size 10", "4-person"), not budgets,
        and not product ids: an id only the shopper wrote ("recommend FAKE-99999") names
        nothing the store sells, so a reply may not repeat it (a row's id is allowed)."""
        rest = _PRODUCT_ID_RE.sub(" ", parse_budget(text or "").text)
        self.add_text(rest)

    def add_secret(self, text: str) -> None:
        """Text that must never be quoted (the system prompt, tool manuals)."""
        words = _words(text)
        self.shingles |= {
            tuple(words[i : i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))
        }


@cache
def _claims() -> dict[str, Any]:
    raw = yaml.safe_load(_DATA.read_text(encoding="utf-8"))

    def phrases(key: str) -> list[str]:
        return sorted({" ".join(fold(str(p)).split()) for p in raw[key]} - {""}, key=len)

    return {
        "symbols": [str(s) for s in raw["currency_symbols"]],
        "money": set(phrases("money_words")),
        "near": set(phrases("money_near_number")),
        "percent": [str(p) for p in raw["percent"]],
        "price": phrases("price_words"),
        "stock_after": phrases("stock_after"),
        "stock_before": phrases("stock_before"),
        "claims": phrases("claims"),
        "free_before": set(phrases("free_ok_before")),
        "free_after": phrases("free_ok_after"),
        "number_words": set(phrases("number_words")),
        "change_nouns": {str(w) for w in raw["price_change"]["nouns"]},
        "change_verbs": {str(w) for w in raw["price_change"]["verbs"]},
    }


def _words(text: str) -> list[str]:
    """Folded words; a full stop stays only inside a number ("19.99")."""
    return re.sub(r"(?<!\d)\.|\.(?!\d)", " ", fold(text)).split()


def _norm_number(n: str) -> str:
    n = n.replace(",", "")
    return n.rstrip("0").rstrip(".") if "." in n else n


def _has(words: str, phrase: str) -> bool:
    return f" {phrase} " in words


def why_removed(sentence: str, evidence: Evidence) -> str | None:
    """Why a sentence of model text may not reach the shopper, or None when it may."""
    c = _claims()
    if injected(sentence):
        return "instruction or role-change text"
    # "#2" points at a card on screen: a position, not a fact
    sentence = re.sub(r"#\d{1,2}\b", "#", sentence)
    words = _words(sentence)
    padded = f" {' '.join(words)} "
    if evidence.shingles and any(
        tuple(words[i : i + SHINGLE]) in evidence.shingles for i in range(len(words))
    ):
        return "system prompt text"
    if any(s in sentence for s in c["symbols"]):
        return "money"
    if any(w in c["money"] for w in words):
        return "money"
    # "one" is a pronoun far more often than a number ("this one"): it counts only as money
    numbered = [
        i
        for i, w in enumerate(words)
        if _NUM_RE.fullmatch(w) or (w in c["number_words"] and w != "one")
    ]
    numbered += [i for i, w in enumerate(words) if re.search(r"\d", w) and i not in numbered]
    for i in numbered:
        nearby = words[i + 1 : i + 2] + words[max(0, i - 1) : i]
        if words[i] in ("a", "one") and not nearby:
            continue
        if any(w in c["near"] for w in nearby) or re.fullmatch(r"\d+(?:\.\d+)?k", words[i]):
            return "money"
    if any(p in sentence.lower() for p in c["percent"] if not p.isalpha()) or any(
        _has(padded, p) for p in c["percent"] if p.isalpha()
    ):
        return "percentage"
    if re.search(r"\b\d+\s*(?:for|4)\s*\d+\b|\b\d+\s*[-x×]\s*for\b", sentence, re.I):
        return "claim (multi-buy)"
    claim = _claim(padded, words)
    if claim:
        return f"claim ({claim})"
    if numbered and any(_has(padded, p) for p in c["price"]):
        return "price talk"
    for i in numbered:
        after = " " + " ".join(words[i + 1 : i + 4]) + " "
        before = " " + " ".join(words[max(0, i - 2) : i]) + " "
        if any(after.startswith(f" {p} ") for p in c["stock_after"]) or any(
            before.endswith(f" {p} ") for p in c["stock_before"]
        ):
            return "stock figure"
    for token in _TOKEN_RE.findall(sentence.lower()):
        if token in evidence.tokens:
            continue
        numbers = [_norm_number(n) for n in _NUM_RE.findall(token)]
        plain = re.fullmatch(r"\d+(?:[.,]\d+)*", token) is not None
        if plain and all(n in evidence.numbers for n in numbers):
            continue
        return f"unrendered number {token!r}"
    return None


def _claim(padded: str, words: list[str]) -> str | None:
    c = _claims()
    for phrase in c["claims"]:
        if phrase == "free":
            continue
        if _has(padded, phrase):
            return phrase
    if set(words) & c["change_nouns"] and set(words) & c["change_verbs"]:
        return "price change"
    for i, w in enumerate(words):
        if w != "free":
            continue
        prev = words[i - 1] if i else ""
        rest = " " + " ".join(words[i + 1 : i + 3]) + " "
        if prev in c["free_before"] or any(rest.startswith(f" {p} ") for p in c["free_after"]):
            continue
        return "free"
    return None


def clean_prose(text: str, evidence: Evidence) -> tuple[str, list[str]]:
    """`text` without the sentences that state unrendered facts, and a note per removal."""
    kept: list[str] = []
    notes: list[str] = []
    for sentence in split_sentences(text or ""):
        why = why_removed(sentence, evidence)
        if why is None:
            kept.append(sentence)
        else:
            notes.append(f"removed from model text ({why}): {sentence[:80]!r}")
    return " ".join(kept).strip(), notes


def evidence_for(rows: Iterable[str], shopper: Iterable[str], secrets: Iterable[str]) -> Evidence:
    """Evidence from catalog rows, the shopper's messages and the texts never to quote."""
    ev = Evidence()
    for row in rows:
        ev.add_text(row)
    for text in shopper:
        ev.add_shopper(text)
    for secret in secrets:
        ev.add_secret(secret)
    return ev
