"""Options a shopper message asks for ("size 10", "in black", "a clicky keyboard"), read
against the option values of the categories it names (or of the whole catalog)."""

from __future__ import annotations

import re

from agent.reading import phrases as ph
from agent.reading.lexicon import Lexicon
from catalog.normalize import normalize_value
from catalog.store import STOPWORDS


def norm_words(words: list[str]) -> list[str]:
    """Each word as the catalog normalizes option values."""
    return [normalize_value(x) or x for x in words]


def read_options(
    words: list[str], categories: list[str], has_cap: bool, lex: Lexicon
) -> dict[str, str]:
    """Sizes and colours, and other options named with their option name or "in …", or by a
    value only one of the named category's options has ("clicky", "induction")."""
    c = ph.cues()
    available = lex.options_of(categories)
    found: dict[str, str] = {}
    sizes = available.get("size", {})
    joined = " " + " ".join(words) + " "
    # "size 10", "size 10 in", "in size Full/Queen": the longest size value after "size"
    for key in sorted(sizes, key=len, reverse=True):
        spelled = " ".join(ph.words_of(key))
        if f" size {spelled} " in joined or f" size {key} " in joined:
            found["size"] = sizes[key]
            break
    if "size" not in found and sizes:
        for letter, phrases in c["size_words"].items():
            if letter in sizes and ph.any_of(words, phrases):
                hit = ph.find(words, phrases)[0]
                lead = ph.ends_before(words, hit.start, c["option_lead"], gap=1)
                if lead or categories or hit.end < len(words) and words[hit.end] == "size":
                    found["size"] = sizes[letter]
                    break
    if "size" not in found and sizes:
        m = re.search(r"\b(?:wear|im|i am|in) (?:a |an |size )?(\d+(?:\.\d)?)\b", " ".join(words))
        if m and normalize_value(m.group(1)) in sizes and not has_cap:
            found["size"] = sizes[normalize_value(m.group(1))]
    if "size" not in found and sizes and (categories or ph.any_of(words, c["option_lead"])):
        found.update(_size_by_word(words, sizes))
    norm = " " + " ".join(norm_words(words)) + " "
    if categories:
        found.update(_yes_no(norm, available))
    for name, values in available.items():
        if name in found or name == "size":
            continue
        best: tuple[int, str] | None = None
        for key, display in values.items():
            if not key or len(key) < 3 or f" {key} " not in norm:
                continue
            strong = name in ("color", "colour") and (categories or _led(words, key, c))
            named = f" {key} {normalize_value(name)} " in norm or f" {name} {key} " in norm
            ok = strong or named or (_led(words, key, c) and name in ("color", "colour"))
            # a value only this option of the named category has ("clicky", "induction",
            # "1000ml"): naming it asks for it
            ok = ok or bool(categories) and _distinct(key, name, available, lex)
            if ok and (best is None or len(key) > best[0]):
                best = (len(key), display)
        if best:
            found[name] = best[1]
        elif name in ("color", "colour") and (categories or _led_any(words, c)):
            # "a gray coat" where the catalog says "Heather Gray": the word itself, which the
            # constraint module resolves to every value containing it
            everywhere = {**lex.vocab.options.get(name, {}), **values}  # "gray" is asked even
            value_words = {w for key in everywhere for w in key.split() if len(w) >= 3}
            value_words -= c["color_modifiers"]
            hit = next(
                (w for w in norm_words(words) if w in value_words and w not in STOPWORDS), None
            )
            if hit and hit not in ph.cue_words():
                found[name] = hit
    return found


def _distinct(key: str, name: str, available: dict[str, dict[str, str]], lex: Lexicon) -> bool:
    """A value that says itself: long or with a digit, no common or catalog word, and a
    value of no other option (colours are read above, by their own rules)."""
    if name in ("color", "colour") or key in STOPWORDS or key in ph.cue_words():
        return False
    if len(key) < 5 and not any(ch.isdigit() for ch in key):
        return False
    if any(key in values for other, values in available.items() if other != name):
        return False
    return not set(key.split()) & lex.generic_words


_NEGATIONS = frozenset({"no", "not", "non", "without", "nothing"})


def _yes_no(norm: str, available: dict[str, dict[str, str]]) -> dict[str, str]:
    """Options whose values are yes and no, asked by their name ("waterproof boots": waterproof
    yes; "water resistant speaker": water resistance yes; "not waterproof": no)."""
    found: dict[str, str] = {}
    for name, values in available.items():
        if set(values) != {"yes", "no"}:
            continue
        key = normalize_value(name.replace("_", " "))
        spoken = {key}
        if key.endswith(" resistance"):
            stem = key.removesuffix(" resistance")
            spoken |= {f"{stem} resistant", f"{stem}proof", f"{stem} proof"}
        for phrase in spoken:
            at = norm.find(f" {phrase} ")
            if at < 0:
                continue
            before = norm[:at].split()[-1:]
            found[name] = values["no" if set(before) & _NEGATIONS else "yes"]
            break
    return found


def _size_by_word(words: list[str], sizes: dict[str, str]) -> dict[str, str]:
    """A size named without the word "size": a distinctive value ("32x32") or one part of a
    combined value ("queen" of "Full/Queen")."""
    said = set(words)
    for key, display in sorted(sizes.items(), key=lambda kv: -len(kv[0])):
        distinct = any(ch.isdigit() for ch in key) and any(
            c.isalpha() for c in key.replace(" in", "")
        )
        if distinct and key in said:
            return {"size": display}
        parts = [p for p in re.split(r"[/ ]", key) if len(p) >= 3 and p.isalpha()]
        if parts and any(p in said for p in parts) and key not in ("small", "large", "medium"):
            return {"size": display}
    return {}


def _led_any(words: list[str], c: dict) -> bool:
    return any(ph.ends_before(words, i, c["option_lead"], gap=0) for i in range(len(words)))


def _led(words: list[str], key: str, c: dict) -> bool:
    parts = key.split()
    norm = norm_words(words)
    for i in range(len(norm) - len(parts) + 1):
        if norm[i : i + len(parts)] == parts:
            if ph.ends_before(words, i, c["option_lead"], gap=1):
                return True
            if i + len(parts) < len(words) and words[i + len(parts)] in ("one", "ones"):
                return True
    return False
