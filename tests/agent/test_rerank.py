"""LLM re-ranking of search candidates, through the local OpenAI-compatible stub server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from agent.assistant import build_assistant
from agent.models import make_remote_model
from agent.rerank import LLMReranker, parse_ranking
from agent.settings import Settings
from catalog.constraints import Constraints
from tests.agent.stub_server import StubServer, error, text, tool_call
from tools.search_products import run_search

IDS = [f"P{i}" for i in range(1, 9)]


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def remote(stub: StubServer, tmp_path: Any = None, **kw: Any) -> Settings:
    values: dict[str, Any] = {
        "OPENAI_BASE_URL": stub.base_url,
        "OPENAI_API_KEY": "test",
        "SHOP_MODEL": "stub-model",
        "SHOP_MODEL_TIMEOUT_S": 5,
        "SHOP_MODEL_MAX_RETRIES": 0,
        **kw,
    }
    if tmp_path is not None:
        values["SHOP_DATA_DIR"] = str(tmp_path)
    return Settings(**values)


def items() -> list[dict[str, Any]]:
    return [
        {"id": pid, "title": f"Trail shoe {pid}", "category": "Shoes", "price": 50.0 + i,
         "in_stock": True, "stock": 3}
        for i, pid in enumerate(IDS)
    ]  # fmt: skip


def ranking(*ids: str) -> str:
    return json.dumps({"products": [{"product_id": i, "reason": f"fits ({i})"} for i in ids]})


def candidate_ids(body: dict[str, Any]) -> list[str]:
    """The candidate ids a rerank request showed the model, in order."""
    return re.findall(r"^\[([^\]]+)\]", body["messages"][-1]["content"], re.M)


def ids_of(out: list[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in out]


def test_valid_json_reorders(stub) -> None:
    stub.push(ranking("P3", "P1", "P7"))
    reranker = LLMReranker(make_remote_model(remote(stub)))
    out = reranker("light trail runners", items())
    assert ids_of(out) == ["P3", "P1", "P7", "P2", "P4"]  # the rest filled in search order
    assert out[0]["rerank_reason"] == "fits (P3)" and "rerank_reason" not in out[3]
    body = stub.requests[0]
    assert body["response_format"]["type"] == "json_schema"
    assert "products" in json.dumps(body["response_format"]["json_schema"]["schema"])
    assert candidate_ids(body) == IDS and "light trail runners" in body["messages"][-1]["content"]
    assert "<catalog_data>" in body["messages"][-1]["content"]


def test_invented_ids_dropped(stub) -> None:
    stub.push(ranking("INVENTED-1", "P6", "P6", "p2", "P5"))
    out = LLMReranker(make_remote_model(remote(stub)))("shoes", items())
    assert ids_of(out) == ["P6", "P5", "P1", "P2", "P3"]


@pytest.mark.parametrize(
    "answer",
    [
        text("I think P3 is the best, then P1."),
        text("{not json"),
        text(json.dumps({"products": "P3"})),
        text(ranking("NOPE-1", "NOPE-2")),
        text(""),
        error(500, "upstream down"),
    ],
    ids=["prose", "broken", "wrong-shape", "only-invented", "empty", "http-500"],
)
def test_garbage_keeps_original_order(stub, answer) -> None:
    stub.push(answer)
    out = LLMReranker(make_remote_model(remote(stub)))("shoes", items())
    assert ids_of(out) == IDS[:5]
    assert len(stub.requests) == 1


def test_fenced_json_and_bare_lists_parse() -> None:
    fenced = parse_ranking('Here:\n```json\n{"products": [{"product_id": "P2"}]}\n```')
    assert fenced is not None and fenced.products[0].product_id == "P2"
    bare = parse_ranking('["P4", "P1"]')
    assert bare is not None and [p.product_id for p in bare.products] == ["P4", "P1"]
    assert parse_ranking("no") is None


def test_endpoint_without_structured_output(stub) -> None:
    stub.push(error(400, "response_format is not supported"), ranking("P8"), ranking("P2"))
    reranker = LLMReranker(make_remote_model(remote(stub)))
    assert ids_of(reranker("shoes", items()))[0] == "P8"
    assert ids_of(reranker("shoes", items()))[0] == "P2"
    assert ["response_format" in b for b in stub.requests] == [True, False, False]


def test_disabled_or_trivial_makes_no_request(stub) -> None:
    reranker = LLMReranker(make_remote_model(remote(stub)), enabled=lambda: False)
    assert ids_of(reranker("shoes", items())) == IDS[:5]
    reranker.enabled = None
    assert ids_of(reranker("", items())) == IDS[:5]
    assert ids_of(reranker("shoes", items()[:1])) == ["P1"]
    assert stub.requests == []


def test_search_retrieves_candidates_and_reranks(stub, dummy_catalog) -> None:
    stub.push(lambda body: text(ranking(*reversed(candidate_ids(body)))))
    reranker = LLMReranker(make_remote_model(remote(stub)))
    _, before = run_search(dummy_catalog, "phone", Constraints(), 8)
    content, after = run_search(dummy_catalog, "phone", Constraints(), 8, reranker)
    shown = candidate_ids(stub.requests[0])
    assert len(shown) == 20 and before["ids"][0] in shown
    assert after["ids"] == list(reversed(shown))[:5] and after["reranked"] is True
    assert content.index(f"[{after['ids'][0]}]") < content.index(f"[{after['ids'][1]}]")
    assert after["items"][0]["rerank_reason"].startswith("fits")


async def test_assistant_reranks_only_when_enabled(tmp_path, stub, dummy_catalog) -> None:
    def recommend_top(body: dict[str, Any]) -> Any:
        tool = next(m for m in reversed(body["messages"]) if m["role"] == "tool")
        top = re.findall(r"^\[([^\]]+)\]", tool["content"], re.M)[0]
        return tool_call("recommend", {"items": [{"product_id": top, "reason": "a phone"}]})

    stub.push(
        tool_call("search_products", {"query": "smartphone"}),
        lambda body: text(ranking(*reversed(candidate_ids(body)))),  # the re-ranking call
        recommend_top,
    )
    a = build_assistant(remote(stub, tmp_path, SHOP_RERANK=True), dummy_catalog)
    r = await a.arun("a smartphone", thread_id="r")
    await a.aclose()
    assert len(stub.requests) == 3 and "response_format" in stub.requests[1]
    reversed_first = candidate_ids(stub.requests[1])[-1]
    # The re-ranked first candidate is what the model proposed; the fit check then puts it
    # among the picks, or among the alternatives when it is no smartphone.
    shown = [*r.recommendations, *r.alternatives]
    assert [x.product_id for x in shown] == [reversed_first]
    if r.alternatives:
        assert [v.code for v in r.alternatives[0].violations] == ["category_mismatch"]
    assert stub.rejections == []

    stub.clear()
    stub.push(tool_call("search_products", {"query": "smartphone"}), recommend_top)
    b = build_assistant(remote(stub, tmp_path / "b"), dummy_catalog)  # SHOP_RERANK off
    await b.arun("a smartphone", thread_id="r")
    await b.aclose()
    assert len(stub.requests) == 2 and all("response_format" not in x for x in stub.requests)
