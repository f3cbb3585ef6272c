"""The one check every answer goes through: does each proposed item fit the shopper's request?

Whatever proposed the items (a remote model's `recommend`, the offline engine, the fallback
that answers from gathered results, reduced mode), `check` renders them from SQL and sorts them:
an item that fits at variant level — budget, options and stock together through one variant
(the catalog's constraint module), wanted and excluded brands, excluded words, the category,
numeric attributes, and "cheaper than" / "not the same one again" — is a recommendation; one
that does not is an `Alternative` carrying every reason, machine-readable. A shopper never
sees a non-fitting item among the picks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from catalog.constraints import (
    Constraints,
    UnknownValue,
    Vocabulary,
    explain_variant,
    match,
    resolve_lenient,
)
from catalog.models import Product, Variant
from catalog.normalize import fold, normalize_value
from catalog.service import Catalog
from tools.contracts import Alternative, Recommendation, Violation
from tools.rendering import load_products
from tools.request import AttributeWant, ShopperRequest


@dataclass(frozen=True)
class Candidate:
    """An item put forward for the answer: a product, maybe a variant, maybe a reason."""

    product_id: str
    variant_id: str | None = None
    reason: str = ""


@dataclass
class Checked:
    """The outcome of `check`: fitting picks in the proposed order, alternatives, unknown ids."""

    fits: list[Recommendation] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def check(
    catalog: Catalog,
    items: Sequence[Candidate],
    request: ShopperRequest,
    *,
    limit: int = 4,
    alternatives_limit: int = 3,
) -> Checked:
    """Render `items` from SQL and split them into fits and labelled alternatives."""
    out = Checked()
    rules = Rules.build(request, catalog.searcher.vocabulary)
    ids = list(dict.fromkeys(i.product_id for i in items))
    with catalog.store.session() as session:
        products = load_products(session, ids)
        seen: set[str] = set()
        for item in items:
            if item.product_id in seen:
                continue
            seen.add(item.product_id)
            product = products.get(item.product_id)
            if product is None or not product.variants:
                out.missing.append(item.product_id)
                continue
            variant, violations = rules.best_variant(product, item.variant_id)
            rec = as_recommendation(product, variant, item.reason)
            if not violations:
                if len(out.fits) < limit:
                    out.fits.append(rec)
            elif len(out.alternatives) < alternatives_limit:
                out.alternatives.append(Alternative(**rec.model_dump(), violations=violations))
    return out


def as_recommendation(product: Product, variant: Variant, reason: str = "") -> Recommendation:
    """One product through one variant, every fact from its SQL row."""
    return Recommendation(
        product_id=product.id,
        title=product.title,
        price=float(variant.price),
        currency=variant.currency,
        in_stock=variant.in_stock,
        stock=variant.stock,
        variant_id=variant.id,
        variant=dict(variant.options),
        reason=reason,
        brand=product.brand,
        rating=product.rating,
        image_url=product.image_url,
        category=product.category,
    )


def required_categories(request: ShopperRequest) -> list[str]:
    """The categories a pick must be in: the ones the shopper named; else, for "cheaper?" or
    "more like this", the one kind the cards it relates to share (the relation is to them)."""
    if request.categories:
        return list(request.categories)
    if request.relation is not None and request.kind:
        return [request.kind]
    return []


@dataclass
class Rules:
    """A request resolved against the catalog's vocabulary, ready to check products."""

    request: ShopperRequest
    variant_rules: object  # catalog.constraints.Resolved of budget, options and stock
    brands: set[str]
    excluded_brands: set[str]
    categories: set[str]
    excluded: set[str]

    @classmethod
    def build(cls, request: ShopperRequest, vocab: Vocabulary) -> Rules:
        """Resolve names once per check."""
        budget = Constraints(
            min_price=request.min_price,
            max_price=request.max_price,
            options=dict(request.options),
            in_stock=request.in_stock,
        )
        return cls(
            request=request,
            variant_rules=resolve_lenient(budget, vocab),
            brands=_brand_keys(request.brands, vocab),
            excluded_brands=_brand_keys(request.exclude_brands, vocab),
            categories={normalize_value(c) for c in required_categories(request)},
            excluded=set(request.excluded_ids()),
        )

    def best_variant(
        self, product: Product, variant_id: str | None
    ) -> tuple[Variant, list[Violation]]:
        """The variant to show and what it misses: the proposed one when it fits, else the
        best fitting one (in stock, then cheapest), else the one that misses least."""
        common = self.product_violations(product)
        scored = []
        for v in product.variants:
            found = [Violation(code=c, detail=d) for c, d in explain_variant(v, self.variant_rules)]
            found += self.relation_violations(v)
            scored.append((v, found))
        proposed = next(((v, f) for v, f in scored if v.id == variant_id), None)
        if proposed is not None and not proposed[1]:
            return proposed[0], common
        fitting = [(v, f) for v, f in scored if not f]
        if fitting:
            v, _ = min(fitting, key=lambda vf: (not vf[0].in_stock, vf[0].price, vf[0].position))
            return v, common
        if proposed is not None:
            return proposed[0], common + proposed[1]
        # The nearest variant: fewest misses; one in the shopper's size/colour that is sold out
        # says more ("out of stock in size 8") than another size that is in stock.
        v, f = min(
            scored,
            key=lambda vf: (
                len(vf[1]),
                any(x.code == "option_unavailable" for x in vf[1]),
                not vf[0].in_stock,
                vf[0].price,
                vf[0].position,
            ),
        )
        return v, common + f

    def product_violations(self, product: Product) -> list[Violation]:
        """What the product itself misses, whatever the variant."""
        out: list[Violation] = []
        r = self.request
        brand = normalize_value(product.brand or "")
        if self.brands and brand not in self.brands:
            wanted = " or ".join(r.brands)
            out.append(Violation(code="brand_not_requested", detail=f"not {wanted}"))
        if brand and brand in self.excluded_brands:
            out.append(Violation(code="brand_excluded", detail=f"{product.brand} is excluded"))
        for term in excluded_terms_in(r, product.title):
            out.append(Violation(code="excluded_term", detail=f"is a {term}, excluded"))
        if self.categories and normalize_value(product.category) not in self.categories:
            wanted = " or ".join(required_categories(r))
            out.append(
                Violation(code="category_mismatch", detail=f"a {product.category}, not {wanted}")
            )
        for want in r.attributes:
            detail = _attribute_miss(product, want)
            if detail:
                out.append(Violation(code="attribute_mismatch", detail=detail))
        if product.id in self.excluded:
            if r.relation is not None and product.id in (r.relation.product_ids or []):
                detail = f"the same product as {r.relation.label or 'before'}"
            elif product.id in r.exclude_ids:
                detail = "you ruled it out"
            else:
                detail = "already shown"
            code = "rejected" if product.id in r.exclude_ids else "already_shown"
            out.append(Violation(code=code, detail=detail))
        return out

    def relation_violations(self, variant: Variant) -> list[Violation]:
        """ "Cheaper than what you showed": strictly below the reference price."""
        rel = self.request.relation
        if rel is None or rel.kind != "cheaper" or rel.price is None:
            return []
        if float(variant.price) < rel.price - 1e-9:
            return []
        ref = rel.label or "what was shown"
        return [Violation(code="not_cheaper", detail=f"not cheaper than {ref} (${rel.price:,.2f})")]


