"""Item 8: one deadline per turn. A hanging, failing or garbage-speaking endpoint still gets
the shopper an answer from the offline fallback inside the deadline; time is a FakeClock
moved by hand (the endpoint really hangs, the clock decides when the turn gives up)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from agent.assistant import build_assistant
from agent.settings import Settings
from agent.storage_health import StorageHealth
from agent.turn_guard import DEADLINE_REPLY, TurnGuard
from catalog.service import Catalog
from tests.agent.stub_server import StubServer, delay, error, tool_call
from tests.clock import FakeClock
from tools.contracts import TurnEvent, TurnResult

DEADLINE_S = 20.0
RESERVE_S = 5.0  # min(5, 25% of 20)


def remote(tmp_path, base_url: str, **kw: Any) -> Settings:  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {
        "SHOP_DATA_DIR": str(tmp_path),
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": "test",
        "SHOP_MODEL": "stub-model",
        "SHOP_MODEL_TIMEOUT_S": 600,  # far beyond the deadline: only the deadline ends a call
        "SHOP_MODEL_MAX_RETRIES": 2,
        "SHOP_TURN_DEADLINE_S": DEADLINE_S,
        **kw,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


async def test_hanging_endpoint_is_cut_at_the_model_budget_and_the_planner_answers(
    tmp_path, stub: StubServer, small_catalog: Catalog
) -> None:
    arrived = threading.Event()

    def hang(body: dict) -> Any:
        arrived.set()
        return delay(3600, "never sent")  # held until the stub closes

    stub.push(hang)
    clock = FakeClock()
    a = build_assistant(remote(tmp_path, stub.base_url), small_catalog, clock=clock)
    started = clock.monotonic()
    turn = asyncio.ensure_future(a.arun("hiking boots under $100", thread_id="hang"))
    await asyncio.to_thread(arrived.wait, 60)  # the request is at the endpoint, hanging
    await clock.sleeping(2)  # the guard and the model transport both wait on the clock
    await clock.advance(DEADLINE_S - RESERVE_S)  # the model budget is spent
    result = await asyncio.wait_for(turn, 120)  # a safety net, not a timing assertion
    await a.aclose()

    assert clock.monotonic() - started == DEADLINE_S - RESERVE_S  # answered without more time
    assert result.reduced_mode and result.model == "offline"
    assert result.recommendations and all(r.price <= 100 for r in result.recommendations)
    assert len(stub.requests) == 1  # no SDK retry and no corrective retry went out
    assert a.breaker.count >= 1  # a hanging endpoint counts as an outage


async def test_turn_that_never_answers_gets_an_apology_at_the_deadline() -> None:
    clock = FakeClock()
    guard = TurnGuard(DEADLINE_S, StorageHealth(None, clock=clock), clock=clock)
    stuck = asyncio.Event()

    async def turn(memoryless: bool) -> AsyncIterator[TurnEvent]:
        yield TurnEvent(type="tool_start", name="search_products", call_id="1")
        await stuck.wait()  # a hung catalog, say
        yield TurnEvent(type="final", result=TurnResult(reply="late"))

    events: list[TurnEvent] = []

    async def consume() -> None:
        async for event in guard.run(turn, thread_id="t", request_id="r"):
            events.append(event)

    consumer = asyncio.ensure_future(consume())
    await clock.sleeping(1)
    await clock.advance(DEADLINE_S - 0.5)  # (binary-exact steps: no rounding at the edge)
    assert not consumer.done()
    await clock.advance(0.5)
    await asyncio.wait_for(consumer, 30)
    final = events[-1].result
    assert final is not None and final.reply == DEADLINE_REPLY and "deadline" in final.notes
    assert [e.type for e in events] == ["tool_start", "token", "final"]


async def test_sdk_retries_of_a_500_stop_at_the_model_budget(
    tmp_path, stub: StubServer, small_catalog: Catalog
) -> None:
    """The SDK retries a 500 after a back-off sleep; a retry that comes after the budget is
    answered 408 at once by the transport (no further retry), so neither the back-offs nor
    the graph's corrective retry can stretch the turn."""
    arrived = threading.Event()

    def fail(body: dict) -> Any:
        arrived.set()  # set before the 500 is written, so the clock moves before any retry
        return error(500)

    stub.push(fail)
    clock = FakeClock()
    a = build_assistant(remote(tmp_path, stub.base_url), small_catalog, clock=clock)
    turn = asyncio.ensure_future(a.arun("hiking boots", thread_id="500"))
    await asyncio.to_thread(arrived.wait, 60)
    await clock.advance(DEADLINE_S - RESERVE_S)
    result = await asyncio.wait_for(turn, 120)
    await a.aclose()
    assert result.reduced_mode and result.recommendations
    assert len(stub.requests) == 1  # the SDK's retry never reached the endpoint


class Garbage(BaseHTTPRequestHandler):
    """Answers every request with 200 and a body that is not an OpenAI response."""

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"<html><body>502 Bad Gateway... or is it?</body></html>\x00\xff"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


async def test_endpoint_answering_garbage_gets_the_fallback(
    tmp_path, small_catalog: Catalog
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        a = build_assistant(remote(tmp_path, url, SHOP_MODEL_MAX_RETRIES=0), small_catalog)
        result = await a.arun("hiking boots under $100", thread_id="garbage")
        await a.aclose()
    finally:
        server.shutdown()
        server.server_close()
    assert result.reduced_mode and result.recommendations
    assert "Traceback" not in result.reply


async def test_within_budget_the_endpoint_answers_normally(
    tmp_path, stub: StubServer, small_catalog: Catalog
) -> None:
    stub.push(tool_call("reply", {"message": "Hello from the model."}))
    a = build_assistant(remote(tmp_path, stub.base_url), small_catalog, clock=FakeClock())
    result = await a.arun("hello", thread_id="ok")
    await a.aclose()
    assert result.reply == "Hello from the model." and not result.reduced_mode
