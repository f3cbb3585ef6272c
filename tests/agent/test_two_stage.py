"""The two-stage turn against the stub server: retrieval from the shopper's request first, then
one model call that ranks and explains; the prompt prefix stays byte-identical."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agent.assistant import build_assistant
from agent.prefetch import PREFETCH_LIMIT
from agent.prompts import FIRST_STAGE_RULE
from agent.settings import Settings
from tests.agent.stub_server import StubServer, error, tool_call, validate
from tests.agent.test_openai_stub import first_listed_id, recommend_first
from tests.agent.test_openai_stub import remote as loop_remote


@pytest.fixture
def stub():  # type: ignore[no-untyped-def]
    with StubServer() as server:
        yield server


def remote(tmp_path: Any, stub: StubServer, **kw: Any) -> Settings:
    """The stub server's settings with the default two-stage turn (test_openai_stub's: loop)."""
    return loop_remote(tmp_path, stub, **{"SHOP_TWO_STAGE": True, **kw})


def prefix(body: dict[str, Any]) -> str:
    """What must stay byte-identical across calls and turns: system prompt and tool schemas."""
    return json.dumps([body["messages"][0], body["tools"]], sort_keys=True)


async def test_one_call_ranks_what_was_retrieved(tmp_path, stub, dummy_catalog) -> None:
    stub.push(recommend_first)
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    r = await a.arun("I need a laptop under $2000", thread_id="t")
    await a.aclose()
    assert len(stub.requests) == 1 and r.prefetched and "prefetched" in " ".join(r.notes)
    sent = stub.requests[0]["messages"]
    # the model's first call already carries the retrieval, answered, after the request
    assert sent[-3]["role"] == "user" and "<store_note>" in sent[-3]["content"]
    assert sent[-2]["role"] == "assistant" and sent[-2]["tool_calls"]
    assert sent[-1]["role"] == "tool" and "<catalog_data>" in sent[-1]["content"]
    ran = r.tool_calls[0]
    assert ran.name in ("search_products", "browse_by_price") and ran.args["max_price"] == 2000
    assert ran.args.get("limit", 0) <= PREFETCH_LIMIT  # a compact candidate list
    assert [t.name for t in r.tool_calls][-1] == "recommend"
    assert r.recommendations and all(x.price <= 2000 for x in r.recommendations)
    assert [r.recommendations[0].product_id] == [first_listed_id(stub.requests[0])]
    assert len(r.calls) == 1 and r.calls[0].model == "stub-model"
    validate(stub.requests[0])


async def test_prefix_is_the_same_with_and_without_two_stages(
    tmp_path, stub, dummy_catalog
) -> None:
    stub.push(recommend_first, tool_call("reply", {"message": "You are welcome."}))
    a = build_assistant(remote(tmp_path / "a", stub), dummy_catalog)
    await a.arun("a laptop please", thread_id="p")
    await a.arun("thank you", thread_id="p")  # thanks: no retrieval, the model answers
    await a.aclose()
    stub.push(tool_call("reply", {"message": "Which kind?"}))
    loop = build_assistant(remote(tmp_path / "b", stub, SHOP_TWO_STAGE=False), dummy_catalog)
    await loop.arun("a laptop please", thread_id="q")
    await loop.aclose()
    assert len(stub.requests) == 3
    # byte-identical across calls and turns of one deployment
    assert prefix(stub.requests[0]) == prefix(stub.requests[1])
    # the loop's differs only by the rule about a first stage it never runs: told about a
    # search that never comes, a model recommends invented ids instead of searching
    two_stage, loop_prompt = stub.requests[1], stub.requests[2]
    assert two_stage["tools"] == loop_prompt["tools"]
    with_rule, without = two_stage["messages"][0]["content"], loop_prompt["messages"][0]["content"]
    assert with_rule.replace(FIRST_STAGE_RULE, "") == without
    assert "already searched" in with_rule and "already searched" not in without
    # the per-turn state rides last; the turn before is sent exactly as it was first sent
    # (its note included), so the second turn's prompt starts with the first one's bytes
    first, second = stub.requests[0]["messages"], stub.requests[1]["messages"]
    note = "<store_note>\n"  # (the system prompt names the tag too)
    assert note in second[-1]["content"] and "thank you" in second[-1]["content"]
    assert not any(m.get("tool_calls") for m in second[-1:])
    assert second[: len(first)] == first


async def test_the_model_may_still_call_tools(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call("search_products", {"query": "gaming laptop", "category": "Laptops"}),
        recommend_first,
    )
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    r = await a.arun("a laptop under $1500", thread_id="m")
    await a.aclose()
    assert r.prefetched and len(stub.requests) == 2 and r.recommendations
    assert [t.name for t in r.tool_calls][-2:] == ["search_products", "recommend"]
    for body in stub.requests:
        validate(body)


async def test_greeting_goes_straight_to_the_model(tmp_path, stub, dummy_catalog) -> None:
    stub.push(tool_call("reply", {"message": "Hello! What can I find for you?"}))
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    r = await a.arun("hello there", thread_id="g")
    await a.aclose()
    assert not r.prefetched and r.reply.startswith("Hello!")
    assert [m["role"] for m in stub.requests[0]["messages"]] == ["system", "user"]


async def test_a_request_that_says_nothing_yet_goes_straight_to_the_model(
    tmp_path, stub, dummy_catalog
) -> None:
    """ "I need a gift": a first stage would only find examples to ask about, and a model
    handed them as candidates recommends them instead of asking."""
    stub.push(tool_call("ask_clarifying_question", {"question": "Who is the gift for?"}))
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    r = await a.arun("I need a gift", thread_id="v")
    await a.aclose()
    assert not r.prefetched and r.clarifying_question
    assert [m["role"] for m in stub.requests[0]["messages"]] == ["system", "user"]


async def test_a_question_about_a_named_product_is_looked_up_first(
    tmp_path, stub, demo_catalog
) -> None:
    """Not vague: the first stage checks the named product's stock before the model runs."""
    stub.push(tool_call("reply", {"message": "It is sold out right now."}))
    a = build_assistant(remote(tmp_path, stub), demo_catalog)
    r = await a.arun("Is the Sonavo Campfire Portable Bluetooth Speaker in stock?", thread_id="n")
    await a.aclose()
    assert r.prefetched
    tool = [m for m in stub.requests[0]["messages"] if m["role"] == "tool"]
    assert tool and "Sonavo Campfire Portable Bluetooth Speaker" in tool[0]["content"]


async def test_open_breaker_answers_offline_without_prefetch(tmp_path, stub, dummy_catalog) -> None:
    stub.push(error(500), error(500))
    settings = remote(tmp_path, stub, SHOP_BREAKER_FAILURES=1, SHOP_BREAKER_COOLDOWN_S=600)
    a = build_assistant(settings, dummy_catalog)
    first = await a.arun("hello", thread_id="b")
    assert a.breaker.is_open() and first.reduced_mode
    r = await a.arun("a laptop under $1500", thread_id="b2")
    await a.aclose()
    assert len(stub.requests) == 1 and not r.prefetched
    assert r.reduced_mode and r.recommendations
    assert all(x.price <= 1500 for x in r.recommendations)
    assert all(c.model == "offline" for c in r.calls)
