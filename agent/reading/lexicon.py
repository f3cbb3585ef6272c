"""What the reader knows about one catalog version: its categories, brands, option values per
category, numeric and yes/no attributes per category, and the words of its titles.

Built from SQL once per catalog version (`Lexicon.for_catalog` keys its cache on the version a
searcher last saw), so a running process picks up a new category after an ingest.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from catalog.constraints import Vocabulary
from catalog.models import Product, Variant, VariantOption
from catalog.normalize import fold, normalize_value
from catalog.service import Catalog

_CACHE: dict[tuple[int, str | None], Lexicon] = {}
_LOCK = threading.Lock()


@dataclass
class Lexicon:
    """The catalog's own words, normalised the way the constraint module normalises them."""

    vocab: Vocabulary
    # category key → option name → {value key: display}
    category_options: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    # category key → numeric attribute keys / yes-no attribute keys
    numeric_attrs: dict[str, set[str]] = field(default_factory=dict)
    flag_attrs: dict[str, set[str]] = field(default_factory=dict)
    title_words: set[str] = field(default_factory=set)
    brand_titles: dict[str, set[str]] = field(default_factory=dict)  # brand key → title words
    # title word → {category key: how many of its products' titles have it}
    word_categories: dict[str, dict[str, int]] = field(default_factory=dict)

    # -- building -------------------------------------------------------------------------

    @classmethod
    def for_catalog(cls, catalog: Catalog) -> Lexicon:
        """The lexicon of the catalog's current version (built once per version)."""
        searcher = catalog.searcher
        searcher.refresh()
        key = (id(catalog.store), getattr(searcher, "_version", None))
        found = _CACHE.get(key)
        if found is not None:
            return found
        with _LOCK:
            found = _CACHE.get(key)
            if found is None:
                found = cls.load(catalog)
                for old in [k for k in _CACHE if k[0] == key[0]]:
                    _CACHE.pop(old, None)
                _CACHE[key] = found
        return found

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
                select(Product.category_norm, Product.attributes, Product.title, Product.brand_norm)
            )
            for category, attrs, title, brand in rows:
                words = set(fold(title).split())
                lex.title_words |= words
                for w in words:
                    counts = lex.word_categories.setdefault(w, {})
                    counts[category] = counts.get(category, 0) + 1
                if brand:
                    lex.brand_titles.setdefault(brand, set()).update(words)
                for k, v in (attrs or {}).items():
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

    def category_of_word(self, word: str) -> str | None:
        """The one category whose titles use `word` ("daypack" → Backpacks), if only one does
        and at least two of its products do."""
        counts = self.word_categories.get(word) or self.word_categories.get(word + "s") or {}
        if len(counts) != 1:
            return None
        key, n = next(iter(counts.items()))
        return self.vocab.categories.get(key) if n >= 2 else None

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
