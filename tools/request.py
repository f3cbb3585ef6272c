"""The shopper's request as typed state: what they asked for, and what they have been shown.

One record per conversation (thread), kept in graph state and updated every turn from a
deterministic reading of the shopper's message and from what the tools returned; every model
sees it, and every path that renders an answer enforces it (`tools.fit`). It lives at the
tools layer because the tools enforce it and must not import the agent.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from catalog.constraints import Constraints

RelationKind = Literal["cheaper", "similar", "different"]


class ShownItem(BaseModel):
    """A product card the shopper saw: the exact variant, its position in that turn's list."""

    turn: int
    position: int  # 1-based, in the order the cards were shown
    product_id: str
    variant_id: str | None = None
    title: str = ""
    price: float = 0.0
    currency: str = "USD"
    brand: str | None = None
    category: str | None = None
    variant: dict[str, str] = Field(default_factory=dict)


class Relation(BaseModel):
    """A request relative to what was shown: "anything cheaper?", "more like #2", "others"."""

    kind: RelationKind
    product_ids: list[str] = Field(default_factory=list)  # the reference items
    price: float | None = None  # "cheaper": strictly below this (the cheapest reference)
    label: str = ""  # how the reply names the reference: "#2 shown", "what I showed"


class AttributeWant(BaseModel):
    """A numeric attribute the shopper asked for: "around 40 L", "4-person", "rated to 30°F"."""

    key: str  # the catalog's attribute key, e.g. capacity_l
    op: Literal["ge", "le", "approx", "eq", "is"]  # eq: a yes/no feature; is: a text value
    value: float = 0.0
    text: str = ""  # for "is": the catalog's value, e.g. "Over-ear"
    label: str  # the shopper's words, e.g. "40 L"
    # approx: the relative slack. "around 40 L" allows 15%; a bare "27 inch" names a size,
    # so it allows only rounding (5%: 15.6-inch for "15 inch", not 24 for "27")
    within: float | None = None

    def slack(self) -> float:
        """The relative slack of an approx want."""
        return 0.15 if self.within is None else self.within


class CardAction(BaseModel):
    """A product card's button, sent as data (not as prose a parser must read back)."""

    kind: Literal["more_like", "compare", "size", "details"]
    product_id: str
    others: list[str] = Field(default_factory=list)  # compare: the other cards


class ShopperRequest(BaseModel):
    """The active request. Empty fields mean "not stated"."""

    need: str = ""  # the shopper's words for what they want ("waterproof hiking boots")
    categories: list[str] = Field(default_factory=list)  # catalog display names, any of
    # The one kind of product the last cards shared when the shopper named none: guides later
    # turns ("cheaper?"), but is never a requirement (only stated categories are checked).
    kind: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    approx_price: bool = False  # the bounds are a window around "about X"
    # The bounds' amounts as the shopper wrote them ({"max": "fifty dollars"}); replies echo
    # these, so no reply carries a dollar figure the shopper or a product did not state.
    budget_said: dict[str, str] = Field(default_factory=dict)
    options: dict[str, str] = Field(default_factory=dict)  # {"size": "10", "color": "Brown"}
    brands: list[str] = Field(default_factory=list)  # wanted (any of)
    exclude_brands: list[str] = Field(default_factory=list)
    exclude_terms: list[str] = Field(default_factory=list)  # "no iPhones": folded title words
    exclude_ids: list[str] = Field(default_factory=list)  # "not that one"
    in_stock: bool = True  # a pick must be available now unless the shopper says otherwise
    features: list[str] = Field(default_factory=list)  # soft wants: "waterproof", "quiet"
    attributes: list[AttributeWant] = Field(default_factory=list)
    relation: Relation | None = None  # this turn's relation to what was shown
    focus: str | None = None  # the product the conversation is about now
    shown: list[ShownItem] = Field(default_factory=list)
    turn: int = 0
    changes: list[str] = Field(default_factory=list)  # what this turn changed, in words

    def constraints(self) -> Constraints:
        """The hard constraints the catalog's constraint module checks (single-variant rule).

        Brands: one wanted brand filters; several wanted brands are checked by `tools.fit`.
        """
        return Constraints(
            min_price=self.min_price,
            max_price=self.effective_max_price(),
            brand=self.brands[0] if len(self.brands) == 1 else None,
            options=dict(self.options),
            in_stock=self.in_stock,
            exclude_ids=self.excluded_ids(),
        )

    def effective_max_price(self) -> float | None:
        """The budget cap, tightened by "cheaper than what you showed"."""
        caps = [self.max_price]
        if self.relation and self.relation.kind == "cheaper" and self.relation.price is not None:
            caps.append(round(self.relation.price - 0.01, 2))
        caps = [c for c in caps if c is not None]
        return min(caps) if caps else None

    def excluded_ids(self) -> list[str]:
        """Products that must not be picked: rejected ones, and the references of a relation."""
        out = list(self.exclude_ids)
        if self.relation is not None:
            refs = self.relation.product_ids or [s.product_id for s in self.last_shown()]
            out += [pid for pid in refs if pid not in out]
            if self.relation.kind in ("different", "cheaper"):
                out += [s.product_id for s in self.last_shown() if s.product_id not in out]
        return out

    def last_shown(self) -> list[ShownItem]:
        """The cards of the most recent turn that showed any, in their order."""
        if not self.shown:
            return []
        last = max(s.turn for s in self.shown)
        return sorted((s for s in self.shown if s.turn == last), key=lambda s: s.position)

    def shown_at(self, position: int) -> ShownItem | None:
        """ "The second one": the card at 1-based `position` of the most recent list."""
        items = self.last_shown()
        return items[position - 1] if 1 <= position <= len(items) else None

    def shown_item(self, product_id: str) -> ShownItem | None:
        """The latest card of a product, if it was shown."""
        for s in reversed(self.shown):
            if s.product_id == product_id:
                return s
        return None

    def budget_words(self) -> str:
        """The budget in the shopper's own amounts: "up to fifty dollars", "around 100",
        "between $30 and $60", "at least 50"; "" when there is none. A bound without the
        shopper's words (set by a setting, not a message) is shown as its figure."""
        said = self.budget_said
        lo, hi = self.min_price, self.max_price

        def amount(key: str, value: float) -> str:
            return said.get(key) or f"${value:,.2f}"

        if self.approx_price and said.get("approx"):
            return f"around {said['approx']}"
        if lo is not None and hi is not None:
            return f"between {amount('min', lo)} and {amount('max', hi)}"
        if hi is not None:
            return f"up to {amount('max', hi)}"
        if lo is not None:
            return f"at least {amount('min', lo)}"
        return ""

    def is_empty(self) -> bool:
        """Nothing stated yet (a fresh conversation)."""
        return not (
            self.need
            or self.categories
            or self.min_price is not None
            or self.max_price is not None
            or self.options
            or self.brands
            or self.exclude_brands
            or self.exclude_terms
            or self.attributes
        )


def request_in(state: object) -> ShopperRequest:
    """The request held in a graph state (a model, a dict, or nothing yet)."""
    value = state.get("request") if isinstance(state, dict) else getattr(state, "request", None)
    if isinstance(value, ShopperRequest):
        return value
    return ShopperRequest.model_validate(value or {})