def _brand_keys(names: list[str], vocab: Vocabulary) -> set[str]:
    keys: set[str] = set()
    for name in names:
        try:
            keys.update(match("brand", name, vocab.brands))
        except UnknownValue:
            keys.add(normalize_value(name))
    return keys


def _attribute_miss(product: Product, want: AttributeWant) -> str | None:
    """A short reason when the product's attribute misses the want; None when it meets it or
    the product does not state the attribute (unknown is not a miss)."""
    raw = (product.attributes or {}).get(want.key)
    name = want.key.replace("_", " ")
    if want.op == "eq":
        return f"not {want.label}" if raw is False else None
    if want.op == "is":
        if isinstance(raw, str) and normalize_value(raw) != normalize_value(want.text):
            return f"{name} is {raw}, not {want.text}"
        return None
    if isinstance(raw, str):  # "IPX7": the rating's digit
        digits = [c for c in raw if c.isdigit()]
        raw = float(digits[-1]) if digits else None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    value = float(raw)
    ok = {
        "ge": value >= want.value - 1e-9,
        "le": value <= want.value + 1e-9,
        "approx": abs(value - want.value) <= max(0.5, want.slack() * abs(want.value)),
    }[want.op]
    return None if ok else f"{name} is {value:g}, not {want.label}"


def excluded_terms_in(request: ShopperRequest, title: str) -> list[str]:
    """The words the shopper ruled out ("no headlamp") that `title` names, singular or plural."""
    folded = f" {fold(title)} "
    return [
        term
        for term in request.exclude_terms
        if f" {fold(term)} " in folded or f" {fold(term)}s " in folded
    ]
