"""What "qualifies" means, defined once and used by search, tools, guards and the API.

A product qualifies only through a single variant that meets the budget, the options and the
stock requirement together: a cheap size-8 variant does not make a product fit "size 10 under
$100". "Under X" means price ≤ X, and the price is the catalog's selling price.

Category, brand and option values are resolved forgivingly against the catalog's own values
("tees" → T-Shirts, "blue" → Navy Blue and Sky Blue); a value that matches nothing raises
`UnknownValue` carrying the valid ones.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from catalog.models import Product, Variant, VariantOption
from catalog.normalize import normalize_option_name, normalize_value


class Constraints(BaseModel):
    """A shopper's hard requirements. Every field is optional."""

    min_price: float | None = Field(default=None, ge=0)
    max_price: float | None = Field(default=None, ge=0)
    category: str | None = None
    brand: str | None = None
    options: dict[str, str] = Field(default_factory=dict)
    in_stock: bool = False
    exclude_ids: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered_range(self) -> Constraints:
        if (
            self.min_price is not None
            and self.max_price is not None
            and self.min_price > self.max_price
        ):
            self.min_price, self.max_price = self.max_price, self.min_price
        return self

    def is_empty(self) -> bool:
        """No requirement at all (exclusions aside)."""
        return (
            self.min_price is None
            and self.max_price is None
            and not self.category
            and not self.brand
            and not self.options
            and not self.in_stock
        )


class UnknownValue(Exception):
    """A category, brand or option value the catalog does not have."""

    def __init__(self, field_name: str, value: str, valid: Sequence[str]) -> None:
        shown = ", ".join(valid[:25]) + (" …" if len(valid) > 25 else "")
        super().__init__(f"unknown {field_name} {value!r}; valid values: {shown}")
        self.field_name = field_name
        self.value = value
        self.valid = list(valid)


@dataclass(frozen=True)
class Vocabulary:
    """The catalog's own values, display form keyed by normalised form."""

    categories: dict[str, str]
    brands: dict[str, str]
    options: dict[str, dict[str, str]]  # option name → {normalised value: display value}

    @classmethod
    def load(cls, session: Session) -> Vocabulary:
        """Read the distinct values from SQL."""
        categories = dict(session.execute(select(Product.category_norm, Product.category)).all())
        brands = {
            norm: display
            for norm, display in session.execute(
                select(Product.brand_norm, Product.brand).where(Product.brand_norm.is_not(None))
            ).all()
        }
        options: dict[str, dict[str, str]] = {}
        rows = session.execute(
            select(VariantOption.name, VariantOption.value_norm, VariantOption.value).distinct()
        )
        for name, norm, display in rows:
            options.setdefault(name, {})[norm] = display
        return cls(categories, brands, options)


def match(field_name: str, value: str, known: dict[str, str]) -> list[str]:
    """Normalised known values that `value` names: exact, word-contained, or a close spelling."""
    key = normalize_value(value)
    if not key:
        return []
    if key in known:
        return [key]
    words = set(key.split())
    contained = [k for k in known if words <= set(k.split())]
    if contained:
        return sorted(contained)
    glued = key.replace(" ", "")
    joined = [k for k in known if k.replace(" ", "") == glued]
    if joined:
        return joined
    close = difflib.get_close_matches(key, list(known), n=3, cutoff=0.82)
    if close:
        return close
    raise UnknownValue(field_name, value, sorted(known.values(), key=str.lower))


@dataclass(frozen=True)
class Resolved:
    """Constraints with names resolved to the catalog's normalised values."""

    min_price: float | None = None
    max_price: float | None = None
    categories: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    in_stock: bool = False
    exclude_ids: tuple[str, ...] = ()
    labels: dict[str, Any] = field(default_factory=dict)

    @property
    def filters_variants(self) -> bool:
        """Whether variant-level conditions apply (price, options or stock)."""
        return (
            self.min_price is not None
            or self.max_price is not None
            or bool(self.options)
            or self.in_stock
        )

    @property
    def is_empty(self) -> bool:
        """Every product qualifies."""
        return (
            not self.filters_variants
            and not self.categories
            and not self.brands
            and not self.exclude_ids
        )


