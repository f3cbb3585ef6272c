"""The validated shape of one catalog record, whatever file format it came from."""

from __future__ import annotations

import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# ISO 4217 codes a store is likely to price in. An unknown code is a data error, not a guess.
CURRENCIES: frozenset[str] = frozenset(
    [
        "USD",
        "EUR",
        "GBP",
        "CAD",
        "AUD",
        "NZD",
        "JPY",
        "CNY",
        "INR",
        "CHF",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "HUF",
        "BRL",
        "MXN",
        "ZAR",
        "SGD",
        "HKD",
        "KRW",
        "TWD",
        "THB",
        "MYR",
        "IDR",
        "PHP",
        "AED",
        "SAR",
        "ILS",
        "TRY",
        "RUB",
        "UAH",
        "RON",
        "BGN",
        "ISK",
        "CLP",
        "COP",
        "PEN",
        "ARS",
        "NGN",
        "KES",
        "EGP",
    ]
)


# Characters an id may not contain: controls (NUL included), format characters (bidi
# overrides such as U+202E and zero-width marks, which make one id display as another),
# separators other than the space, surrogates, private-use and unassigned code points.
_BAD_ID_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# In free text, bidi embedding/override/isolate controls re-order what a shopper sees.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_id(value: Any) -> Any:
    """Reject ids that could break storage or display as something else."""
    if isinstance(value, str):
        for char in value:
            if unicodedata.category(char) in _BAD_ID_CATEGORIES:
                raise ValueError(
                    f"id contains a control or invisible character (U+{ord(char):04X})"
                )
    return value


def check_text(value: Any) -> Any:
    """Reject NUL and other control characters (tab and newlines are fine) and bidi
    overrides in free text."""
    if isinstance(value, str):
        for char in value:
            if (unicodedata.category(char) == "Cc" and char not in "\t\n\r") or (
                char in _BIDI_CONTROLS
            ):
                raise ValueError(f"text contains a control character (U+{ord(char):04X})")
    return value


class VariantIn(BaseModel):
    """One buyable variant: options (size, colour, ...), a selling price and stock."""

    # allow_inf_nan=False: a NaN price is "not a finite number", not "should be <= 1e7"
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    id: str = Field(min_length=1, max_length=128)
    options: dict[str, str] = Field(default_factory=dict)
    price: float = Field(ge=0, le=10_000_000)
    currency: str = "USD"
    stock: int | None = Field(default=None, ge=0)
    available: bool = True

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_string(cls, value: Any) -> Any:
        # Ids are kept exactly as the source wrote them, but always as strings.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("id", mode="after")
    @classmethod
    def _id_is_clean(cls, value: str) -> str:
        return check_id(value)

    @field_validator("options", mode="before")
    @classmethod
    def _options_as_strings(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                str(k): (str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v)
                for k, v in value.items()
                if v is not None and v != ""
            }
        return value

    @field_validator("options", mode="after")
    @classmethod
    def _options_are_clean(cls, value: dict[str, str]) -> dict[str, str]:
        for key, option in value.items():
            check_text(key)
            check_text(option)
        return value

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        code = value.upper()
        if code not in CURRENCIES:
            raise ValueError(f"unknown currency {value!r} (expected an ISO 4217 code like USD)")
        return code


class ProductIn(BaseModel):
    """One product with at least one variant, as every loader must produce it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    id: str = Field(min_length=1, max_length=128)
    title: str = Field(min_length=1, max_length=500)
    description: str = ""
    brand: str | None = None
    category: str = Field(min_length=1, max_length=200)
    tags: list[str] = Field(default_factory=list)
    rating: float | None = Field(default=None, ge=0, le=5)
    attributes: dict[str, Any] = Field(default_factory=dict)
    image_url: str | None = None
    variants: list[VariantIn] = Field(min_length=1)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_string(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("id", mode="after")
    @classmethod
    def _id_is_clean(cls, value: str) -> str:
        return check_id(value)

    @field_validator("title", "description", "brand", "category", "image_url", mode="after")
    @classmethod
    def _text_is_clean(cls, value: str | None) -> str | None:
        return check_text(value)

    @field_validator("tags", mode="after")
    @classmethod
    def _tags_are_clean(cls, value: list[str]) -> list[str]:
        for tag in value:
            check_text(tag)
        return value

    @field_validator("brand", "image_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @model_validator(mode="after")
    def _unique_variant_ids(self) -> ProductIn:
        seen: set[str] = set()
        for variant in self.variants:
            if variant.id in seen:
                raise ValueError(f"duplicate variant id {variant.id!r}")
            seen.add(variant.id)
        return self

    @property
    def in_stock(self) -> bool:
        """Derived: some variant is buyable now."""
        return any(v.available and (v.stock is None or v.stock > 0) for v in self.variants)
