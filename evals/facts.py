"""Product facts as the graders and the scenario checker see them, and the rules that match them.

Facts come from the catalog's SQL (graders, after a run) or from the catalog file through the
catalog layer's readers (the checker, before a run); both build the same `ProductFact`, so a
scenario that the checker calls satisfiable is judged by the same rules after the run. No agent
or tools code is imported: an engine bug cannot hide inside a shared checker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, selectinload

from catalog import normalize
from catalog.models import Product
from evals.expect import AttrBound, ConstraintSpec

# The same catalog words are compared thousands of times per scenario check: memoise them.
fold = lru_cache(maxsize=1 << 16)(normalize.fold)
normalize_value = lru_cache(maxsize=1 << 16)(normalize.normalize_value)
normalize_option_name = lru_cache(maxsize=4096)(normalize.normalize_option_name)


@dataclass
class VariantFact:
    id: str
    options: dict[str, str]
    price: float
    stock: int | None
    in_stock: bool


@dataclass
class ProductFact:
    id: str
    title: str
    brand: str | None
    category: str
    category_norm: str
    attributes: dict[str, Any]
    price_min: float
    price_max: float
    in_stock: bool
    variants: list[VariantFact] = field(default_factory=list)
    rating: float | None = None
    description: str = ""

    def variant(self, variant_id: str | None) -> VariantFact | None:
        return next((v for v in self.variants if v.id == variant_id), None)


def fact_from_row(p: Product) -> ProductFact:
    """A ProductFact from a `catalog.models.Product` row (persisted or built by `to_row`)."""
    return ProductFact(
        id=p.id,
        title=p.title,
        brand=p.brand,
        category=p.category,
        category_norm=p.category_norm,
        attributes=dict(p.attributes or {}),
        price_min=float(p.price_min),
        price_max=float(p.price_max),
        in_stock=bool(p.in_stock),
        rating=float(p.rating) if p.rating is not None else None,
        description=p.description or "",
        variants=[
            VariantFact(
                id=v.id,
                options={str(k): str(val) for k, val in (v.options or {}).items()},
                price=float(v.price),
                stock=v.stock,
                in_stock=bool(v.available) and (v.stock is None or v.stock > 0),
            )
            for v in p.variants
        ],
    )


class CatalogFacts:
    """Read-only product facts straight from SQL, cached per product."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self._cache: dict[str, ProductFact | None] = {}

    def product(self, product_id: str) -> ProductFact | None:
        if product_id not in self._cache:
            self.load([product_id])
        return self._cache.get(product_id)

    def load(self, ids: list[str]) -> None:
        missing = [i for i in dict.fromkeys(ids) if i not in self._cache]
        if not missing:
            return
        with Session(self.engine) as session:
            rows = session.scalars(
                select(Product)
                .where(Product.id.in_(missing))
                .options(selectinload(Product.variants))
            ).all()
            for p in rows:
                self._cache[p.id] = fact_from_row(p)
        for i in missing:
            self._cache.setdefault(i, None)

    def titles(self) -> dict[str, str]:
        """Every product id with its folded title (for spotting products named in a reply)."""
        with Session(self.engine) as session:
            return {pid: fold(t) for pid, t in session.execute(select(Product.id, Product.title))}

    def categories(self) -> list[str]:
        """Every distinct category name."""
        with Session(self.engine) as session:
            return sorted(set(session.scalars(select(Product.category))))

    def all_ids(self) -> set[str]:
        with Session(self.engine) as session:
            return set(session.scalars(select(Product.id)))


@lru_cache(maxsize=16)
def facts_for(url: str) -> CatalogFacts:
    """One facts reader per catalog URL (process-wide)."""
    return CatalogFacts(url)


@lru_cache(maxsize=16)
def _title_index(url: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(facts_for(url).titles().items()))


def products_named(url: str, reply: str) -> list[str]:
    """Ids of the catalog products whose full title the reply contains, in reply order."""
    folded = fold(reply)
    found = [
        (folded.find(title), pid)
        for pid, title in _title_index(url)
        if len(title) > 6 and title in folded
    ]
    return [pid for _, pid in sorted(found)]


# --------------------------------------------------------------------------------------------
# Matching rules
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def words_match(expected: str, actual: str | None) -> bool:
    """Forgiving word containment after normalize_value ("hiking boots" ~ "Hiking Boots")."""
    want = normalize_value(expected)
    if not want:
        return True
    have = normalize_value(actual or "")
    if not have:
        return False
    if set(want.split()) <= set(have.split()):
        return True
    return want.replace(" ", "") in have.replace(" ", "")


def category_matches(expected: str, product: ProductFact) -> bool:
    return words_match(expected, product.category) or words_match(expected, product.category_norm)


def _option_value(product: ProductFact, variant: VariantFact | None, name: str) -> Any:
    key = normalize_option_name(name)
    for k, v in (variant.options if variant else {}).items():
        if normalize_option_name(k) == key:
            return v
    for k, v in product.attributes.items():
        if normalize_option_name(k) == key and isinstance(v, str | int | float | bool):
            return v
    return None


def option_matches(product: ProductFact, variant: VariantFact, name: str, value: str) -> bool:
    have = _option_value(product, variant, name)
    if have is None:
        return False
    have = str(have)
    if normalize_value(have) == normalize_value(value):
        return True
    return set(normalize_value(value).split()) <= set(normalize_value(have).split())


_NUMBER_RE = re.compile(r"-?\d+(?:[.,]\d+)?")