def resolve(constraints: Constraints, vocab: Vocabulary) -> Resolved:
    """Resolve names against the catalog; raise UnknownValue for a value that matches nothing."""
    labels: dict[str, Any] = {}
    categories: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    if constraints.category:
        categories = tuple(match("category", constraints.category, vocab.categories))
        labels["category"] = [vocab.categories[c] for c in categories]
    if constraints.brand:
        brands = tuple(match("brand", constraints.brand, vocab.brands))
        labels["brand"] = [vocab.brands[b] for b in brands]
    options: dict[str, tuple[str, ...]] = {}
    for raw_name, raw_value in constraints.options.items():
        name = normalize_option_name(raw_name)
        if name not in vocab.options:
            raise UnknownValue("option", raw_name, sorted(vocab.options))
        if normalize_value(raw_value) in vocab.options[name]:
            values: Sequence[str] = [normalize_value(raw_value)]
        else:
            values = match(name, raw_value, vocab.options[name])
        options[name] = tuple(values)
        labels[name] = [vocab.options[name][v] for v in values]
    return Resolved(
        min_price=constraints.min_price,
        max_price=constraints.max_price,
        categories=categories,
        brands=brands,
        options=options,
        in_stock=constraints.in_stock,
        exclude_ids=tuple(constraints.exclude_ids),
        labels=labels,
    )


def variant_conditions(rc: Resolved) -> list[Any]:
    """SQL conditions on `Variant` that one variant must meet on its own."""
    conditions: list[Any] = []
    if rc.min_price is not None:
        conditions.append(Variant.price >= rc.min_price)
    if rc.max_price is not None:
        conditions.append(Variant.price <= rc.max_price + 1e-9)
    if rc.in_stock:
        conditions.append(Variant.available.is_(True))
        conditions.append(or_(Variant.stock.is_(None), Variant.stock > 0))
    for name, values in rc.options.items():
        conditions.append(
            exists().where(
                VariantOption.variant_id == Variant.id,
                VariantOption.name == name,
                VariantOption.value_norm.in_(values),
            )
        )
    return conditions


def product_conditions(rc: Resolved) -> list[Any]:
    """SQL conditions on `Product` (category, brand, exclusions)."""
    conditions: list[Any] = []
    if rc.categories:
        conditions.append(Product.category_norm.in_(rc.categories))
    if rc.brands:
        conditions.append(Product.brand_norm.in_(rc.brands))
    if rc.exclude_ids:
        conditions.append(Product.id.not_in(rc.exclude_ids))
    return conditions


def qualifying_ids(rc: Resolved) -> Select[Any]:
    """SELECT of the ids of qualifying products (a subquery for retrieval to join on)."""
    if not rc.filters_variants:
        return select(Product.id).where(and_(True, *product_conditions(rc)))
    return (
        select(Variant.product_id)
        .join(Product, Product.id == Variant.product_id)
        .where(*variant_conditions(rc), *product_conditions(rc))
        .distinct()
    )


def fitting_variants(
    session: Session, rc: Resolved, product_ids: Sequence[str]
) -> dict[str, Variant]:
    """For each given product that qualifies, the variant through which it does.

    Among several fitting variants the in-stock ones come first, then the cheapest.
    Products that do not qualify are absent from the result.
    """
    found: dict[str, Variant] = {}
    for start in range(0, len(product_ids), 900):
        chunk = list(product_ids[start : start + 900])
        stmt = (
            select(Variant)
            .join(Product, Product.id == Variant.product_id)
            .where(Variant.product_id.in_(chunk), *variant_conditions(rc), *product_conditions(rc))
        )
        for variant in session.scalars(stmt):
            best = found.get(variant.product_id)
            if best is None or _better(variant, best):
                found[variant.product_id] = variant
    return found


