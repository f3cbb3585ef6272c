"""SHOP_CARD_REASONS=store against the stub server: recommend asks the model for ranked picks
only, the system prompt says so, and every card's reason is rendered from its row and the
shopper's request (no empty reasons, nothing the model wrote)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from agent.assistant import build_assistant
from agent.prompts import MODEL_REASONS, STORE_REASONS
from agent.reason_policy import ReasonPolicy
from tests.agent.stub_server import StubServer, tool_call, validate
from tests.agent.test_openai_stub import first_listed_id
from tests.agent.test_two_stage import prefix, remote
from tools.contracts import ModelCall, Recommendation, TurnResult


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
    assert list(recommend_schema(first)) == ["product_id"]  # no reason, no variant id
    recommend = next(t for t in first["tools"] if t["function"]["name"] == "recommend")
    assert list(recommend["function"]["parameters"]["properties"]) == ["items"]  # no message
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


async def test_the_model_writes_reasons_at_first(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        lambda body: tool_call(
            "recommend",
            {"items": [{"product_id": first_listed_id(body), "reason": "a laptop"}]},
        )
    )
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)  # the default: auto
    assert a.settings.card_reasons == "auto" and a.model_reasons
    r = await a.arun("I need a laptop under $2000", thread_id="m")
    await a.aclose()
    body = stub.requests[0]
    assert "reason" in recommend_schema(body) and MODEL_REASONS in body["messages"][0]["content"]
    assert r.recommendations and r.recommendations[0].reason.lower() == "a laptop"


def turn(replaced: int, picks: int = 4, *, model: str = "remote", reduced: bool = False) -> Any:
    recs = [
        Recommendation(product_id=f"p{i}", title="t", price=1.0, currency="USD", in_stock=True)
        for i in range(picks)
    ]
    notes = [f"reason of p{i} trimmed to supported facts" for i in range(replaced)]
    return TurnResult(
        reply="",
        recommendations=recs,
        notes=notes,
        calls=[ModelCall(model=model)],
        reduced_mode=reduced,
    )


def test_policy_decides_on_a_full_window_of_model_reasons() -> None:
    policy = ReasonPolicy("auto")
    # turns the model did not answer do not count
    assert not policy.record(turn(4, model="offline")) and not policy.record(turn(4, reduced=True))
    assert not policy.record(turn(3)) and not policy.record(turn(2))  # 5 of 8: not full yet
    assert policy.model_writes()
    assert policy.record(turn(1))  # 6 of 12 replaced: the store writes them from now on
    assert not policy.model_writes() and not policy.record(turn(4))
    kept = ReasonPolicy("auto")
    for _ in range(5):
        assert not kept.record(turn(1))  # 1 in 4: the model's reasons are worth asking for
    assert kept.model_writes()
    fixed = ReasonPolicy("model")
    assert not any(fixed.record(turn(4)) for _ in range(5)) and fixed.model_writes()
    assert not ReasonPolicy("store").model_writes()


def same_reason_everywhere(body: dict[str, Any]) -> Any:
    """Four picks with one generic reason, as a small model writes them."""
    ids = listed_ids(body)[:4]
    reason = "The shopper wants this and it is in stock."
    return tool_call("recommend", {"items": [{"product_id": i, "reason": reason} for i in ids]})


REQUESTS = [
    "a laptop under $2000",
    "a smartphone under $1500",
    "some perfume",
    "a laptop under $1500",
    "skincare",
]


async def test_auto_stops_asking_once_most_reasons_are_replaced(
    tmp_path, stub, dummy_catalog
) -> None:
    stub.push(*[same_reason_everywhere] * 4, picks_only)
    a = build_assistant(remote(tmp_path, stub, SHOP_CARD_REASONS="auto"), dummy_catalog)
    assert a.model_reasons
    results = [await a.arun(text, thread_id=f"t{i}") for i, text in enumerate(REQUESTS)]
    await a.aclose()
    picks = [len(r.recommendations) for r in results[:4]]
    assert all(picks)
    # asked for reasons until the store had replaced a window's worth of them, then not
    switched = next(
        i for i, body in enumerate(stub.requests) if "reason" not in recommend_schema(body)
    )
    assert sum(picks[:switched]) >= 12 > sum(picks[: switched - 1])
    for body in stub.requests[:switched]:
        assert MODEL_REASONS in body["messages"][0]["content"]
    for body in stub.requests[switched:]:
        assert STORE_REASONS in body["messages"][0]["content"]
        assert list(recommend_schema(body)) == ["product_id"]
    assert not a.model_reasons and all(r.reason for r in results[-1].recommendations)


async def test_auto_keeps_reasons_the_store_can_use(tmp_path, stub, dummy_catalog) -> None:
    def own_words(body: dict[str, Any]) -> Any:
        """A reason per pick, in words from its own row (the title less its last word: the
        whole title alone would say nothing the card does not)."""
        tool = next(m for m in reversed(body["messages"]) if m["role"] == "tool")
        lines = re.findall(r"^\[([^\]]+)\] ([^|]+)", tool["content"], re.M)[:4]
        items = [
            {"product_id": pid, "reason": " ".join(title.split()[:-1])} for pid, title in lines
        ]
        return tool_call("recommend", {"items": items})

    stub.push(*[own_words] * 5)
    a = build_assistant(remote(tmp_path, stub, SHOP_CARD_REASONS="auto"), dummy_catalog)
    for i, text in enumerate(REQUESTS):
        await a.arun(text, thread_id=f"k{i}")
    await a.aclose()
    assert a.model_reasons
    assert all("reason" in recommend_schema(body) for body in stub.requests)


async def test_a_variant_id_named_as_a_product_is_that_product(
    tmp_path, stub, demo_catalog
) -> None:
    """Offered ids only, a small model copies a variant id off the tool result as the product
    id ("ELE-00061-BLK"): that is the product, in that variant, not an unknown id."""
    from sqlalchemy import select

    from catalog.models import Variant

    def by_variant(body: dict[str, Any]) -> Any:
        pid = listed_ids(body)[0]
        with demo_catalog.store.session() as session:
            vid = session.scalars(select(Variant.id).where(Variant.product_id == pid)).first()
        return tool_call("recommend", {"items": [{"product_id": vid}]})

    stub.push(by_variant)
    a = build_assistant(remote(tmp_path, stub, SHOP_CARD_REASONS="store"), demo_catalog)
    r = await a.arun("hiking boots under $150", thread_id="v")
    await a.aclose()
    assert len(stub.requests) == 1  # not sent back as an unknown id
    pid = listed_ids(stub.requests[0])[0]
    assert [x.product_id for x in r.recommendations] == [pid]
    assert r.recommendations[0].variant_id != pid and "read variant ids" in " ".join(r.notes)
