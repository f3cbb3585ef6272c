"""Each card's reason: the model's, when it is about that pick and backed by its row; else one
rendered from the row and the request. Never empty, never a sentence said of every card."""

from __future__ import annotations

from collections import Counter
from typing import Any

from agent.facts import Evidence, clean_prose
from agent.guards import ground_reason, row_text
from tools.contracts import Alternative, Recommendation
from tools.recommend import fact_reason, miss_text
from tools.rendering import load_products
from tools.request import ShopperRequest


def write_reasons(
    catalog: Any,
    picks: list[Recommendation],
    alternatives: list[Alternative],
    req: ShopperRequest,
    shopper: list[str],
    evidence: Evidence,
    notes: list[str],
) -> None:
    """Each pick's reason: the model's, cleaned and grounded in the row, else from the facts.

    A reason the model gave several picks word for word, or word for word but for the pick's
    own title, is about none of them ("The shopper wants earbuds and they are in stock" on
    every card): those cards get their facts instead.
    """
    ids = [r.product_id for r in picks]
    said = Counter(_said(r) for r in picks if r.reason.strip())
    with catalog.store.session() as session:
        products = load_products(session, ids) if ids else {}
        for rec in picks:
            product = products.get(rec.product_id)
            if said[_said(rec)] > 1:
                notes.append(f"reason of {rec.product_id} shared by several picks: from its facts")
                rec.reason = fact_reason(rec, product, req)
                continue
            cleaned, removed = clean_prose(rec.reason, evidence)
            notes += removed
            row = row_text(product) if product is not None else ""
            grounded = ground_reason(cleaned, rec, row, " ".join(shopper)) if cleaned else ""
            if grounded != rec.reason:
                notes.append(f"reason of {rec.product_id} trimmed to supported facts")
            rec.reason = grounded or fact_reason(rec, product, req)
    for alt in alternatives:
        alt.reason = miss_text(alt)


def _said(rec: Recommendation) -> str:
    """What a reason says about its pick, the pick's own title left out: "The <title> is a
    great choice" on every card is one sentence said of all of them."""
    text = " ".join(rec.reason.lower().split())
    title = " ".join(rec.title.lower().split())
    return " ".join(text.replace(title, " ").split()) if title else text
