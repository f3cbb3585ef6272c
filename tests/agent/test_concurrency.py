"""One turn at a time per thread: concurrent messages on one conversation are all kept, whether
they come from one process (two tabs) or from two assistants on the same data dir (two
processes), and each turn sees the ones before it."""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from agent.assistant import build_assistant
from agent.settings import Settings
from tests.agent.fakes import ScriptedModel, call


def settings(tmp_path: Any) -> Settings:
    return Settings(_env_file=None, SHOP_DATA_DIR=str(tmp_path), SHOP_TURNS_PER_MINUTE=1000)


def echo_model() -> ScriptedModel:
    """Replies at once; its recorded prompts tell how much of the conversation each turn saw."""

    def step(messages: list[BaseMessage]) -> AIMessage:
        return call("reply", message="Noted.")

    return ScriptedModel(steps=[step], prompts=[])


def seen_counts(model: ScriptedModel) -> list[int]:
    """Shopper messages in each prompt: a turn run on a stale conversation sees too few."""
    return sorted(sum(isinstance(m, HumanMessage) for m in p) for p in model.prompts)


async def _human_texts(assistant: Any, thread: str) -> list[str]:
    graph = await assistant._ensure_graph()
    state = await graph.aget_state({"configurable": {"thread_id": thread}})
    return [str(m.content) for m in state.values["messages"] if isinstance(m, HumanMessage)]


async def test_concurrent_turns_in_one_process_keep_every_message(tmp_path, demo_catalog) -> None:
    model = echo_model()
    a = build_assistant(settings(tmp_path), demo_catalog, model=model)
    messages = [f"message {i}" for i in range(6)]
    await asyncio.gather(*(a.arun(m, thread_id="shared") for m in messages))
    kept = await _human_texts(a, "shared")
    await a.aclose()
    assert sorted(kept) == sorted(messages)
    assert seen_counts(model) == [1, 2, 3, 4, 5, 6]  # each turn saw all the turns before it


async def test_two_assistants_on_one_data_dir_keep_every_message(tmp_path, demo_catalog) -> None:
    """Two assistants with their own checkpointer connections stand for two processes."""
    a = build_assistant(settings(tmp_path), demo_catalog, model=echo_model())
    b = build_assistant(settings(tmp_path), demo_catalog, model=echo_model())
    turns = [(a if i % 2 else b).arun(f"m{i}", thread_id="t") for i in range(6)]
    await asyncio.gather(*turns)
    kept = await _human_texts(a, "t")
    await a.aclose()
    await b.aclose()
    assert sorted(kept) == sorted(f"m{i}" for i in range(6))
