"""The deterministic reading of one shopper message: the one reader.

It fills the shopper-state record for every model (agent/understand.py) and is what the offline
engine understands a message with, so a phrase means the same thing whichever model answers.
It reads only what is said — budget (the money grammar), categories, brands wanted and
excluded, excluded words, options, numeric and yes/no attributes, stock, relations to what was
shown ("cheaper", "more like", "others"), references ("the second one", "it") and explicit
changes ("forget the budget", "any size", "start over") — using the catalog's own vocabulary,
with typo correction towards it. It never guesses: a word that matches nothing is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from agent.reading import phrases as ph
from agent.reading.attributes import flag_wants, numeric_wants, text_wants
from agent.reading.lexicon import Lexicon
from agent.reading.options import norm_words as _norm_words
from agent.reading.options import read_options
from agent.tokens import is_common_word
from catalog.normalize import normalize_value
from catalog.query_text import Budget, parse_budget, units_and_cues
from catalog.store import STOPWORDS
from tools.request import AttributeWant, RelationKind

_ID_RE = re.compile(r"\b[A-Za-z]{2,6}-\d{2,}\b")
_NUM_IDS_RE = re.compile(
    r"\b(?:products?|items?|ids?|skus?)\s*(?:#|no\.?|number)?\s*(\d+)"
    r"((?:\s*(?:,|and|&|or|vs\.?|versus)\s*(?:#|products?|items?)?\s*\d+)*)",
    re.I,
)
_NAME_SPLIT_RE = re.compile(r"\bvs\.?|\bversus\b|\bor\b|\band\b|,|\bwith\b|\bthan\b", re.I)
_QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”")
_QUESTION_START = re.compile(
    r"^\s*(?:is|are|does|do|did|can|could|will|would|how|which|what|whats|what's|why|when|where"
    r"|has|have|tell me)\b",
    re.I,
)
# Words after a category name that make it a modifier ("laptop bag", "phone case").
_MODIFIED_OK = frozenset({"one", "ones", "please", "thanks", "too", "also", "again", "instead"})


@dataclass
class Reading:
    """What one message says. Empty fields mean "not said"."""

    text: str
    words: list[str] = field(default_factory=list)  # folded, typo-corrected
    budget: Budget = field(default_factory=lambda: Budget(None, None, ""))
    categories: list[str] = field(default_factory=list)  # display names, any of
    category_hints: list[str] = field(default_factory=list)  # weak: "a jacket for skiing"
    brands: list[str] = field(default_factory=list)
    exclude_brands: list[str] = field(default_factory=list)
    exclude_terms: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    attributes: list[AttributeWant] = field(default_factory=list)
    in_stock: bool | None = None  # True "in stock only", False "out of stock is fine"
    relation: RelationKind | None = None
    ordinals: list[int] = field(default_factory=list)  # 1-based; -1 is "the last one"
    pronoun: bool = False
    question: bool = False
    clear_budget: bool = False
    clear_options: set[str] = field(default_factory=set)
    clear_brand: bool = False
    reset: bool = False
    ids: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)  # words for the thing wanted
    unknown_names: list[str] = field(default_factory=list)  # "compare the X vs the Y": no Y

    @property
    def refers_to_shown(self) -> bool:
        """It points at cards already shown ("the second one", "it", "both")."""
        return bool(self.ordinals) or self.pronoun


def read(text: str, lex: Lexicon, context: Sequence[str] = ()) -> Reading:
    """Read one message against the catalog's lexicon; never raises on odd input.

    `context`: the categories the conversation is about before this message; a message that
    names none ("black", "over-ear ones only") reads its options and attributes in them."""
    text = (text or "")[:2000]
    r = Reading(text=text)
    # Quoted text is mentioned, not meant: 'say "no charge"' states no budget and no exclusion.
    meant = _QUOTED_RE.sub(" ", text)
    r.budget = parse_budget(meant)
    raw = ph.words_of(meant)
    # words the catalog itself uses are never "corrected" ("backpacking" is no "backpack")
    protected = set(STOPWORDS) | ph.cue_words() | units_and_cues() | lex.title_words
    protected |= lex.value_words
    targets = _typo_targets(lex)
    r.words = ph.correct_typos(raw, targets, protected | ph.filler(), is_common_word)
    c = ph.cues()
    w = r.words
    r.question = "?" in text or bool(_QUESTION_START.search(text))
    if r.question and _proposes(w, c["proposal"]):
        r.question = False  # "what about something for ...?" asks for a thing, not about one
    r.ids = list(dict.fromkeys(_ID_RE.findall(text)))
    if lex.numeric_ids:
        for m in _NUM_IDS_RE.finditer(text):
            r.ids += [m.group(1), *re.findall(r"\d+", m.group(2) or "")]
        r.ids = list(dict.fromkeys(r.ids))
    if not r.ids:
        r.ids, r.unknown_names = _named(text, lex)
    r.reset = ph.any_of(w, c["reset"])
    r.clear_budget = ph.any_of(w, c["clear_budget"])
    r.clear_brand = ph.any_of(w, c["clear_brand"])
    r.clear_options = {name for name, p in c["clear_option"].items() if ph.any_of(w, p)}
    if ph.any_of(w, c["in_stock_off"]):
        r.in_stock = False
    elif ph.any_of(w, c["in_stock_on"]):
        r.in_stock = True
    r.ordinals = _ordinals(text, w)
    r.pronoun = ph.any_of(w, c["pronouns"])
    r.relation = _relation(w, r.question)
    r.categories, r.category_hints = _categories(w, lex)
    _brands(r, lex)
    about = r.categories or [c for c in context if c]
    r.options = read_options(r.words, about, r.budget.max_price is not None, lex)
    r.content = _content(r)
    if not (r.question and r.refers_to_shown):
        r.attributes = numeric_wants(text, lex, about)
        r.attributes += flag_wants(w, lex, about)
        if about:
            r.attributes += text_wants(w, lex, about)
    return r


def _named(text: str, lex: Lexicon) -> tuple[list[str], list[str]]:
    """Products named by their title, one per part of a comparison ("the X vs the Y"), and
    the parts that read like a product's name but name none."""
    parts = [p for p in _NAME_SPLIT_RE.split(text) if len(p.split()) >= 2]
    if len(parts) > 1:
        matched = [(p, lex.named(ph.words_of(p))) for p in parts]
        found = [pid for _, pid in matched if pid]
        if found:
            missing = [_name_of(p) for p, pid in matched if not pid and _name_like(p)]
            if len(found) >= 2 or missing:
                return list(dict.fromkeys(found)), [m for m in missing if m]
    whole = lex.named(ph.words_of(text))
    return ([whole] if whole else []), []


