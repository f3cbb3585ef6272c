"""SHOP_CARD_REASONS=store against the stub server: recommend asks the model for ranked picks
only, the system prompt says so, and every card's reason is rendered from its row and the
shopper's request (no empty reasons, nothing the model wrote)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from agent.assistant import build_assistant
from agent.prompts import MODEL_REASONS, STORE_REASONS
from tests.agent.stub_server import StubServer, tool_call, validate
from tests.agent.test_openai_stub import first_listed_id
from tests.agent.test_two_stage import prefix, remote


@pytest.fixture
def stub():  # type: ignore[no-untyped-def]
    with StubServer() as server:
        yield server


def recommend_schema(body: dict[str, Any]) -> dict[str, Any]:
    tool = next(t for t in body["tools"] if t["function"]["name"] == "recommend")
    return tool["function"]["parameters"]["properties"]["items"]["items"]["properties"]


def listed_ids(body: dict[str, Any]) -> list[str]:
    tool = next(m for m in reversed(body["messages"]) if m["role"] == "tool")
    return re.findall(r"^\[([^\]]+)\]", tool["content"], re.M)


def picks_only(body: dict[str, Any]) -> Any:
    """Two picks, ids only, as a model asked for no reasons writes them."""
    return tool_call("recommend", {"items": [{"product_id": i} for i in listed_ids(body)[:2]]})


async def test_store_reasons_ask_for_picks_only(tmp_path, stub, dummy_catalog) -> None:
    stub.push(picks_only, picks_only)
    a = build_assistant(remote(tmp_path, stub, SHOP_CARD_REASONS="store"), dummy_catalog)
    r = await a.arun("I need a laptop under $2000", thread_id="s")
    again = await a.arun("now a smartphone under $1000", thread_id="s")
    await a.aclose()
    first = stub.requests[0]
    assert "reason" not in recommend_schema(first) and "product_id" in recommend_schema(first)
    system = first["messages"][0]["content"]
    assert STORE_REASONS in system and MODEL_REASONS not in system
    # still one prefix for the deployment: byte-identical across calls and turns
    assert prefix(stub.requests[0]) == prefix(stub.requests[1])
    for result in (r, again):
        assert len(result.recommendations) == 2
        for rec in result.recommendations:
            # rendered from the row and the request: stock and budget, never blank
            assert rec.reason and "in stock" in rec.reason.lower()
            assert "budget" in rec.reason
    for body in stub.requests:
        validate(body)


async def test_model_reasons_are_the_default(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        lambda body: tool_call(
            "recommend",
            {"items": [{"product_id": first_listed_id(body), "reason": "a laptop"}]},
        )
    )
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    r = await a.arun("I need a laptop under $2000", thread_id="m")
    await a.aclose()
    body = stub.requests[0]
    assert "reason" in recommend_schema(body) and MODEL_REASONS in body["messages"][0]["content"]
    assert r.recommendations and r.recommendations[0].reason.lower() == "a laptop"
