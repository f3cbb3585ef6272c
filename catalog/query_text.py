"""The money grammar: budget phrases in free text ("nothing over 12 bucks", "$30-$60",
"under fifty dollars", "1.2k", "10 grand", "around 100", "I'd rather stay under 80").

The one budget reader: `shop search`, the shopper-state reader, the offline engine and the UI's
search-only fallback all use it, so a phrase means the same price bound everywhere. Its
vocabulary (cue phrases, currency words, units, number words) is data, in data/money.yaml.

How it reads: the text is split into tokens; amounts are found (digits with an optional
"k"/"grand"/"hundred", or number words); an amount followed by a unit ("40 L", "4-person") is a
measurement, never money. An amount is money when a currency mark is next to it or a budget cue
stands right before or after it; the cue says whether it is a cap, a floor, a range or an
approximate target. "under X" means price ≤ X.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

_DATA = Path(__file__).resolve().parent / "data" / "money.yaml"
_TOKEN_RE = re.compile(
    r"<=|>=|[$€£~<>≤≥+\"]|\d[\d,]*(?:\.\d+)?(?:[a-z]+)?|[a-z]+(?:['’][a-z]+)?|[-–—]"
)
_DIGITS_RE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)([a-z]*)$")


# "set the price to $1", "it is $5", "priced at $3": a statement about a price, not a budget.
_STATEMENT_WORDS = frozenset({"to", "is", "at", "be", "was", "are", "costs", "cost", "now"})


@dataclass(frozen=True)
class Budget:
    """Price bounds found in a text, and the text with the budget phrases removed."""

    min_price: float | None
    max_price: float | None
    text: str
    approx: bool = False  # "around 100": the bounds are a window around a target
    # The amounts as the shopper wrote them ("fifty dollars", "1.2k", "$50"), by bound
    # ("min", "max", "approx"): replies echo these, never a reformatted or derived figure.
    said: dict[str, str] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        """Whether any bound was read."""
        return self.min_price is not None or self.max_price is not None


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int


@dataclass
class _Amount:
    value: float
    first: int  # token index range [first, last]
    last: int
    currency: bool = False
    suffixed: bool = False  # "1.2k", "10 grand"
    ish: bool = False  # "50ish"


@cache
def _vocab() -> dict[str, Any]:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    phrase = lambda key: sorted(  # noqa: E731 - longest first
        (tuple(_tokens(str(p))) for p in data[key]), key=len, reverse=True
    )
    return {
        "units": {str(u) for u in data["units"]},
        "currency_words": {str(w) for w in data["currency_words"]},
        "currency_symbols": {str(s) for s in data["currency_symbols"]},
        "numbers": {str(k): float(v) for k, v in data["number_words"].items()},
        "multipliers": {str(k): float(v) for k, v in data["multipliers"].items()},
        "approx": (float(data["approx_low"]), float(data["approx_high"])),
        **{
            key: phrase(key)
            for key in (
                "max_before",
                "max_after",
                "min_before",
                "min_after",
                "approx_before",
                "approx_after",
                "range_before",
            )
        },
        "range_joins": {str(j) for j in data["range_joins"]},
    }


def _tokens(text: str) -> list[str]:
    return [t.text for t in _tokenize(text)]


_ID_RE = re.compile(r"\b[a-z]{2,}-\d+\b")


def _tokenize(text: str) -> list[_Tok]:
    low = text.lower().replace("’", "'")
    # product ids ("ELE-1", "OUT-00123") are no amounts: mask their digits, keep the offsets
    low = _ID_RE.sub(lambda m: re.sub(r"\d", "x", m.group(0)), low)
    return [_Tok(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(low)]


def _amounts(toks: list[_Tok]) -> list[_Amount]:
    """Every amount in the text, with whether a currency mark or a money suffix is attached."""
    v = _vocab()
    words, mult = v["numbers"], v["multipliers"]
    out: list[_Amount] = []
    i = 0
    while i < len(toks):
        t = toks[i].text
        m = _DIGITS_RE.match(t)
        value: float | None = None
        last = i
        suffixed = ish = False
        if m:
            value = float(m.group(1).replace(",", ""))
            suffix = m.group(2)
            if suffix in mult:
                value *= mult[suffix]
                suffixed = True
            elif suffix == "ish":
                ish = True
            elif suffix:
                # "40l", "4person", "2pack": a measurement glued to its unit
                if suffix in v["units"] or suffix.rstrip("s") in v["units"]:
                    i += 1
                    continue
                value = None
        elif t in words and not (t == "a" and not _next_is(toks, i, mult)):
            value, j = _word_number(toks, i, words)  # "twenty five", "five"
            last = j - 1
        if value is None:
            i += 1
            continue
        j = last + 1
        while j < len(toks) and toks[j].text in mult and toks[j].text not in ("k", "m"):
            factor = mult[toks[j].text]
            value *= factor
            suffixed = suffixed or factor >= 1000
            j += 1
            # "one thousand two hundred", "two hundred and fifty", "a hundred and seventy five"
            k = j + 1 if j < len(toks) and toks[j].text == "and" else j
            if k < len(toks) and toks[k].text in words and toks[k].text != "a":
                extra, k = _word_number(toks, k, words)
                scale = mult.get(toks[k].text, 0.0) if k < len(toks) else 0.0
                if 0 < scale < factor:
                    extra *= scale
                    k += 1
                # "... hundred and two hundred": a second amount (a range), not a sum
                if extra < factor and not scale >= factor:
                    value += extra
                    j = k
        last = j - 1
        if t == "a" and last == i:
            i += 1  # the article, not "a hundred"
            continue
        amount = _Amount(value, i, last, suffixed=suffixed, ish=ish)
        before = toks[i - 1].text if i > 0 else ""
        after = toks[last + 1].text if last + 1 < len(toks) else ""
        amount.currency = before in v["currency_symbols"] or after in v["currency_words"]
        if not amount.currency and last + 2 < len(toks) + 1:
            pair = " ".join(x.text for x in toks[last + 1 : last + 3])
            amount.currency = pair in v["currency_words"]
        out.append(amount)
        i = last + 1
    return out


def _word_number(toks: list[_Tok], i: int, words: dict[str, float]) -> tuple[float, int]:
    """The number words from `i` ("twenty five" -> 25) and the index after them."""
    value, j = words[toks[i].text], i + 1
    while j < len(toks) and toks[j].text in words and toks[j].text != "a":
        if words[toks[j].text] >= value:
            break
        value += words[toks[j].text]
        j += 1
    return value, j


def _next_is(toks: list[_Tok], i: int, words: dict[str, float]) -> bool:
    return i + 1 < len(toks) and toks[i + 1].text in words


def _is_measure(toks: list[_Tok], a: _Amount) -> bool:
    """An amount followed by a unit ("40 L", "4 person", "30 °F") is not money."""
    units = _vocab()["units"]
    j = a.last + 1
    if j < len(toks) and toks[j].text in ("-",) and j + 1 < len(toks):
        j += 1  # "4-person"
    if j >= len(toks):
        return False
    word = toks[j].text
    return word in units or (word.endswith("s") and word[:-1] in units)


def _cue_before(toks: list[_Tok], a: _Amount, phrases: list[tuple[str, ...]]) -> int | None:
    """Index of the first token of a cue phrase ending right before the amount, or None."""
    end = a.first
    while end > 0 and toks[end - 1].text in _vocab()["currency_symbols"]:
        end -= 1
    for phrase in phrases:
        n = len(phrase)
        if n and end - n >= 0 and tuple(t.text for t in toks[end - n : end]) == phrase:
            return end - n
    return None


def _cue_after(toks: list[_Tok], a: _Amount, phrases: list[tuple[str, ...]]) -> int | None:
    """Index of the last token of a cue phrase starting right after the amount, or None."""
    start = a.last + 1
    cw = _vocab()["currency_words"]
    while start < len(toks) and toks[start].text in cw:
        start += 1
    for phrase in phrases:
        n = len(phrase)
        if n and tuple(t.text for t in toks[start : start + n]) == phrase:
            return start + n - 1
    return None


def _starts_amount(toks: list[_Tok], i: int, amounts: list[_Amount]) -> bool:
    """Whether an amount starts at token `i` (after any currency symbol)."""
    while i < len(toks) and toks[i].text in _vocab()["currency_symbols"]:
        i += 1
    return any(a.first == i for a in amounts)


def parse_budget(text: str) -> Budget:
    """Extract price bounds from free text; never raises."""
    try:
        return _parse(text)
    except Exception:  # noqa: BLE001 - a budget we cannot read is no budget
        return Budget(None, None, text)


def _parse(text: str) -> Budget:
    v = _vocab()
    toks = _tokenize(text)
    amounts = [a for a in _amounts(toks) if not _is_measure(toks, a) or a.currency]
    low: float | None = None
    high: float | None = None
    approx = False
    spans: list[tuple[int, int]] = []
    used: set[int] = set()

    said: dict[str, str] = {}

    def take(first: int, last: int) -> None:
        spans.append((toks[first].start, toks[last].end))

    def words(a: _Amount) -> str:
        """The amount as written, with a currency mark before or a currency word after."""
        first, last = a.first, a.last
        if first and toks[first - 1].text in v["currency_symbols"]:
            first -= 1
        if last + 1 < len(toks) and toks[last + 1].text in v["currency_words"]:
            last += 1
        said = re.sub(r"\s+", " ", text[toks[first].start : toks[last].end])
        # "$1000" is echoed as "$1,000": the shopper's amount, in the form prices are read
        return re.sub(r"(?<![\d.,])\d{4,}(?![\d,])", lambda m: f"{int(m.group()):,}", said)

    # Ranges first: "$30-$60", "between 100 and 200", "30 to 60 dollars".
    for a, b in zip(amounts, amounts[1:], strict=False):
        gap = [t.text for t in toks[a.last + 1 : b.first]]
        gap = [g for g in gap if g not in v["currency_words"] and g not in v["currency_symbols"]]
        if len(gap) != 1 or gap[0] not in v["range_joins"] or id(a) in used:
            continue
        lead = _cue_before(toks, a, v["range_before"] + v["max_before"])
        if not (a.currency or b.currency or a.suffixed or b.suffixed or lead is not None):
            continue
        if gap[0] == "or" and lead is None:
            continue
        first = a.first
        if lead is not None:
            first = lead
        elif a.first and toks[a.first - 1].text in v["currency_symbols"]:
            first = a.first - 1
        last = b.last
        if last + 1 < len(toks) and toks[last + 1].text in v["currency_words"]:
            last += 1
        take(first, last)
        used.update({id(a), id(b)})
        low, high = min(a.value, b.value), max(a.value, b.value)
        lo_a, hi_a = (a, b) if a.value <= b.value else (b, a)
        said.update({"min": words(lo_a), "max": words(hi_a)})
    for a in amounts:
        if id(a) in used:
            continue
        kind, first, last = None, a.first, a.last
        # The longest cue wins across kinds: "nothing under 50" is a floor, not "under 50".
        before = [(p, n) for n in ("max", "min", "approx") for p in v[f"{n}_before"]]
        for phrase, name in sorted(before, key=lambda pn: len(pn[0]), reverse=True):
            cue = _cue_before(toks, a, [phrase])
            if cue is not None:
                kind, first = name, cue
                break
        if kind is None:
            after = [(p, n) for n in ("max", "min", "approx") for p in v[f"{n}_after"]]
            for phrase, name in sorted(after, key=lambda pn: len(pn[0]), reverse=True):
                cue = _cue_after(toks, a, [phrase])
                # "size 10, max 150 bucks": a cue right before another amount is that one's
                if cue is not None and not _starts_amount(toks, cue + 1, amounts):
                    kind, last = name, cue
                    break
        if kind is None and a.ish:
            kind = "approx"
        before = toks[a.first - 1].text if a.first else ""
        if before in v["currency_symbols"] and a.first > 1:
            before = toks[a.first - 2].text
        if kind is None and (a.currency or a.suffixed) and before not in _STATEMENT_WORDS:
            kind = "max"  # a bare "$50" / "50 bucks" / "1.2k" reads as a cap
        if kind is None:
            continue
        if first == a.first and a.first and toks[a.first - 1].text in v["currency_symbols"]:
            first = a.first - 1
        used.add(id(a))
        if last + 1 < len(toks) and toks[last + 1].text in v["currency_words"]:
            last += 1
        take(first, last)
        if kind == "max" and high is None:
            high = a.value
            said["max"] = words(a)
        elif kind == "min" and low is None:
            low = a.value
            said["min"] = words(a)
        elif kind == "approx" and high is None and low is None:
            lo, hi = v["approx"]
            low, high, approx = round(a.value * lo, 2), round(a.value * hi, 2), True
            said["approx"] = words(a)
    if low is not None and high is not None and low > high:
        low, high = high, low
        said["min"], said["max"] = said.get("max", ""), said.get("min", "")
    rest = text
    for start, end in sorted(spans, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    return Budget(low, high, re.sub(r"\s+", " ", rest).strip(), approx, said)


def units_and_cues() -> set[str]:
    """Every word of the money grammar's vocabulary (cue phrases, units, currency, numbers)."""
    v = _vocab()
    words: set[str] = set(v["units"]) | set(v["currency_words"]) | set(v["numbers"])
    words |= set(v["multipliers"]) | set(v["range_joins"])
    for key in ("max_before", "max_after", "min_before", "min_after", "approx_before"):
        for phrase in v[key]:
            words.update(phrase)
    return words
