"""What the reader knows about one catalog version: its categories, brands, option values per
category, numeric and yes/no attributes per category, and the words of its titles.

Built from SQL once per catalog version (`Lexicon.for_catalog` keys its cache on the version a
searcher last saw), so a running process picks up a new category after an ingest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select

from catalog.constraints import Vocabulary
from catalog.models import Product, Variant, VariantOption
from catalog.normalize import fold, normalize_value
from catalog.service import Catalog
from catalog.version_cache import VersionCache

_CACHE: VersionCache[Lexicon] = VersionCache()


@dataclass
class Lexicon:
    """The catalog's own words, normalised the way the constraint module normalises them."""

    vocab: Vocabulary
    # category key → option name → {value key: display}
    category_options: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    # category key → numeric attribute keys / yes-no attribute keys
    numeric_attrs: dict[str, set[str]] = field(default_factory=dict)
    flag_attrs: dict[str, set[str]] = field(default_factory=dict)
    # category key → {normalised text value: (attribute key, display value)}
    text_values: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    title_words: set[str] = field(default_factory=set)
    brand_titles: dict[str, set[str]] = field(default_factory=dict)  # brand key → title words
    # title word → {category key: how many of its products' titles have it}
    word_categories: dict[str, dict[str, int]] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)  # product id → title words
    title_order: dict[str, list[str]] = field(default_factory=dict)  # product id → title, in order
    # the last word of titles (the noun a product is: "... 22L Daypack") → how many
    heads: dict[str, int] = field(default_factory=dict)
    word_titles: dict[str, set[str]] = field(default_factory=dict)  # title word → product ids

    # -- building -------------------------------------------------------------------------

    @classmethod
    def for_catalog(cls, catalog: Catalog) -> Lexicon:
        """The lexicon of the catalog's current version (built once per version)."""
        return _CACHE.get(catalog, lambda: cls.load(catalog))

    @classmethod
    def load(cls, catalog: Catalog) -> Lexicon:
        """Read everything from SQL."""
        vocab = catalog.searcher.vocabulary
        lex = cls(vocab=vocab)
        options: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        numeric: dict[str, set[str]] = defaultdict(set)
        flags: dict[str, set[str]] = defaultdict(set)
        with catalog.store.session() as session:
            rows = session.execute(
                select(
                    Product.category_norm,
                    Product.attributes,
                    Product.title,
                    Product.brand_norm,
                    Product.id,
                )
            )
            for category, attrs, title, brand, pid in rows:
                ordered = fold(title).split()
                words = set(ordered)
                lex.titles[pid] = sorted(words)
                lex.title_order[pid] = ordered
                if ordered:
                    lex.heads[ordered[-1]] = lex.heads.get(ordered[-1], 0) + 1
                for w in words:
                    lex.word_titles.setdefault(w, set()).add(pid)
                lex.title_words |= words
                for w in words:
                    counts = lex.word_categories.setdefault(w, {})
                    counts[category] = counts.get(category, 0) + 1
                if brand:
                    lex.brand_titles.setdefault(brand, set()).update(words)
                for k, v in (attrs or {}).items():
                    if isinstance(v, str) and len(v.replace(" ", "")) >= 5:
                        values = lex.text_values.setdefault(category, {})
                        values.setdefault(normalize_value(v), (k, v))
                    if isinstance(v, bool):
                        flags[category].add(k)
                    elif isinstance(v, int | float):
                        numeric[category].add(k)
            pairs = session.execute(
                select(
                    Product.category_norm,
                    VariantOption.name,
                    VariantOption.value_norm,
                    VariantOption.value,
                )
                .join(Variant, Variant.product_id == Product.id)
                .join(VariantOption, VariantOption.variant_id == Variant.id)
                .distinct()
            )
            for category, name, norm, display in pairs:
                options[category][name][norm] = display
        lex.category_options = {c: dict(v) for c, v in options.items()}
        lex.numeric_attrs = dict(numeric)
        lex.flag_attrs = dict(flags)
        return lex

    # -- questions the reader asks --------------------------------------------------------

    def category_key(self, display: str) -> str:
        """The normalised key of a category display name."""
        return normalize_value(display)

    def options_of(self, categories: list[str]) -> dict[str, dict[str, str]]:
        """Option values of the given categories (every category when none is given)."""
        if not categories:
            return self.vocab.options
        out: dict[str, dict[str, str]] = defaultdict(dict)
        for c in categories:
            for name, values in self.category_options.get(self.category_key(c), {}).items():
                out[name].update(values)
        return dict(out)

    def numeric_of(self, categories: list[str]) -> set[str]:
        """Numeric attribute keys of the given categories (all when none is given)."""
        keys = [self.category_key(c) for c in categories] or list(self.numeric_attrs)
        return set().union(*(self.numeric_attrs.get(k, set()) for k in keys)) if keys else set()

    def flags_of(self, categories: list[str]) -> set[str]:
        """Yes/no attribute keys of the given categories (all when none is given)."""
        keys = [self.category_key(c) for c in categories] or list(self.flag_attrs)
        return set().union(*(self.flag_attrs.get(k, set()) for k in keys)) if keys else set()

    def names_a_product(self, word: str) -> bool:
        """Whether titles end with `word` (it is what a product is, "daypack"), at least two."""
        return self.heads.get(word, 0) + self.heads.get(word + "s", 0) >= 2

    def category_of_word(self, word: str) -> str | None:
        """The one category whose titles use `word` ("daypack" → Backpacks), if only one does
        and at least two of its products do."""
        counts = self.word_categories.get(word) or self.word_categories.get(word + "s") or {}
        if len(counts) != 1:
            return None
        key, n = next(iter(counts.items()))
        return self.vocab.categories.get(key) if n >= 2 else None

    @cached_property
    def value_words(self) -> set[str]:
        """Words of text attribute values ("backpacking", "merino")."""
        return {w for values in self.text_values.values() for norm in values for w in norm.split()}

    @cached_property
    def numeric_ids(self) -> bool:
        """Whether products have plain numbers as ids (DummyJSON: "product 12")."""
        return any(pid.isdigit() for pid in self.titles)

    def named(self, words: list[str], min_share: float = 0.6) -> str | None:
        """The product whose title the words name ("the Essence Mascara Lash Princess"): most
        of its title's words are there, at least two, and more of them than of any other."""
        said = set(words)
        counts: dict[str, int] = {}
        for w in said:
            ids = self.word_titles.get(w)
            if ids and len(ids) <= 300:  # a word most titles share names nothing
                for pid in ids:
                    counts[pid] = counts.get(pid, 0) + 1
        # a brand, a kind and a feature ("Kestrel Audio waterproof earbuds") name a product
        # line, not a product: at least one word must be the product's own (a model name: a
        # word few titles use)
        qualities = self.quality_words()
        own = {
            w
            for w in said - self.generic_words
            if w not in qualities or len(self.word_titles.get(w, ())) <= 15
        }
        best: tuple[float, int, int, str] | None = None
        for pid, n in counts.items():
            share = n / max(1, len(self.titles[pid]))
            if n < 2 or share < min_share or not own & set(self.titles[pid]):
                continue
            # a title written as it is ("Halden Block Bluetooth Speaker") beats one whose
            # words are merely there ("... Block Waterproof Bluetooth Speaker" for "is the
            # Halden Block Bluetooth Speaker waterproof?")
            key = (share, _run(words, self.title_order.get(pid, [])), n)
            if best is None or key > best[:3]:
                best = (*key, pid)
        return best[3] if best else None

    @cached_property
    def generic_words(self) -> set[str]:
        """Words that name a brand or a kind of product, not one product."""
        words: set[str] = set()
        for key in [*self.vocab.categories, *self.vocab.brands]:
            words.update(key.split())
        for display in [*self.vocab.categories.values(), *self.vocab.brands.values()]:
            words.update(fold(display).split())
        words |= {w + "s" for w in list(words)}
        return words

    def quality_words(self) -> set[str]:
        """Words that qualify a product rather than name one: yes/no features, text values of
        attributes, option values ("waterproof", "over ear", "merino", "black")."""
        return self._qualities

    @cached_property
    def _qualities(self) -> set[str]:
        words = set(self.value_words)
        for keys in self.flag_attrs.values():
            for k in keys:
                words.update(k.split("_"))
        for values in self.vocab.options.values():
            for key in values:
                words.update(key.split())
        return words

    def known_words(self) -> set[str]:
        """Every word a typo may be corrected to: category, brand, option and title words."""
        words = set(self.title_words)
        for key in [*self.vocab.categories, *self.vocab.brands]:
            words.update(key.split())
        for display in self.vocab.categories.values():
            words.update(fold(display).split())
        for k in set().union(*self.flag_attrs.values()) if self.flag_attrs else set():
            words.update(k.split("_"))
        return {w for w in words if w.isalpha()}


def _run(words: list[str], title: list[str]) -> int:
    """The longest stretch of the title's words that the message has in the same order."""
    best = 0
    for i in range(len(words)):
        for j in range(len(title)):
            k = 0
            while i + k < len(words) and j + k < len(title) and words[i + k] == title[j + k]:
                k += 1
            best = max(best, k)
    return best
