"""What a small real model does wrong, replayed through the stub server: each path is recovered
once, then the offline engine answers; the shopper's request wins over the model's arguments;
every answer renders under the same constraints.

These script the model loop (two stages off), streamed as by default.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from agent.assistant import build_assistant
from agent.prompts import REDUCED_MODE_NOTE
from tests.agent.stub_server import Reply, StubServer, error, text, tool_call, tool_calls, validate
from tests.agent.test_openai_stub import first_listed_id, recommend_first
from tests.agent.test_two_stage import remote

SEARCH = {"query": "laptop", "category": "Laptops"}


@pytest.fixture
def stub():  # type: ignore[no-untyped-def]
    with StubServer() as server:
        yield server


async def turn(tmp_path: Any, stub: StubServer, catalog: Any, message: str, **kw: Any) -> Any:
    a = build_assistant(remote(tmp_path, stub, SHOP_TWO_STAGE=False, **kw), catalog)
    try:
        return await a.arun(message, thread_id="t")
    finally:
        await a.aclose()
        for body in stub.requests:
            validate(body)


def sent_back(stub: StubServer, i: int) -> str:
    """The corrective message that ended request `i` (the graph's, not the shopper's)."""
    return str(stub.requests[i]["messages"][-1]["content"])


def truncated(reply: Reply) -> Reply:
    return Reply(content=reply.content, tool_calls=reply.tool_calls, finish_reason="length")


# -- tool calls written as text ----------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        '```json\n{"name": "search_products", "arguments": %s}\n```',
        '{"name": "search_products", "arguments": %s}',
        'I will search now.\n{"name": "search_products", "parameters": %s}',
    ],
)
async def test_calls_written_as_text_are_recovered(tmp_path, stub, dummy_catalog, written) -> None:
    stub.push(text(written % json.dumps(SEARCH)), recommend_first)
    r = await turn(tmp_path, stub, dummy_catalog, "I need a laptop", SHOP_TOOL_CHOICE="required")
    assert len(stub.requests) == 2 and r.recommendations and not r.reduced_mode
    assert r.tool_calls[0].name == "search_products"
    assert "recovered 1 tool call(s) written as text" in r.notes


# -- recovered once, then the offline engine answers --------------------------------------

FAILURES = {
    "http 500 from the tool-call parser": error(500, "Failed to parse tool call"),
    "prose instead of a terminal tool": text("Laptops are great. I like them a lot."),
    "truncated call": truncated(tool_call("search_products", '{"query": "laptop", "cat')),
    "truncated complete-looking call": truncated(tool_call("search_products", SEARCH)),
    "unknown tool": tool_call("find_laptops", SEARCH),
}
PROBLEM = {
    "http 500 from the tool-call parser": "model error",
    "prose instead of a terminal tool": "prose instead of a tool call",
    "truncated call": "cut off",
    "truncated complete-looking call": "cut off",
    "unknown tool": "unknown tool name",
}


@pytest.mark.parametrize("kind", sorted(FAILURES))
async def test_recovered_once(tmp_path, stub, dummy_catalog, kind) -> None:
    stub.push(FAILURES[kind], tool_call("search_products", SEARCH), recommend_first)
    r = await turn(
        tmp_path, stub, dummy_catalog, "a laptop under $2000", SHOP_TOOL_CHOICE="required"
    )
    assert len(stub.requests) == 3 and not r.reduced_mode and r.recommendations
    assert PROBLEM[kind] in r.calls[0].problem and [c.problem for c in r.calls[1:]] == ["", ""]
    assert "did not call a tool correctly" in sent_back(stub, 1)
    assert all(x.price <= 2000 for x in r.recommendations)


@pytest.mark.parametrize("kind", sorted(FAILURES))
async def test_twice_then_the_offline_engine_answers(tmp_path, stub, dummy_catalog, kind) -> None:
    stub.push(FAILURES[kind], FAILURES[kind])
    r = await turn(
        tmp_path, stub, dummy_catalog, "a laptop under $2000", SHOP_TOOL_CHOICE="required"
    )
    assert len(stub.requests) == 2 and r.reduced_mode and REDUCED_MODE_NOTE in r.reply
    assert [c.model for c in r.calls][:2] == ["stub-model", "stub-model"]
    assert {c.model for c in r.calls[2:]} == {"offline"}
    # the engine answered the shopper's request, never the graph's correction prompt
    assert r.recommendations and all(x.price <= 2000 for x in r.recommendations)
    assert all(x.category == "Laptops" for x in r.recommendations)
    assert "can't help" not in r.reply.lower()


# -- the shopper's words outrank the model's arguments -------------------------------------


async def test_arguments_corrected_from_the_request(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call(
            "browse_by_price",
            {"category": "Smartphones", "min_price": 1500, "max_price": 1500, "sort": "price_asc"},
        ),
        recommend_first,
    )
    r = await turn(tmp_path, stub, dummy_catalog, "Find me a laptop, my budget is 1500 dollars")
    ran = r.tool_calls[0].args
    assert "min_price" not in ran and ran["max_price"] == 1500 and ran["category"] == "Laptops"
    corrected = [n for n in r.notes if n.startswith("corrected ")]
    assert any("category 'Smartphones' -> 'Laptops' (stated)" in n for n in corrected)
    assert any("dropped min_price" in n for n in corrected)
    assert r.recommendations and all(x.price <= 1500 for x in r.recommendations)


async def test_placeholder_prices_are_absent(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call(
            "search_products",
            {"query": "laptop", "max_price": 0, "brand": "any", "category": "unknown"},
        ),
        recommend_first,
    )
    r = await turn(tmp_path, stub, dummy_catalog, "I need a laptop")
    ran = r.tool_calls[0].args
    assert ran.get("max_price") is None and "brand" not in ran and "category" not in ran
    assert any("placeholder category='unknown'" in n for n in r.notes)
    assert r.recommendations and not r.reduced_mode


async def test_at_most_three_calls_per_response(tmp_path, stub, dummy_catalog) -> None:
    many = [("search_products", {**SEARCH, "query": f"laptop {i}"}) for i in range(11)]
    stub.push(tool_calls(*many), recommend_first)
    r = await turn(tmp_path, stub, dummy_catalog, "I need a laptop")
    assert [t.name for t in r.tool_calls].count("search_products") == 3
    answered = [m for m in stub.requests[1]["messages"] if m["role"] == "tool"]
    assert len(answered) == 3 and r.recommendations


# -- answers sent back once ---------------------------------------------------------------


async def test_a_question_must_be_a_question(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call("ask_clarifying_question", {"question": "I need sunglasses for outdoor use."}),
        tool_call("ask_clarifying_question", {"question": "What will you use them for?"}),
    )
    r = await turn(tmp_path, stub, dummy_catalog, "sunglasses")
    assert r.clarifying_question and r.reply == "What will you use them for?"
    assert "needs a question" in sent_back(stub, 1)


def recommend_found(body: dict[str, Any]) -> Reply:
    """Recommend the first product the search listed (later tool messages list none)."""
    found = [m["content"] for m in body["messages"] if m["role"] == "tool"]
    pid = re.findall(r"^\[([^\]]+)\]", found[0], re.M)[0]
    return tool_call("recommend", {"items": [{"product_id": pid}], "message": "Have a look."})


async def test_not_carried_after_a_search_found_it(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call("search_products", SEARCH),
        tool_call("reply", {"message": "Sorry, we don't carry laptops."}),
        recommend_found,
    )
    r = await turn(tmp_path, stub, dummy_catalog, "I need a laptop")
    assert r.recommendations and "don't carry" not in r.reply
    assert "search just returned matching products" in sent_back(stub, 2)


# -- every fallback path renders under the same constraints --------------------------------


async def test_answer_from_gathered_results_fits(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call("search_products", {"query": "laptop"}),
        tool_call("search_products", {"query": "laptops fast"}),
        tool_call("search_products", {"query": "laptops light"}),  # over the budget of 2
    )
    r = await turn(tmp_path, stub, dummy_catalog, "a laptop under $1000", SHOP_TOOL_BUDGET=2)
    assert "answered from gathered results" in r.notes
    assert all(x.price <= 1000 for x in r.recommendations)
    assert all(a.violations for a in r.alternatives)


async def test_trimmed_reason_is_replaced_by_facts(tmp_path, stub, dummy_catalog) -> None:
    def recommend(body: dict[str, Any]) -> Any:
        items = [{"product_id": first_listed_id(body), "reason": "Only $5 today, 90% off!"}]
        return tool_call("recommend", {"items": items, "message": "Gucci Bloom - $79.99."})

    stub.push(tool_call("search_products", SEARCH), recommend)
    r = await turn(tmp_path, stub, dummy_catalog, "I need a laptop")
    rec = r.recommendations[0]
    assert rec.reason and "$" not in rec.reason and "%" not in rec.reason
    assert "79.99" not in r.reply and "Gucci" not in r.reply
    assert any(n.startswith("removed from model text") for n in r.notes)


async def test_a_reason_on_every_card_is_replaced_by_each_ones_facts(
    tmp_path, stub, dummy_catalog
) -> None:
    same = "The shopper wants a laptop and it is in stock."

    def recommend(body: dict[str, Any]) -> Any:
        tool = next(m for m in reversed(body["messages"]) if m["role"] == "tool")
        ids = re.findall(r"^\[([^\]]+)\]", tool["content"], re.M)[:3]
        items = [{"product_id": pid, "reason": same} for pid in ids]
        items[-1]["reason"] = "a laptop"  # one of its own: kept
        return tool_call("recommend", {"items": items})

    stub.push(tool_call("search_products", SEARCH), recommend)
    r = await turn(tmp_path, stub, dummy_catalog, "I need a laptop")
    first, second, third = r.recommendations
    assert same.lower()[:20] not in (first.reason + second.reason).lower()
    assert first.reason and second.reason
    assert "in stock" in first.reason.lower()  # the store's facts about that one
    assert third.reason == "a laptop"
    assert sum("shared by several picks" in n for n in r.notes) == 2


async def test_a_templated_reason_naming_each_card_is_still_shared(
    tmp_path, stub, dummy_catalog
) -> None:
    """ "The <title> is a great choice" on every card says nothing about any one of them."""

    def recommend(body: dict[str, Any]) -> Any:
        tool = next(m for m in reversed(body["messages"]) if m["role"] == "tool")
        rows = re.findall(r"^\[([^\]]+)\] ([^|]+?) \|", tool["content"], re.M)[:3]
        items = [
            {"product_id": pid, "reason": f"The {title} is a great choice for a laptop."}
            for pid, title in rows
        ]
        return tool_call("recommend", {"items": items})

    stub.push(tool_call("search_products", SEARCH), recommend)
    r = await turn(tmp_path, stub, dummy_catalog, "I need a laptop")
    assert len(r.recommendations) == 3
    assert all("great choice" not in x.reason for x in r.recommendations)
    assert all(x.reason for x in r.recommendations)
    assert sum("shared by several picks" in n for n in r.notes) == 3


async def test_nearest_products_offered_for_no_match_are_never_picks(
    tmp_path, stub, demo_catalog
) -> None:
    """A model that recommends what a search offered because nothing matched ("pizza"): those
    are labelled alternatives and the answer says the store has no match."""

    def recommend_offered(body: dict[str, Any]) -> Any:
        tool = next(m for m in reversed(body["messages"]) if m["role"] == "tool")
        assert "No product in the store matches" in tool["content"]
        ids = re.findall(r"^\[([^\]]+)\]", tool["content"], re.M)[:2]
        return tool_call(
            "recommend",
            {"items": [{"product_id": i, "reason": "great pizza"} for i in ids], "message": "Yum!"},
        )

    stub.push(tool_call("search_products", {"query": "pizza"}), recommend_offered)
    r = await turn(tmp_path, stub, demo_catalog, "Do you sell pizza?")
    assert not r.recommendations and len(r.alternatives) == 2
    assert r.reply.startswith("I couldn't find a match for that in this store.")
    assert "pizza" not in r.reply.lower() and "Yum" not in r.reply
    assert all(v.code == "not_a_match" for a in r.alternatives for v in a.violations)