def _better(a: Variant, b: Variant) -> bool:
    return (not a.in_stock, a.price, a.position) < (not b.in_stock, b.price, b.position)


def variant_fits(variant: Variant, rc: Resolved) -> bool:
    """The same rule as `variant_conditions`, in Python, for one loaded variant."""
    if rc.min_price is not None and variant.price < rc.min_price:
        return False
    if rc.max_price is not None and variant.price > rc.max_price + 1e-9:
        return False
    if rc.in_stock and not variant.in_stock:
        return False
    if not rc.options:
        return True
    # The same keys ingest wrote into the option rows, from the options already loaded
    # (loading the rows for every variant shown cost more than the rest of a browse).
    values = dict(_option_key(name, value) for name, value in (variant.options or {}).items())
    return all(values.get(name) in allowed for name, allowed in rc.options.items())


def explain_variant(variant: Variant, rc: Resolved) -> list[tuple[str, str]]:
    """Why one variant does not meet `rc`, as (code, detail) pairs; empty when it fits.

    The same rule as `variant_fits`, spelled out for the shopper: codes are over_budget,
    under_budget, out_of_stock and option_unavailable.
    """
    out: list[tuple[str, str]] = []
    price = float(variant.price)
    if rc.max_price is not None and price > rc.max_price + 1e-9:
        # no figure: "over budget by $9.99" or a reformatted "$100.00" would put a dollar
        # amount in the reply that neither a product nor the shopper's message states
        out.append(("over_budget", "over your budget"))
    if rc.min_price is not None and price < rc.min_price:
        out.append(("under_budget", "below your minimum"))
    values = dict(_option_key(name, value) for name, value in (variant.options or {}).items())
    missing = [name for name, allowed in rc.options.items() if values.get(name) not in allowed]
    for name in missing:
        wanted = "/".join(str(x) for x in rc.labels.get(name, [])) or name
        out.append(("option_unavailable", f"not available in {name} {wanted}"))
    if rc.in_stock and not variant.in_stock and not missing:
        chosen = ", ".join(
            f"{k} {v}" for k, v in variant.options.items() if normalize_option_name(k) in rc.options
        )
        detail = f"out of stock in {chosen}" if rc.options else "out of stock"
        out.append(("out_of_stock", detail))
    return out


def _money(amount: float) -> str:
    return f"${amount:,.2f}"


def resolve_lenient(constraints: Constraints, vocab: Vocabulary) -> Resolved:
    """Like `resolve`, but an option value the catalog lacks matches nothing instead of raising.

    For checking picks against what a shopper stated: "size 13" where no product has size 13
    means no variant fits, not an error.
    """
    try:
        return resolve(constraints, vocab)
    except UnknownValue:
        pass
    kept: dict[str, str] = {}
    unknown: dict[str, str] = {}
    for name, value in constraints.options.items():
        try:
            resolve(Constraints(options={name: value}), vocab)
            kept[name] = value
        except UnknownValue:
            unknown[normalize_option_name(name)] = value
    base = constraints.model_copy(update={"options": kept})
    try:
        rc = resolve(base, vocab)
    except UnknownValue:
        rc = resolve(base.model_copy(update={"category": None, "brand": None}), vocab)
    options = {**rc.options, **{name: () for name in unknown}}
    labels = {**rc.labels, **{name: [value] for name, value in unknown.items()}}
    return Resolved(
        min_price=rc.min_price,
        max_price=rc.max_price,
        categories=rc.categories,
        brands=rc.brands,
        options=options,
        in_stock=rc.in_stock,
        exclude_ids=rc.exclude_ids,
        labels=labels,
    )


@functools.lru_cache(maxsize=4096)
def _option_key(name: str, value: str) -> tuple[str, str]:
    return normalize_option_name(name), normalize_value(value)
