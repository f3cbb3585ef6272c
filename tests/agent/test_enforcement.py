"""A scripted model that recommends items breaking what the shopper said, for every constraint
kind, through the whole assistant: each lands among the alternatives with the right reason,
never among the picks. Also the fallback paths and a real follow-up ("anything cheaper?")."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

from agent.assistant import build_assistant
from agent.settings import Settings
from tests.agent.fakes import ScriptedModel, call

BOOT = "OUT-00022"  # Cairnworks Men's Basalt Mid Hiking Boot, $109.99, sizes 7.5-10
SOLD_OUT_8 = "OUT-00044"  # hiking boot, size 8 sold out in every colour
TENT_1P = "OUT-00003"  # Ridgeline Nightjar Lite 1-Person Backpacking Tent, $274.99
TENT_4P = "OUT-00045"  # Northfold Basecamp X 4-Person Dome Tent, $414.99


def settings(tmp_path: Any, **kw: Any) -> Settings:
    return Settings(_env_file=None, SHOP_DATA_DIR=str(tmp_path), **kw)


def look_up_then_recommend(*ids: str) -> list[Any]:
    """Fetch each product (so its id was returned by a tool), then recommend them all."""
    return [
        *[call("get_product", product_id=pid) for pid in ids],
        call("recommend", items=[{"product_id": pid, "reason": "great"} for pid in ids]),
    ]


@pytest.mark.parametrize(
    ("message", "pid", "code"),
    [
        ("hiking boots under $100", BOOT, "over_budget"),
        ("hiking boots over $150", BOOT, "under_budget"),
        ("hiking boots in size 11", BOOT, "option_unavailable"),
        ("hiking boots in size 8", SOLD_OUT_8, "out_of_stock"),
        ("hiking boots, anything but Cairnworks", BOOT, "brand_excluded"),
        ("Northfold hiking boots", BOOT, "brand_not_requested"),
        ("I need a tent", BOOT, "category_mismatch"),
        ("a 4-person tent", TENT_1P, "attribute_mismatch"),
        ("a tent, but no dome tents please", TENT_4P, "excluded_term"),
    ],
)
async def test_a_violating_pick_becomes_a_labelled_alternative(
    tmp_path, demo_catalog, message: str, pid: str, code: str
) -> None:
    model = ScriptedModel(steps=look_up_then_recommend(pid))
    a = build_assistant(settings(tmp_path), demo_catalog, model=model)
    r = await a.arun(message, thread_id="t")
    await a.aclose()
    assert r.recommendations == [], r.reply
    assert [x.product_id for x in r.alternatives] == [pid]
    assert code in [v.code for v in r.alternatives[0].violations], r.alternatives[0].violations
    assert "couldn't find" in r.reply and "alternatives" in r.reply


async def test_cheaper_means_cheaper_than_what_was_shown(tmp_path, demo_catalog) -> None:
    model = ScriptedModel(
        steps=[*look_up_then_recommend(TENT_1P), *look_up_then_recommend(TENT_4P, TENT_1P)]
    )
    a = build_assistant(settings(tmp_path), demo_catalog, model=model)
    first = await a.arun("tents", thread_id="t")
    assert [x.product_id for x in first.recommendations] == [TENT_1P]
    second = await a.arun("anything cheaper?", thread_id="t")
    await a.aclose()
    assert second.recommendations == []
    codes = {x.product_id: [v.code for v in x.violations] for x in second.alternatives}
    assert "not_cheaper" in codes[TENT_4P] and "already_shown" in codes[TENT_1P]


async def test_answer_from_gathered_results_is_checked_too(tmp_path, demo_catalog) -> None:
    """The model never finishes: the turn answers from what it gathered, under the request."""
    model = ScriptedModel(steps=[call("browse_by_price", category="Hiking Boots", limit=20)])
    a = build_assistant(settings(tmp_path, SHOP_TOOL_BUDGET=2), demo_catalog, model=model)
    r = await a.arun("hiking boots in size 10 under $120", thread_id="t")
    await a.aclose()
    assert "answered from gathered results" in r.notes
    assert r.recommendations
    for x in r.recommendations:
        assert x.variant.get("size") == "10" and x.price <= 120 and x.in_stock


async def test_a_failing_model_answers_from_the_request(tmp_path, demo_catalog) -> None:
    def broken(messages: list[BaseMessage]) -> Any:
        raise RuntimeError("endpoint down")

    a = build_assistant(settings(tmp_path), demo_catalog, model=ScriptedModel(steps=[broken]))
    r = await a.arun("hiking boots in size 9 under $130", thread_id="t")
    await a.aclose()
    assert r.recommendations, r.reply
    assert all(x.variant.get("size") == "9" and x.price <= 130 for x in r.recommendations)


async def test_the_model_sees_the_request_and_the_numbered_cards(tmp_path, demo_catalog) -> None:
    model = ScriptedModel(steps=[*look_up_then_recommend(BOOT), call("reply", message="ok")])
    a = build_assistant(settings(tmp_path), demo_catalog, model=model)
    await a.arun("hiking boots in size 9 under $120, not Northfold", thread_id="t")
    await a.arun("what about the first one?", thread_id="t")
    graph = await a._ensure_graph()
    stored = (await graph.aget_state({"configurable": {"thread_id": "t"}})).values["messages"]
    await a.aclose()
    # the conversation is stored as the shopper wrote it
    assert [m.content for m in stored if isinstance(m, HumanMessage)] == [
        "hiking boots in size 9 under $120, not Northfold",
        "what about the first one?",
    ]
    last = model.prompts[-1]
    human = [m for m in last if isinstance(m, HumanMessage)][-1]
    note = str(human.content)
    assert note.startswith("what about the first one?")
    assert "budget: at most $120.00" in note and "size 9" in note and "not: Northfold" in note
    assert f"#1 [{BOOT}]" in note and "in focus: #1" in note
    assert human.additional_kwargs["shopper_text"] == "what about the first one?"
    # the earlier turn is sent as it was first sent, note included (a prefix cache reuses it)
    first_sent = [m for m in model.prompts[0] if isinstance(m, HumanMessage)][-1]
    earlier = [m for m in last[1:] if isinstance(m, HumanMessage)][0]
    assert earlier.content == first_sent.content and "<store_note>" in str(earlier.content)
    assert any(isinstance(m, ToolMessage) for m in last)
