"""A columnar copy of the catalog's filter facts, read from SQL once per catalog version.

Search must apply filters inside retrieval, and at 100k products asking SQL about every
candidate costs more than the whole latency budget: a correlated check per full-text match, or
an IN-list per batch of nearest neighbours. This index holds, per catalog version, exactly the
columns the constraint module reads (variant price, availability, stock and options; product
category and brand) as numpy arrays, and evaluates a `Resolved` filter over all products in a
few milliseconds, with the single-variant rule of `constraints.variant_conditions`.

SQL stays the source of truth: the arrays are loaded from it and replaced whenever the catalog
version changes (every ingest bumps it), the search re-reads the hits' fitting variants from SQL
before returning them, and tests check that the mask equals `constraints.qualifying_ids` on the
same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.constraints import Resolved
from catalog.models import Product, Variant, VariantOption
from catalog.store import raw_rows


@dataclass(frozen=True)
class FilterIndex:
    """Products (sorted ids, one row each) and their variants as parallel arrays."""

    ids: list[str]
    row: dict[str, int]
    category: np.ndarray  # product row -> code in `categories`
    brand: np.ndarray  # product row -> code in `brands` (-1: none)
    categories: dict[str, int]
    brands: dict[str, int]
    variant_product: np.ndarray  # variant -> product row
    price: np.ndarray
    in_stock: np.ndarray  # available and (stock unknown or > 0)
    option_variant: np.ndarray  # option row -> variant
    option_name: np.ndarray  # option row -> code in `option_names`
    option_value: np.ndarray  # option row -> code in `option_values`
    option_names: dict[str, int]
    option_values: dict[str, int]
    raw_categories: dict[str, set[str]]  # normalised category -> the names as stored
    raw_brands: dict[str, set[str]]

    @classmethod
    def load(cls, session: Session, ids: Sequence[str]) -> FilterIndex:
        """Read the filter columns of the products `ids` (sorted) and their variants.

        Rows come straight from the driver's cursor: at 100k products that is about a
        million rows, and ORM row handling would multiply the load time by four.
        """
        row = {pid: i for i, pid in enumerate(ids)}
        categories: dict[str, int] = {}
        brands: dict[str, int] = {}
        category = np.zeros(len(ids), dtype=np.int32)
        brand = np.full(len(ids), -1, dtype=np.int32)
        raw_categories: dict[str, set[str]] = {}
        raw_brands: dict[str, set[str]] = {}
        stmt = select(
            Product.id, Product.category_norm, Product.brand_norm, Product.category, Product.brand
        )
        for pid, cat, br, cat_raw, br_raw in raw_rows(session, stmt):
            r = row.get(pid)
            if r is None:
                continue  # added after `ids` was read: the next version picks it up
            category[r] = categories.setdefault(cat, len(categories))
            raw_categories.setdefault(cat, set()).add(cat_raw)
            if br is not None:
                brand[r] = brands.setdefault(br, len(brands))
                raw_brands.setdefault(br, set()).add(br_raw or "")

        variant_row: dict[str, int] = {}
        v_product: list[int] = []
        v_price: list[float] = []
        v_in_stock: list[bool] = []
        stmt = select(
            Variant.id, Variant.product_id, Variant.price, Variant.available, Variant.stock
        )
        for vid, pid, price, available, stock in raw_rows(session, stmt):
            r = row.get(pid)
            if r is None:
                continue
            variant_row[vid] = len(v_product)
            v_product.append(r)
            v_price.append(float(price))
            v_in_stock.append(bool(available) and (stock is None or stock > 0))

        names: dict[str, int] = {}
        values: dict[str, int] = {}
        o_variant: list[int] = []
        o_name: list[int] = []
        o_value: list[int] = []
        stmt = select(VariantOption.variant_id, VariantOption.name, VariantOption.value_norm)
        for vid, name, value in raw_rows(session, stmt):
            v = variant_row.get(vid)
            if v is None:
                continue
            o_variant.append(v)
            o_name.append(names.setdefault(name, len(names)))
            o_value.append(values.setdefault(value, len(values)))
        return cls(
            ids=list(ids),
            row=row,
            category=category,
            brand=brand,
            categories=categories,
            brands=brands,
            variant_product=np.asarray(v_product, dtype=np.int32),
            price=np.asarray(v_price, dtype=np.float64),
            in_stock=np.asarray(v_in_stock, dtype=bool),
            option_variant=np.asarray(o_variant, dtype=np.int32),
            option_name=np.asarray(o_name, dtype=np.int32),
            option_value=np.asarray(o_value, dtype=np.int32),
            option_names=names,
            option_values=values,
            raw_categories=raw_categories,
            raw_brands=raw_brands,
        )

    def mask(self, rc: Resolved) -> np.ndarray:
        """Per product row: whether it qualifies (one variant meets price, options and stock
        together; category, brand and exclusions hold)."""
        qualifies = np.ones(len(self.ids), dtype=bool)
        if rc.categories:
            codes = [self.categories[c] for c in rc.categories if c in self.categories]
            qualifies &= np.isin(self.category, codes)
        if rc.brands:
            codes = [self.brands[b] for b in rc.brands if b in self.brands]
            qualifies &= np.isin(self.brand, codes)
        if rc.filters_variants:
            fits = np.ones(len(self.price), dtype=bool)
            if rc.min_price is not None:
                fits &= self.price >= rc.min_price
            if rc.max_price is not None:
                fits &= self.price <= rc.max_price + 1e-9
            if rc.in_stock:
                fits &= self.in_stock
            for name, wanted in rc.options.items():
                has = np.zeros(len(self.price), dtype=bool)
                code = self.option_names.get(name)
                values = [self.option_values[v] for v in wanted if v in self.option_values]
                if code is not None and values:
                    hit = (self.option_name == code) & np.isin(self.option_value, values)
                    has[self.option_variant[hit]] = True
                fits &= has
            through_variant = np.zeros(len(self.ids), dtype=bool)
            through_variant[self.variant_product[fits]] = True
            qualifies &= through_variant
        for pid in rc.exclude_ids:
            r = self.row.get(pid)
            if r is not None:
                qualifies[r] = False
        return qualifies