def _name_like(part: str) -> bool:
    """Typed like a product's name: two words or more, capitalised."""
    caps = [w for w in re.findall(r"[A-Za-z][\w'-]*", part) if w[:1].isupper()]
    return len(caps) >= 2


def _name_of(part: str) -> str:
    """The name in a part of a comparison, without its lead-in ("which is better: the ...")."""
    part = part.split(":")[-1]
    part = re.sub(
        r"^\s*(?:compare|the|a|an|which is better|is|or|vs\.?)\s+", "", part.strip(), flags=re.I
    )
    part = re.sub(r"^\s*(?:the|a|an)\s+", "", part, flags=re.I)
    return part.strip(" ?!.\"'")


def _content(r: Reading) -> list[str]:
    """The words for the thing wanted: no budget, options, brands, cues, people or occasions."""
    skip = set(STOPWORDS) | ph.filler() | ph.cue_words() | units_and_cues()
    for value in [*r.options.values(), *r.brands, *r.exclude_brands, *r.exclude_terms]:
        skip |= set(ph.words_of(value))
    money = set(ph.words_of(r.text)) - set(ph.words_of(r.budget.text))
    return [
        w for w in r.words if w not in skip and w not in money and len(w) > 1 and not w.isdigit()
    ]


def _typo_targets(lex: Lexicon) -> set[str]:
    words: set[str] = set()
    for key in [*lex.vocab.categories, *lex.vocab.brands]:
        words.update(key.split())
    for values in lex.vocab.options.values():
        for key in values:
            words.update(key.split())
    for keys in lex.flag_attrs.values():
        for k in keys:
            words.update(k.split("_"))
    return {x for x in words if len(x) >= 4 and x.isalpha()}


