"""What a scenario turn requires of the answer: counts, constraints on the picks (price,
options, attributes, brands, terms), follow-ups on shown cards, answers from the catalog,
how the reply reads, store-policy facts and labelled alternatives.

Only what is stated is checked; the graders in `evals.graders`, `evals.dialogue_graders` and
`evals.reply_graders` explain each verdict.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Strict(BaseModel):
    """A model that rejects unknown fields (a typo in a scenario is an error)."""

    model_config = ConfigDict(extra="forbid")


class RecommendsRange(Strict):
    """How many products the turn must recommend (inclusive bounds)."""

    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> RecommendsRange:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


class AttrBound(Strict):
    """A bound on one product attribute or variant option: min/max, approx (± within), equals.

    ``{approx: 40}`` means 40 ± 10% unless ``within`` says otherwise; ``{equals: true}`` reads
    "has it" (waterproof, IPX7, ...); a string ``equals`` compares normalised words.
    """

    min: float | None = None
    max: float | None = None
    approx: float | None = None
    within: float | None = Field(None, ge=0)
    equals: bool | float | str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> AttrBound:
        kinds = [self.equals is not None, self.approx is not None]
        kinds.append(self.min is not None or self.max is not None)
        if sum(kinds) != 1:
            raise ValueError("give exactly one of: equals, approx, or min/max")
        if self.within is not None and self.approx is None:
            raise ValueError("within only goes with approx")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self

    def interval(self) -> tuple[float | None, float | None]:
        """The numeric interval this bound allows (None: open on that side)."""
        if self.approx is not None:
            slack = self.within if self.within is not None else abs(self.approx) * 0.1
            return self.approx - slack, self.approx + slack
        return self.min, self.max

    def describe(self) -> str:
        if self.equals is not None:
            return f"= {self.equals}"
        low, high = self.interval()
        return f"{'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}"


class ConstraintSpec(Strict):
    """What every recommended product must satisfy (judged from SQL)."""

    max_price: float | None = Field(None, ge=0)
    min_price: float | None = Field(None, ge=0)
    category: str | None = None
    categories: list[str] = Field(default_factory=list)
    brand: str | None = None
    exclude_brands: list[str] = Field(default_factory=list)
    exclude_terms: list[str] = Field(default_factory=list)
    in_stock: bool | None = None
    options: dict[str, str] = Field(default_factory=dict)
    attributes: dict[str, AttrBound] = Field(default_factory=dict)
    min_rating: float | None = Field(None, ge=0, le=5)

    @field_validator("options", mode="before")
    @classmethod
    def _option_values_as_strings(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> ConstraintSpec:
        if (
            self.max_price is not None
            and self.min_price is not None
            and self.max_price < self.min_price
        ):
            raise ValueError("max_price is below min_price")
        return self


class ProductRef(Strict):
    """Which product a follow-up is about: the N-th card shown earlier, or a catalog id."""

    shown: int | None = Field(None, ge=1)
    product: str | None = None

    @model_validator(mode="after")
    def _one(self) -> ProductRef:
        if (self.shown is None) == (self.product is None):
            raise ValueError("give exactly one of: shown (1-based card position), product (id)")
        return self


class YesNo(ProductRef):
    """A yes/no question whose right answer comes from the catalog (attribute or option)."""

    attribute: str | None = None
    option: dict[str, str] | None = None

    @model_validator(mode="after")
    def _what(self) -> YesNo:
        if (self.attribute is None) == (self.option is None):
            raise ValueError("give exactly one of: attribute, option")
        return self


class StatesAttribute(ProductRef):
    """The reply states a product's attribute value, its price, or every in-stock option value."""

    attribute: str


class BestOfShown(Strict):
    """ "Which is warmer / lightest / best for allergies": the best of the cards shown."""

    attribute: str
    prefer: Literal["max", "min"] | None = None
    equals: bool | float | str | None = None
    evidence: bool = True

    @model_validator(mode="after")
    def _one(self) -> BestOfShown:
        if (self.prefer is None) == (self.equals is None):
            raise ValueError("give exactly one of: prefer (max|min), equals")
        return self


# The codes of tools.contracts.Violation, spelled out so evals import no agent-side module.
ViolationCode = Literal[
    "over_budget",
    "under_budget",
    "option_unavailable",
    "out_of_stock",
    "brand_excluded",
    "brand_not_requested",
    "category_mismatch",
    "excluded_term",
    "not_cheaper",
    "already_shown",
    "rejected",
]


class Expect(Strict):
    """Assertions on one turn. Only what is stated is required."""

    recommends: RecommendsRange | Literal["none"] | None = None
    constraints: ConstraintSpec | None = None
    relevant: list[str] | None = None
    min_precision: float | None = Field(None, ge=0, le=1)
    asks_clarification: bool | None = None
    tools_called: list[str] | None = None
    tools_not_called: list[str] | None = None
    max_tool_calls: int | None = Field(None, ge=0)
    mentions: list[str | list[str]] | None = None
    not_mentions: list[str] | None = None
    excludes_previous: bool | None = None
    grounded: bool | None = None
    min_reward: float | None = Field(None, ge=0, le=1)
    compares: list[str] | None = None
    # Follow-ups on what was shown (positions are 1-based card order of the latest slate).
    about_shown: list[int] | None = None
    cheaper_than_shown: bool | None = None
    not_products: list[str] | None = None
    not_brand_of_shown: int | None = Field(None, ge=1)
    answers_yes_no: YesNo | bool | None = None
    states_attribute: StatesAttribute | None = None
    best_of_shown: BestOfShown | None = None
    # How the reply reads.
    no_canned_refusal: bool | None = None
    offers_choices: int | None = Field(None, ge=1)
    suggests: list[str] | None = None
    policy: list[str | list[str]] | None = None
    max_words: int | None = Field(None, ge=1)
    # Labelled alternatives (items that break a constraint) and variant-level cards.
    alternatives: RecommendsRange | Literal["none"] | None = None
    alternative_codes: list[ViolationCode] | None = None
    shows_variant: bool | None = None

    @field_validator("recommends", "alternatives", mode="before")
    @classmethod
    def _recommends_shorthand(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("use 'none' or {min: N, max: M}")
        if isinstance(value, int):
            return {"min": value, "max": value}
        if isinstance(value, str) and value.strip().lower() in {"none", "0"}:
            return "none"
        return value

    @field_validator("relevant", "compares", "not_products", mode="before")
    @classmethod
    def _ids_as_strings(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [str(v) for v in value]
        return value

    @field_validator("about_shown", mode="before")
    @classmethod
    def _positions(cls, value: Any) -> Any:
        value = [value] if isinstance(value, int) else value
        if isinstance(value, list) and any(not isinstance(v, int) or v < 1 for v in value):
            raise ValueError("positions are 1-based card numbers")
        return value

    @property
    def count_range(self) -> tuple[int, int | None] | None:
        """(min, max) recommendations, or None when not asserted."""
        if self.recommends is None:
            return None
        if self.recommends == "none":
            return (0, 0)
        return (self.recommends.min, self.recommends.max)
