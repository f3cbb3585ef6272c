"""recommend: the terminal answer. The model names ids and reasons; the server renders the rest.

What this tool owns: the picks are checked against the shopper's request (`tools.fit`), and
the heading ("Here are 3 picks for hiking boots in size 10 under $150.00:"), each pick's facts
(title, price, stock, the variant) and the fact-based reasons are rendered here from SQL and the
request, so they are true by construction.
"""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, tool
from pydantic import BaseModel, Field

from catalog.models import Product
from tools.contracts import Alternative, Recommendation
from tools.rendering import money, options_text
from tools.request import ShopperRequest


class RecItem(BaseModel):
    """One product the model recommends."""

    product_id: str
    # Optional, and said so: the store picks the variant that fits the request (fit.best_variant),
    # and on a CPU model every id the model writes is ~10 tokens of latency.
    variant_id: str | None = Field(
        default=None, description="optional: the store picks the variant that fits"
    )
    reason: str = Field(
        default="", description="at most 8 words, without the title: what in it fits the shopper"
    )


class RecPick(BaseModel):
    """One product the model recommends, where the store writes every card's reason.

    Its id only: the store picks the variant that fits the request (fit.best_variant). Offered
    an optional variant id, a small model fills it with whatever it has ("size 10")."""

    product_id: str


def need_label(req: ShopperRequest, picks: list[Recommendation] | None = None) -> str:
    """What the shopper is after, in catalog words ("hiking boots"): the requested categories,
    else the picks' own category when they share one. Never the shopper's raw words, which
    may carry injected text."""
    if req.categories:
        return " or ".join(c.lower() for c in req.categories)
    cats = {p.category for p in picks or [] if p.category}
    return cats.pop().lower() if len(cats) == 1 else ""


def constraint_text(req: ShopperRequest) -> str:
    """The stated constraints as a phrase: " in size 10, Brown up to $150 (no Halden)"."""
    parts: list[str] = []
    if req.options:
        parts.append("in " + options_text(req.options))
    if req.attributes:
        parts.append(", ".join(a.label for a in req.attributes))
    if req.brands:
        parts.append("from " + " or ".join(req.brands))
    rel = req.relation
    if rel is not None and rel.kind == "cheaper" and rel.price is not None:
        parts.append(f"cheaper than {rel.label} ({money(rel.price)})")
    if rel is not None and rel.kind == "similar":
        parts.append(f"like {rel.label}")
    if req.budget_words():
        # the shopper's own amounts: "up to fifty dollars", never "$50.00" or a window
        parts = (
            [", ".join([" ".join(parts), req.budget_words()])] if parts else [req.budget_words()]
        )
    text = " " + " ".join(parts) if parts else ""
    excluded = [*req.exclude_brands, *req.exclude_terms]
    if excluded:
        text += f" (no {', '.join(excluded)})"
    return text


def heading(req: ShopperRequest, picks: list[Recommendation]) -> str:
    """The first line of an answer with picks; every word of it is true of every pick."""
    count = "Here is 1 pick" if len(picks) == 1 else f"Here are {len(picks)} picks"
    label = need_label(req, picks)
    return f"{count}{' for ' + label if label else ''}{constraint_text(req)}:"


def nothing_fits(req: ShopperRequest, alternatives: list[Alternative]) -> str:
    """The answer when no proposed item fits: said plainly, alternatives labelled."""
    constraints = constraint_text(req).strip()
    label = need_label(req, list(alternatives)) or "anything"
    text = f"I couldn't find {label} that fit everything you asked for"
    text += f" ({constraints})." if constraints else "."
    if alternatives:
        text += (
            " The nearest alternatives, with what each one misses: "
            + "; ".join(
                f"{a.title} at {money(a.price, a.currency)} ({_misses(a)})" for a in alternatives
            )
            + "."
        )
    else:
        text += " Would you like me to loosen one of those requirements?"
    return text


def no_match(alternatives: list[Alternative]) -> str:
    """The answer when the store has no match at all and the picks were only its nearest
    products (agent/not_carried.py): said plainly, never as picks for the request."""
    text = "I couldn't find a match for that in this store."
    if alternatives:
        text += (
            " The nearest things it has: "
            + "; ".join(f"{a.title} at {money(a.price, a.currency)}" for a in alternatives)
            + "."
        )
    return text


def _misses(alt: Alternative) -> str:
    return ", ".join(v.detail for v in alt.violations)


def alternatives_line(alternatives: list[Alternative]) -> str:
    """A sentence naming the alternatives shown below the picks."""
    if not alternatives:
        return ""
    return (
        "Also close, but not a full fit: "
        + "; ".join(
            f"{a.title} ({', '.join(v.detail for v in a.violations)})" for a in alternatives
        )
        + "."
    )


def miss_text(alt: Alternative) -> str:
    """An alternative's card reason: what it misses."""
    return "Not a full fit: " + _misses(alt)


def fact_reason(rec: Recommendation, product: Product | None, req: ShopperRequest) -> str:
    """A reason rendered from the row and the request ("Waterproof, size 10 in stock,
    within your budget, rated 4.6"), for a pick the model gave no usable reason for."""
    parts: list[str] = []
    attrs: dict[str, Any] = dict(product.attributes or {}) if product is not None else {}
    wanted = {a.key for a in req.attributes}
    for key in sorted(wanted):
        value = attrs.get(key)
        if value is True:
            parts.append(key.replace("_", " "))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            parts.append(f"{key.replace('_', ' ')} {value:g}")
    if not parts:
        for key in ("material", "type", "style", "fit", "insulation", "fill"):
            if isinstance(attrs.get(key), str):
                parts.append(str(attrs[key]))
                break
    asked = {k: v for k, v in rec.variant.items() if k in req.options}
    stock = "in stock" if rec.in_stock else "out of stock"
    parts.append(f"{options_text(asked)} {stock}".strip() if asked else stock)
    hi = req.effective_max_price()
    if hi is not None and rec.price <= hi:
        # no derived amount ("$35.00 under"): every figure on a card is a row's or the shopper's
        parts.append("within your budget" if hi - rec.price >= 0.01 else "right at your budget")
    if rec.rating is not None and rec.rating >= 4.0:
        parts.append(f"rated {rec.rating:.1f}")
    text = ", ".join(p for p in parts if p)
    return text[:1].upper() + text[1:]


def make_recommend(*, model_reasons: bool = True) -> BaseTool:
    """The recommend tool (executed by the graph's finalize node, not the ToolNode).

    With `model_reasons=False` the model names and orders the picks only (ids: no variant, no
    message), and every card's reason is rendered from the row and the request (`fact_reason`): who
    asks for reasons is agent/reason_policy.py's decision (SHOP_CARD_REASONS).
    """
    if not model_reasons:
        # ids only, no message either: a model whose reasons the store replaced also fills a
        # message with the titles it just picked, and every token it writes is latency
        @tool("recommend")
        def recommend_picks(items: list[RecPick]) -> str:
            """Final answer: 1-4 products from tool results, best first. The store writes the
            answer: title, price, stock and each card's reason from its facts, each pick
            checked against the shopper's request.

            Args:
                items: the picks, best first.
            """
            return "recommendations sent"

        return recommend_picks

    @tool("recommend")
    def recommend(items: list[RecItem], message: str = "") -> str:
        """Final answer: 1-4 products from tool results, best first, each with a short reason
        about fit and taste. The store adds title, price, stock and checks each pick against
        the shopper's request.

        Args:
            items: the picks.
            message: one short sentence about why these suit the shopper (no titles, prices
                or numbers).
        """
        return "recommendations sent"

    return recommend