def as_number(value: Any) -> float | None:
    """A number from an attribute value: 40, "40", "1000ml", "20 lb", "-10" (None: not numeric)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        found = _NUMBER_RE.search(value.replace(",", ""))
        return float(found.group()) if found else None
    return None


def as_truth(value: Any) -> bool:
    """Whether an attribute value means "yes" (True, "yes", "IPX7", 30) or "no" (False, None)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | float):
        return value != 0
    return fold(str(value)) not in {"", "no", "none", "false", "0", "n a", "not"}


def bound_failure(value: Any, bound: AttrBound) -> str | None:
    """Why `value` misses `bound` (None: it meets it)."""
    if value is None:
        return "missing"
    if bound.equals is not None:
        if isinstance(bound.equals, bool):
            return None if as_truth(value) == bound.equals else f"{value!r} is not {bound.equals}"
        want = bound.equals
        if isinstance(want, int | float):
            got = as_number(value)
            return None if got is not None and abs(got - want) < 1e-9 else f"{value!r} != {want}"
        if normalize_value(str(value)) == normalize_value(str(want)) or words_match(
            str(want), str(value)
        ):
            return None
        return f"{value!r} is not {want!r}"
    number = as_number(value)
    if number is None:
        return f"{value!r} is not a number"
    low, high = bound.interval()
    if low is not None and number < low - 1e-9:
        return f"{number:g} < {low:g}"
    if high is not None and number > high + 1e-9:
        return f"{number:g} > {high:g}"
    return None


def variant_failures(product: ProductFact, variant: VariantFact, c: ConstraintSpec) -> list[str]:
    """Why `variant` misses the price/options/stock/attribute part of `c` (empty: it fits)."""
    why: list[str] = []
    if c.max_price is not None and variant.price > c.max_price + 1e-9:
        why.append(f"price {variant.price:.2f} > {c.max_price:g}")
    if c.min_price is not None and variant.price < c.min_price - 1e-9:
        why.append(f"price {variant.price:.2f} < {c.min_price:g}")
    if c.in_stock and not variant.in_stock:
        why.append("out of stock")
    for name, value in c.options.items():
        if not option_matches(product, variant, name, value):
            have = _option_value(product, variant, name)
            why.append(f"{name}={have!r} not {value!r}")
    for name, bound in c.attributes.items():
        problem = bound_failure(_option_value(product, variant, name), bound)
        if problem:
            why.append(f"{name}: {problem} (wanted {bound.describe()})")
    return why


def _needs_variant(c: ConstraintSpec) -> bool:
    return bool(
        c.max_price is not None
        or c.min_price is not None
        or c.in_stock
        or c.options
        or c.attributes
    )


def product_level_failures(product: ProductFact, c: ConstraintSpec) -> list[str]:
    """Why the product itself (not a variant) breaks `c`: category, brand, exclusions, rating."""
    why: list[str] = []
    if c.category and not category_matches(c.category, product):
        why.append(f"category {product.category!r} is not {c.category!r}")
    if c.categories and not any(category_matches(x, product) for x in c.categories):
        why.append(f"category {product.category!r} is none of {c.categories}")
    if c.brand and not words_match(c.brand, product.brand):
        why.append(f"brand {product.brand!r} is not {c.brand!r}")
    for brand in c.exclude_brands:
        if product.brand and words_match(brand, product.brand):
            why.append(f"brand {product.brand!r} is excluded")
    for term in c.exclude_terms:
        want = fold(term)
        if want and (want in fold(product.title) or words_match(term, product.category)):
            why.append(f"{term!r} is excluded ({product.title!r})")
    if c.min_rating is not None and (product.rating or 0.0) < c.min_rating - 1e-9:
        why.append(f"rating {product.rating} < {c.min_rating:g}")
    return why


def product_failures(
    product: ProductFact, c: ConstraintSpec, variant_id: str | None = None
) -> list[str]:
    """Why the product does not satisfy `c`; one variant must meet price+options+stock+attrs.

    With `variant_id` (the variant the shopper was shown) that very variant must meet them.
    """
    why = product_level_failures(product, c)
    if not _needs_variant(c):
        return why
    if variant_id:
        variant = product.variant(variant_id)
        if variant is None:
            why.append(f"variant {variant_id} does not exist")
        else:
            fails = variant_failures(product, variant, c)
            why += [f"shown variant {variant_id}: {w}" for w in fails]
        return why
    per_variant = [variant_failures(product, v, c) for v in product.variants]
    if not any(not w for w in per_variant):
        first = per_variant[0] if per_variant else ["no variants"]
        why.append("no single variant fits (" + "; ".join(first) + ")")
    return why


def shown_price(product: ProductFact, variant_id: str | None) -> float:
    """The price the shopper saw: the shown variant's, else the product's lowest."""
    variant = product.variant(variant_id) if variant_id else None
    return variant.price if variant else product.price_min


def attribute_value(product: ProductFact, key: str) -> Any:
    """An attribute (or, failing that, the first variant's option) named `key`."""
    return _option_value(product, product.variants[0] if product.variants else None, key)


def option_values(product: ProductFact, name: str, *, in_stock: bool = True) -> list[str]:
    """Distinct values of option `name` over the product's variants (in stock only by default)."""
    key = normalize_option_name(name)
    seen: dict[str, None] = {}
    for v in product.variants:
        if in_stock and not v.in_stock:
            continue
        for k, val in v.options.items():
            if normalize_option_name(k) == key:
                seen.setdefault(val, None)
    return list(seen)