def _ordinals(text: str, words: list[str]) -> list[int]:
    c = ph.cues()
    found: list[tuple[int, list[int]]] = []
    for n, phrases in c["groups"].items():
        found += [(h.start, list(range(1, n + 1))) for h in ph.find(words, phrases)]
    if not found:
        for n, phrases in c["ordinals"].items():
            found += [(h.start, [n]) for h in ph.find(words, phrases)]
    for m in ph.ORDINAL_SIGN_RE.finditer(text):
        digit = next(g for g in m.groups() if g)
        found.append((m.start() // 6, [int(digit)]))
    out: list[int] = []
    for _, ns in sorted(found):
        out += [n for n in ns if n not in out]
    return out


def _relation(words: list[str], question: bool) -> RelationKind | None:
    rel = ph.cues()["relation"]
    joined = " ".join(words)
    for kind in ("cheaper", "similar", "different"):
        hits = ph.find(words, rel[kind])
        if not hits:
            continue
        # "which is cheaper?" compares what was shown; it asks for nothing new
        if kind == "cheaper" and question and re.search(r"\bwhich\b", joined):
            continue
        return kind  # type: ignore[return-value]
    return None


def _categories(words: list[str], lex: Lexicon) -> tuple[list[str], list[str]]:
    """Categories named by their full name, else by their head word when only one has it;
    and weak hints: a head word said with words the catalog does not use to qualify it ("a
    jacket for skiing" may be no rain jacket), which are no requirement.

    A name used as a modifier ("laptop bag", "a case for my phone") is not a request for it.
    """
    norm = _norm_words(words)
    found: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    keys = sorted(lex.vocab.categories, key=lambda k: len(k.split()), reverse=True)
    for key in keys:
        glued = key.replace(" ", "")
        for i in range(len(norm)):
            for n in (3, 2, 1):
                window = " ".join(norm[i : i + n])
                if i + n > len(norm) or taken & set(range(i, i + n)):
                    continue
                if window == key or window.replace(" ", "") == glued:
                    found.append((i, i + n, lex.vocab.categories[key]))
                    taken.update(range(i, i + n))
                    break
    weak = False
    if not found:
        heads: dict[str, list[str]] = {}
        for key in lex.vocab.categories:
            heads.setdefault(key.split()[-1], []).append(key)
        for i, x in enumerate(norm):
            x = x.split()[-1] if x else x
            if x in heads and len(heads[x]) == 1 and i not in taken:
                found.append((i, i + 1, lex.vocab.categories[heads[x][0]]))
                taken.add(i)
        weak = bool(found) and _unqualified(words, taken, lex)
    if not found:
        # a word only one category's titles use ("daypack" → Backpacks)
        options = _option_words(lex)
        for i, x in enumerate(words):
            if len(x) < 4 or x in STOPWORDS or x in options or i in taken:
                continue
            if x in ph.cue_words() or any(x in k.split("_") for k in lex.flags_of([])):
                continue
            display = lex.category_of_word(x)
            if display is not None:
                # a word only one category's titles use: the noun its products are called
                # ("daypack": Backpacks) names it; any other word ("warm": Extra Warm
                # Duvets) only hints at it, as the shopper named no category
                found.append((i, i + 1, display))
                weak = not lex.names_a_product(x)
                break
    out: list[str] = []
    for start, end, display in sorted(found):
        if _is_modifier(words, start, end, lex):
            continue
        if display not in out:
            out.append(display)
    return ([], out) if weak else (out, [])


def _proposes(words: list[str], proposals: list[tuple[str, ...]]) -> bool:
    """The message opens with a proposal cue (after a greeting or "and", "ok", "so")."""
    start = 0
    while start < len(words) and words[start] in _OPENERS:
        start += 1
    return any(tuple(words[start : start + len(p)]) == p for p in proposals)


_LIST_JOINERS = frozenset({"or", "nor", "and", ",", "&"})
_OPENERS = frozenset({"and", "ok", "okay", "so", "hmm", "well", "hi", "hey", "thanks", "then"})


def _unqualified(words: list[str], taken: set[int], lex: Lexicon) -> bool:
    """Other content words that are no quality, option, brand or filler of the catalog."""
    skip = set(STOPWORDS) | ph.filler() | ph.cue_words() | units_and_cues() | lex.quality_words()
    brand_words = {w for key in lex.vocab.brands for w in key.split()}
    return any(
        w not in skip and w not in brand_words and len(w) > 2 and not w.isdigit()
        for i, w in enumerate(words)
        if i not in taken
    )


_POSSESSIVE = frozenset({"my", "your", "his", "her", "our", "their"})


def _is_modifier(words: list[str], start: int, end: int, lex: Lexicon) -> bool:
    # "a case for my phone", "my laptop is slow": a thing the shopper has, not one they want
    if start and words[start - 1] in _POSSESSIVE:
        return True
    if end < len(words):
        nxt = words[end]
        if nxt in STOPWORDS or nxt in _MODIFIED_OK or not nxt.isalpha():
            return False
        if nxt in ph.cue_words() or nxt in units_and_cues():
            return False
        known = set(lex.title_words)
        flags = {p for keys in lex.flag_attrs.values() for k in keys for p in k.split("_")}
        # "hiking boots waterproof" keeps the category; "laptop bag" does not
        return nxt in known and nxt not in flags and nxt not in _option_words(lex)
    return False


def _option_words(lex: Lexicon) -> set[str]:
    return {w for values in lex.vocab.options.values() for key in values for w in key.split()}


def _brands(r: Reading, lex: Lexicon) -> None:
    c = ph.cues()
    norm = _norm_words(r.words)
    keys = sorted(lex.vocab.brands, key=lambda k: len(k.split()), reverse=True)
    taken: set[int] = set()
    found: list[tuple[int, int, str, bool]] = []  # (start, end, brand, excluded)
    for key in keys:
        parts = key.split()
        n = len(parts)
        if len(key) < 3:
            continue
        for i in range(len(norm) - n + 1):
            if norm[i : i + n] != parts or taken & set(range(i, i + n)):
                continue
            taken.update(range(i, i + n))
            excluded = ph.ends_before(r.words, i, c["exclude_before"], gap=3) or ph.starts_after(
                r.words, i + n, c["exclude_after"]
            )
            found.append((i, i + n, lex.vocab.brands[key], excluded))
    found.sort()
    for k, (start, _end, display, excluded) in enumerate(found):
        # "not Northfold or Ridgeline": a brand listed after an excluded one is excluded too
        if not excluded and k and found[k - 1][3]:
            between = r.words[found[k - 1][1] : start]
            excluded = bool(between) and all(w in _LIST_JOINERS for w in between)
            found[k] = (start, _end, display, excluded)
        target = r.exclude_brands if excluded else r.brands
        if display not in target:
            target.append(display)
    # "no iPhones": an excluded word that is no brand but is in product titles
    for hit in ph.find(r.words, c["exclude_before"]):
        for j in range(hit.end, min(hit.end + 3, len(r.words))):
            word = r.words[j]
            if j in taken or word in STOPWORDS or word in ph.cue_words():
                continue
            single = normalize_value(word)
            if single in lex.title_words or word in lex.title_words:
                term = _category_phrase(r.words[j : j + 3], lex) or (
                    single if single in lex.title_words else word
                )
                if term not in r.exclude_terms:
                    r.exclude_terms.append(term)
            break
    if r.question and r.refers_to_shown:
        r.brands = []  # "is the Sonavo one better?" asks about a card; it sets no brand
    if r.exclude_terms:  # "he already has a headlamp": headlamps are ruled out, not asked for
        # "he already has a headlamp": Headlamps is what is ruled out, not what is wanted
        r.categories = [c for c in r.categories if not names_ruled_out(c, r.exclude_terms)]


def names_ruled_out(category: str, terms: Iterable[str]) -> bool:
    """Whether a ruled-out term is the category's name or one of its words ("sleeping bag",
    "headlamp", "mat"), singular or plural."""
    words = [w.removesuffix("s") for w in normalize_value(category).split()]
    ruled = {normalize_value(t).removesuffix("s") for t in terms if t}
    return bool(ruled & ({" ".join(words)} | set(words)))


def _category_phrase(words: list[str], lex: Lexicon) -> str | None:
    """The category a ruled-out phrase names, singular ("a yoga mat" → "yoga mat", so yoga
    blocks stay in), when its first two or three words are a category's name."""
    for n in (3, 2):
        if len(words) < n:
            continue
        phrase = normalize_value(" ".join(words[:n]))
        for key in lex.vocab.categories:
            if phrase in (key, key.removesuffix("s")):
                return key.removesuffix("s")
    return None


def _is_category_word(word: str, lex: Lexicon) -> bool:
    return any(word in key.split() for key in lex.vocab.categories)
