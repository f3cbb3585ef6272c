"""The per-thread turn rate limit: refuses the turn over the limit, frees up as the minute
passes, and forgets idle threads (one record per visitor forever was a leak under load)."""

from __future__ import annotations

from pathlib import Path

from agent.assistant import build_assistant
from agent.settings import Settings
from agent.turn_rate import WINDOW_S, TurnRateLimit
from catalog.service import Catalog
from tests.clock import FakeClock


def test_the_turn_over_the_limit_is_refused_until_the_window_moves() -> None:
    clock = FakeClock()
    limit = TurnRateLimit(3, clock=clock)
    for _ in range(3):
        assert not limit.exceeded("t")
        limit.record("t")
        clock.advance_sync(10)
    assert limit.exceeded("t") and not limit.exceeded("other")
    clock.advance_sync(WINDOW_S - 30)  # the first turn (t=0) is now 60 s old: still counted
    assert limit.exceeded("t")
    clock.advance_sync(1)
    assert not limit.exceeded("t")


def test_idle_threads_are_forgotten() -> None:
    clock = FakeClock()
    limit = TurnRateLimit(20, clock=clock)
    for n in range(10_000):  # a new browser session, and so a new thread, every 10 ms
        assert not limit.exceeded(f"web-{n}")
        limit.record(f"web-{n}")
        clock.advance_sync(0.01)
    assert len(limit) <= WINDOW_S / 0.01 + 1  # only the last minute's threads are held
    limit.record("busy")
    clock.advance_sync(WINDOW_S + 1)
    assert not limit.exceeded("anyone") and len(limit) == 0


async def test_assistant_refuses_a_thread_that_sends_too_fast(
    tmp_path: Path, small_catalog: Catalog
) -> None:
    settings = Settings(
        _env_file=None, SHOP_DATA_DIR=tmp_path, SHOP_MODEL="offline", SHOP_TURNS_PER_MINUTE=2
    )
    clock = FakeClock()
    a = build_assistant(settings, small_catalog, clock=clock)
    first = await a.arun("hiking boots", thread_id="fast")
    second = await a.arun("hiking boots under $100", thread_id="fast")
    third = await a.arun("a merino t-shirt", thread_id="fast")
    elsewhere = await a.arun("a merino t-shirt", thread_id="calm")
    clock.advance_sync(WINDOW_S + 1)
    later = await a.arun("a merino t-shirt", thread_id="fast")
    await a.aclose()
    assert first.recommendations and second.recommendations
    assert "too quickly" in third.reply and "refused" in third.notes
    assert elsewhere.recommendations and later.recommendations
    assert len(a.turn_rate) == 1  # "calm" had been idle for a minute: forgotten
