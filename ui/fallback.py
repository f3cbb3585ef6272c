"""A search-only assistant: the chat UI's reduced mode when the agent cannot be built.

It speaks the same interface as `agent.assistant.Assistant` (``astream``/``arun``/``aclose``)
and answers from the catalog alone: budget phrases become constraints, "Compare A (id) with
B (id)" becomes a comparison table, anything else a plain search. Facts come from SQL.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool

from catalog.constraints import Constraints
from catalog.query_text import parse_budget
from catalog.service import Catalog
from tools.contracts import Comparison, Recommendation, ToolCallRecord, TurnEvent, TurnResult

REDUCED_NOTE = "Reduced mode: answers come straight from catalog search, without the AI model."
_IDS = re.compile(r"\(([A-Za-z0-9_.:\-]{1,128})\)")


class SearchOnlyAssistant:
    """Catalog search behind the Assistant interface (no model, no memory)."""

    model_name = "search-only"

    def __init__(self, catalog: Catalog, reason: str = "") -> None:
        self.catalog = catalog
        self.reason = reason

    async def astream(
        self,
        message: str,
        *,
        thread_id: str,
        message_id: str | None = None,
        context: dict | None = None,
        preferences: dict | None = None,
        action: Any = None,  # a card button: searched by its words like any message
    ) -> AsyncIterator[TurnEvent]:
        prefs = preferences or {}
        result = TurnResult(
            reply="",
            model=self.model_name,
            request_id=uuid.uuid4().hex,
            thread_id=thread_id,
            reduced_mode=True,
            notes=[REDUCED_NOTE],
        )
        ids = _IDS.findall(message)
        if message.lower().startswith("compare") and len(ids) >= 2:
            from tools.compare_products import compare

            args: dict[str, Any] = {"product_ids": ids[:4]}
            yield TurnEvent(type="tool_start", name="compare_products", call_id="c1", args=args)
            _, artifact = await run_in_threadpool(compare, self.catalog, ids[:4])
            summary = f"compared {len(artifact.get('ids', []))} products"
            yield TurnEvent(type="tool_end", name="compare_products", call_id="c1", summary=summary)
            result.tool_calls.append(
                ToolCallRecord(name="compare_products", args=args, summary=summary)
            )
            if artifact.get("comparison"):
                result.comparison = Comparison(**artifact["comparison"])
                result.reply = "Here they are side by side."
            else:
                result.reply = "I couldn't find those products to compare."
        else:
            budget = parse_budget(message)
            query = budget.text if hasattr(budget, "text") else message
            constraints = Constraints(
                min_price=budget.min_price,
                max_price=budget.max_price,
                in_stock=not prefs.get("include_out_of_stock", False),
                exclude_ids=[],
            )
            args = {"query": query, **constraints.model_dump(exclude_defaults=True)}
            yield TurnEvent(type="tool_start", name="search_products", call_id="s1", args=args)
            k = int(prefs.get("max_items", 3))
            found = await run_in_threadpool(self.catalog.searcher.search, query, constraints, k)
            summary = f"{len(found.hits)} products found"
            yield TurnEvent(type="tool_end", name="search_products", call_id="s1", summary=summary)
            result.tool_calls.append(
                ToolCallRecord(name="search_products", args=args, summary=summary)
            )
            result.degraded = found.degraded
            images = _images(self.catalog, [h.product_id for h in found.hits])
            result.recommendations = [
                Recommendation(
                    product_id=h.product_id,
                    title=h.title,
                    price=h.price,
                    currency=h.currency,
                    in_stock=h.in_stock,
                    stock=h.stock,
                    variant_id=h.variant_id,
                    variant=h.variant_options,
                    reason="Matches your search" + (" and budget." if budget.max_price else "."),
                    brand=h.brand,
                    rating=h.rating,
                    category=h.category,
                    image_url=images.get(h.product_id),
                )
                for h in found.hits
            ]
            result.reply = (
                f"Here are {len(found.hits)} options from the catalog."
                if found.hits and not found.no_match
                else "I couldn't find a good match in the catalog. Could you describe it "
                "differently?"
            )
        for word in re.findall(r"\S+\s*", result.reply):
            yield TurnEvent(type="token", text=word)
        yield TurnEvent(type="final", result=result)

    async def arun(self, message: str, **kwargs: Any) -> TurnResult:
        final: TurnResult | None = None
        async for event in self.astream(message, **kwargs):
            if event.type == "final":
                final = event.result
        assert final is not None
        return final

    async def aclose(self) -> None:
        return None


def _images(catalog: Catalog, ids: list[str]) -> dict[str, str | None]:
    from sqlalchemy import select

    from catalog.models import Product

    if not ids:
        return {}
    with catalog.store.session() as session:
        rows = session.execute(select(Product.id, Product.image_url).where(Product.id.in_(ids)))
        return {pid: url for pid, url in rows}
