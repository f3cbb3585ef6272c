"""The remote path: the real ChatOpenAI against the local OpenAI-compatible stub server.

The model comes from agent/models.py's factory with OPENAI_BASE_URL pointing at the stub; the
turns run through the Assistant and the graph over the DummyJSON catalog. These tests script
the model loop itself, so the two-stage turn (tests/agent/test_two_stage.py) is off here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

import httpx2
import openai
import pytest
from sqlalchemy import select

from agent.assistant import build_assistant
from agent.models import make_remote_model
from agent.prompts import REDUCED_MODE_NOTE
from agent.settings import Settings
from catalog.models import Product
from tests.agent.stub_server import StubServer, error, text, tool_call, tool_calls, validate
from tests.clock import FakeClock

CORRECTION = "did not call a tool correctly"


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def remote(tmp_path, stub: StubServer, **kw: Any) -> Settings:  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {
        "SHOP_DATA_DIR": str(tmp_path),
        "OPENAI_BASE_URL": stub.base_url,
        "OPENAI_API_KEY": "test",
        "SHOP_MODEL": "stub-model",
        "SHOP_MODEL_TIMEOUT_S": 5,
        "SHOP_MODEL_MAX_RETRIES": 0,
        "SHOP_TWO_STAGE": False,
        **kw,
    }
    return Settings(_env_file=None, **values)


def first_listed_id(body: dict[str, Any]) -> str:
    """The first product id in the last tool result the model was sent."""
    tool = next(m for m in reversed(body["messages"]) if m["role"] == "tool")
    return re.findall(r"^\[([^\]]+)\]", tool["content"], re.M)[0]


def recommend_first(body: dict[str, Any]) -> Any:
    pid = first_listed_id(body)
    return tool_call(
        "recommend",
        {"items": [{"product_id": pid, "reason": "a laptop"}], "message": "Have a look:"},
    )


def assert_well_formed(stub: StubServer) -> None:
    """Nothing was refused and no request had orphan (or unanswered) tool messages."""
    assert stub.rejections == []
    for body in stub.requests:
        validate(body)


def laptop(catalog) -> Product:  # type: ignore[no-untyped-def]
    with catalog.store.session() as s:
        return s.scalars(select(Product).where(Product.category == "Laptops")).first()


# -- the stub itself ---------------------------------------------------------------------


def test_stub_validates_like_openai(stub: StubServer) -> None:
    client = openai.OpenAI(base_url=stub.base_url, api_key="test", max_retries=0)
    assert [m.id for m in client.models.list().data] == ["stub-model"]
    bad = [
        [],
        [{"role": "user", "content": "hi"}, {"role": "tool", "tool_call_id": "x", "content": "y"}],
        [
            {"role": "user", "content": "hi"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}}
                ],
            },
            {"role": "user", "content": "and?"},
        ],
    ]
    for messages in bad:
        with pytest.raises(openai.BadRequestError):
            client.chat.completions.create(model="stub-model", messages=messages)
    assert len(stub.rejections) == 3 and "too short" in stub.rejections[0][1]
    assert "preceeding message with 'tool_calls'" in stub.rejections[1][1]
    stub.push("hello", error(429, "slow down"))
    out = client.chat.completions.create(
        model="stub-model", messages=[{"role": "user", "content": "hi"}]
    )
    assert out.choices[0].message.content == "hello" and out.usage.total_tokens > 0
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(
            model="stub-model", messages=[{"role": "user", "content": "hi"}]
        )
    assert stub.remaining == 0


# -- (a) a tool-call round trip ----------------------------------------------------------


async def test_tool_call_round_trip(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call("search_products", {"query": "laptop", "category": "Laptops"}),
        recommend_first,
        tool_call("reply", {"message": "You are welcome."}),
    )
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    assert a.model_name == "stub-model" and type(a.model).__name__ == "ChatOpenAI"
    r = await a.arun("I need a laptop", thread_id="a")
    r2 = await a.arun("thanks!", thread_id="a")
    await a.aclose()

    assert [t.name for t in r.tool_calls] == ["search_products", "recommend"]
    assert r.model == "stub-model" and not r.reduced_mode
    pid = first_listed_id(stub.requests[1])
    assert [x.product_id for x in r.recommendations] == [pid]
    with dummy_catalog.store.session() as s:
        product = s.get(Product, pid)
        assert r.recommendations[0].title == product.title
        assert r.recommendations[0].price in {float(v.price) for v in product.variants}
    # the second request carried the search result, answering the first call
    second = stub.requests[1]["messages"]
    assert second[-2]["role"] == "assistant" and second[-2]["tool_calls"][0]["id"] == "call_1_0"
    assert second[-1]["role"] == "tool" and second[-1]["tool_call_id"] == "call_1_0"
    assert "<catalog_data>" in second[-1]["content"]
    assert stub.requests[0]["tools"] and stub.requests[0]["model"] == "stub-model"
    assert "tool_choice" not in stub.requests[0]
    # the next turn sends the whole history, still well formed
    assert r2.reply.startswith("You are welcome.") and len(stub.requests) == 3
    assert [m["role"] for m in stub.requests[2]["messages"]][-1] == "user"
    assert_well_formed(stub)


# -- (b) streaming -----------------------------------------------------------------------


async def test_streaming_model_and_events(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call("search_products", {"query": "laptop", "category": "Laptops"}, usage=(50, 7)),
        lambda body: recommend_first(body),
    )
    settings = remote(tmp_path, stub)
    model = make_remote_model(settings, streaming=True, stream_usage=True)
    a = build_assistant(settings, dummy_catalog, model=model)
    events = [e async for e in a.astream("a laptop please", thread_id="s")]
    await a.aclose()
    types = [e.type for e in events]
    assert types[0] == "tool_start" and events[0].name == "search_products"
    assert events[0].args == {"query": "laptop", "category": "Laptops"}
    assert "tool_end" in types and "token" in types and types[-1] == "final"
    result = events[-1].result
    assert result.recommendations and result.model == "stub-model"
    assert "".join(e.text for e in events if e.type == "token") == result.reply
    assert all(b["stream"] is True for b in stub.requests)
    assert all(b["stream_options"] == {"include_usage": True} for b in stub.requests)
    assert not result.usage.estimated and result.usage.prompt_tokens >= 50
    assert_well_formed(stub)


async def test_streaming_chunks_direct(stub) -> None:
    stub.push(
        tool_call("search_products", {"query": "tent", "max_price": 99.5}), "plain words here"
    )
    settings = Settings(
        OPENAI_BASE_URL=stub.base_url, OPENAI_API_KEY="test", SHOP_MODEL="stub-model"
    )
    model = make_remote_model(settings)
    chunks = [c async for c in model.astream("tent", stream_usage=True)]
    assert len(chunks) > 3
    total = chunks[0]
    for c in chunks[1:]:
        total = total + c
    assert total.tool_calls[0]["args"] == {"query": "tent", "max_price": 99.5}
    assert total.usage_metadata and total.usage_metadata["input_tokens"] > 0
    words = [c.content async for c in model.astream("hi")]
    assert "".join(words) == "plain words here"


# -- (c) a 500, then success -------------------------------------------------------------


async def test_500_retried_by_the_client(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        error(500, "tool call parser failed", retry_after_ms=1),
        tool_call("reply", {"message": "Hello!"}),
    )
    a = build_assistant(remote(tmp_path, stub, SHOP_MODEL_MAX_RETRIES=1), dummy_catalog)
    r = await a.arun("hi", thread_id="c")
    await a.aclose()
    assert r.reply == "Hello!" and not r.reduced_mode and r.model == "stub-model"
    assert len(stub.requests) == 2 and stub.requests[0] == stub.requests[1]


async def test_500_corrected_by_the_graph(tmp_path, stub, dummy_catalog) -> None:
    stub.push(error(500, "tool call parser failed"), tool_call("reply", {"message": "Hello!"}))
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    r = await a.arun("hi", thread_id="c2")
    await a.aclose()
    assert r.reply == "Hello!" and not r.reduced_mode
    assert len(stub.requests) == 2
    assert a.breaker.count == 0  # the success closed the count again
    assert_well_formed(stub)


class FirstRequestTimesOut(httpx2.AsyncBaseTransport):
    """The first request times out (as httpx2 reports a read timeout), later ones go through:
    the graph's handling of a timeout, without racing a real clock."""

    def __init__(self) -> None:
        self.inner = httpx2.AsyncHTTPTransport()
        self.calls = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.calls += 1
        if self.calls == 1:
            raise httpx2.ReadTimeout("timed out", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_timeout_then_success(tmp_path, stub, dummy_catalog) -> None:
    stub.push(tool_call("reply", {"message": "On time."}))
    # The timeout is simulated by the transport; the real one is long, so a slow stub on a
    # loaded machine cannot time the second request out too.
    settings = remote(tmp_path, stub, SHOP_MODEL_TIMEOUT_S=45)
    assert make_remote_model(settings).request_timeout == 45  # the setting reaches the client
    transport = FirstRequestTimesOut()
    async with httpx2.AsyncClient(transport=transport) as client:
        model = make_remote_model(settings, http_async_client=client)
        a = build_assistant(settings, dummy_catalog, model=model)
        r = await a.arun("hi", thread_id="t")
        await a.aclose()
    assert r.reply == "On time." and transport.calls == 2 and len(stub.requests) == 1


# -- (d) malformed tool-call arguments ---------------------------------------------------


async def test_malformed_arguments_corrected(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call("search_products", '{"query": "laptop", "category": "Lap'),
        tool_call("search_products", {"query": "laptop", "category": "Laptops"}),
        recommend_first,
    )
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    r = await a.arun("a laptop", thread_id="d")
    await a.aclose()
    assert len(stub.requests) == 3 and r.recommendations and not r.reduced_mode
    retry = stub.requests[1]["messages"]
    assert retry[-1]["role"] == "user" and CORRECTION in retry[-1]["content"]
    assert "invalid tool call arguments" in retry[-1]["content"]
    assert not any(m.get("tool_calls") for m in retry)  # the broken call was not kept
    assert_well_formed(stub)


async def test_malformed_twice_falls_back(tmp_path, stub, dummy_catalog) -> None:
    stub.push(tool_call("search_products", "{not json"), tool_call("recommend", "[[["))
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    r = await a.arun("I need a laptop under $2000", thread_id="d2")
    await a.aclose()
    assert len(stub.requests) == 2
    assert r.reply and r.reduced_mode and REDUCED_MODE_NOTE in r.reply
    assert r.recommendations and all(x.price <= 2000 for x in r.recommendations)
    assert r.model == "offline"


# -- (e) prose where a tool call was required --------------------------------------------


async def test_tool_choice_required_corrects_prose(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        text("Sure! Let me think about laptops for you."),
        tool_call("ask_clarifying_question", {"question": "What is your budget?"}),
    )
    a = build_assistant(remote(tmp_path, stub, SHOP_TOOL_CHOICE="required"), dummy_catalog)
    r = await a.arun("a laptop", thread_id="e")
    await a.aclose()
    assert r.clarifying_question and r.reply == "What is your budget?"
    assert [b["tool_choice"] for b in stub.requests] == ["required", "required"]
    assert "prose instead of a tool call" in stub.requests[1]["messages"][-1]["content"]
    assert_well_formed(stub)


# -- (f) the circuit breaker -------------------------------------------------------------


async def test_breaker_opens_then_retries_after_cooldown(tmp_path, stub, dummy_catalog) -> None:
    settings = remote(tmp_path, stub, SHOP_BREAKER_FAILURES=2, SHOP_BREAKER_COOLDOWN_S=60)
    stub.push(error(500), error(500))
    a = build_assistant(settings, dummy_catalog)
    clock = a.breaker.clock = FakeClock()
    r1 = await a.arun("a laptop under $1500", thread_id="f")
    assert len(stub.requests) == 2 and a.breaker.is_open()
    assert r1.reduced_mode and REDUCED_MODE_NOTE in r1.reply and r1.model == "offline"

    r2 = await a.arun("smartphones", thread_id="f2")  # open: straight to the planner
    assert len(stub.requests) == 2
    assert r2.reduced_mode and REDUCED_MODE_NOTE in r2.reply and r2.recommendations

    clock.advance_sync(59)
    assert a.breaker.is_open()  # still cooling down
    clock.advance_sync(1)  # cool-down over: the remote is tried again
    stub.push(tool_call("reply", {"message": "Back online."}))
    r3 = await a.arun("hello", thread_id="f3")
    await a.aclose()
    assert len(stub.requests) == 3
    assert r3.reply == "Back online." and not r3.reduced_mode and r3.model == "stub-model"
    assert_well_formed(stub)


async def test_breaker_half_open_probe_fails(tmp_path, stub, dummy_catalog) -> None:
    settings = remote(tmp_path, stub, SHOP_BREAKER_FAILURES=2, SHOP_BREAKER_COOLDOWN_S=60)
    stub.push(error(500), error(500))
    a = build_assistant(settings, dummy_catalog)
    clock = a.breaker.clock = FakeClock()
    await a.arun("a laptop", thread_id="h")
    clock.advance_sync(60)
    stub.push(error(500))
    r = await a.arun("a laptop", thread_id="h2")
    # one failed probe re-opens the breaker: this turn and the next are answered offline
    assert len(stub.requests) == 3 and r.reduced_mode
    r = await a.arun("a phone", thread_id="h3")
    await a.aclose()
    assert len(stub.requests) == 3 and r.reduced_mode


# -- (g) usage ---------------------------------------------------------------------------


async def test_usage_reported(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_call("search_products", {"query": "laptop"}, usage=(120, 11)),
        lambda body: tool_call(
            "recommend", {"items": [{"product_id": first_listed_id(body)}]}, usage=(300, 22)
        ),
    )
    settings = remote(tmp_path, stub, SHOP_COST_PER_1K_PROMPT=1.0, SHOP_COST_PER_1K_COMPLETION=2.0)
    a = build_assistant(settings, dummy_catalog)
    r = await a.arun("laptop", thread_id="g")
    await a.aclose()
    assert r.usage.estimated is False
    assert (r.usage.prompt_tokens, r.usage.completion_tokens) == (420, 33)
    assert r.usage.cost == pytest.approx((420 * 1.0 + 33 * 2.0) / 1000)


@pytest.mark.parametrize("stream", [False, True])
async def test_usage_estimated_when_not_reported(tmp_path, dummy_catalog, stream: bool) -> None:
    with StubServer(usage=False) as stub:
        stub.push(tool_call("reply", {"message": "Hi there."}))
        a = build_assistant(remote(tmp_path, stub, SHOP_MODEL_STREAM=stream), dummy_catalog)
        r = await a.arun("hello", thread_id="g2")
        await a.aclose()
    # a streamed call asks for usage; this server reports none either way
    wanted = [{"include_usage": True}] if stream else [None]
    assert [b.get("stream_options") for b in stub.requests] == wanted
    assert r.usage.estimated is True and r.calls[0].estimated
    assert r.usage.prompt_tokens > 0 and r.usage.completion_tokens > 0


# -- an interrupted turn (the shopper left, the UI cancelled) ----------------------------


async def test_interrupted_turn_leaves_no_dangling_tool_calls(
    tmp_path, stub, dummy_catalog
) -> None:
    stub.push(
        tool_call("search_products", {"query": "laptop", "category": "Laptops"}),
        tool_call("reply", {"message": "Hello again."}),
    )
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    async with contextlib.aclosing(a.astream("a laptop", thread_id="x")) as events:
        async for event in events:
            if event.type == "tool_start":
                break  # the consumer goes away after the model asked for a tool
    r = await a.arun("hello?", thread_id="x")
    await a.aclose()
    assert r.reply == "Hello again." and not r.reduced_mode
    assert len(stub.requests) == 2
    assert_well_formed(stub)


async def test_bad_request_does_not_open_the_breaker(tmp_path, stub, dummy_catalog) -> None:
    stub.push(error(400, "This model's maximum context length is 8192 tokens."), error(400))
    a = build_assistant(remote(tmp_path, stub, SHOP_BREAKER_FAILURES=2), dummy_catalog)
    r = await a.arun("a laptop", thread_id="b4")
    await a.aclose()
    assert len(stub.requests) == 2 and r.reduced_mode and r.reply  # this turn: offline
    assert not a.breaker.is_open()  # but one bad conversation does not cut off everyone


async def test_parallel_tool_calls_all_answered(tmp_path, stub, dummy_catalog) -> None:
    stub.push(
        tool_calls(
            ("search_products", {"query": "laptop", "category": "Laptops"}),
            ("browse_by_price", {"category": "Laptops"}),
        ),
        recommend_first,
    )
    a = build_assistant(remote(tmp_path, stub), dummy_catalog)
    r = await a.arun("laptops", thread_id="p")
    await a.aclose()
    answered = [m["tool_call_id"] for m in stub.requests[1]["messages"] if m["role"] == "tool"]
    assert answered == ["call_1_0", "call_1_1"] and r.recommendations
    assert_well_formed(stub)


async def test_streamed_malformed_arguments_are_invalid(tmp_path, stub, dummy_catalog) -> None:
    # LangChain parses streamed tool-call arguments leniently (partial JSON): a truncated
    # '{"query": "lapt' would arrive as a valid call with query "lapt". The graph checks the
    # raw streamed arguments as strictly as whole ones (agent/streaming.py): one corrective
    # retry, and no tool ever runs with the truncated arguments.
    stub.push(
        tool_call("search_products", '{"query": "lapt'),
        tool_call("reply", {"message": "Which kind of laptop?"}),
    )
    settings = remote(tmp_path, stub, SHOP_MODEL_STREAM=True)
    a = build_assistant(settings, dummy_catalog)
    r = await a.arun("laptop", thread_id="sm")
    await a.aclose()
    assert all(b["stream"] is True for b in stub.requests)
    assert r.reply == "Which kind of laptop?" and len(stub.requests) == 2
    assert [t.name for t in r.tool_calls] == ["reply"]
    assert "invalid tool call arguments" in stub.requests[1]["messages"][-1]["content"]
    assert [c.problem for c in r.calls] == ["invalid tool call arguments", ""]
    assert_well_formed(stub)
