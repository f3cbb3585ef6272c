"""Card buttons reach the engine as data (product id + action), not as prose to parse: "More
like this" never returns the same product, "Check my size" asks for the shopper's size instead
of inventing one, "Compare" compares that card with the others."""

from __future__ import annotations

from agent.assistant import build_assistant
from agent.settings import Settings
from tools.request import CardAction


async def test_card_buttons(tmp_path, demo_catalog) -> None:
    a = build_assistant(Settings(_env_file=None, SHOP_DATA_DIR=str(tmp_path)), demo_catalog)
    first = await a.arun("hiking boots under $150", thread_id="t")
    cards = [x.product_id for x in first.recommendations]
    assert len(cards) >= 3

    like = await a.arun(
        "More like this", thread_id="t", action=CardAction(kind="more_like", product_id=cards[1])
    )
    assert like.recommendations and cards[1] not in [x.product_id for x in like.recommendations]
    assert {x.category for x in like.recommendations} == {"Hiking Boots"}

    size = await a.arun(
        "Check my size", thread_id="t", action=CardAction(kind="size", product_id=cards[0])
    )
    assert size.clarifying_question and "?" in size.reply
    assert "you usually wear" in size.reply.lower()  # asks; never "I usually wear size 9.5"

    compare = await a.arun(
        "Compare",
        thread_id="t",
        action=CardAction(kind="compare", product_id=cards[0], others=cards[2:3]),
    )
    assert compare.comparison is not None
    assert compare.comparison.product_ids[:2] == [cards[0], cards[2]]

    # an action on a product that does not exist is ignored, not trusted
    odd = await a.arun(
        "hiking boots", thread_id="t", action=CardAction(kind="more_like", product_id="NOPE-1")
    )
    await a.aclose()
    assert odd.recommendations
