"""Drafts: a streaming model's prose, emitted sentence by sentence through the allow-list."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessageChunk

from agent.drafts import DraftWriter
from agent.facts import evidence_for
from agent.streaming import strict_message

ROW = "[P1] Trail Runner 2 | Shoes | rating 4.5 | sizes 9, 10"


def writer() -> tuple[DraftWriter, list[str]]:
    out: list[str] = []
    return DraftWriter(evidence_for([ROW], ["running shoes in size 10"], []), out.append), out


def feed_args(w: DraftWriter, name: str, raw: str, size: int = 3) -> None:
    for i in range(0, len(raw), size):
        w.tool_args(0, name if i == 0 else None, raw[i : i + size])


def test_sentences_come_out_when_complete_and_cleaned() -> None:
    w, out = writer()
    w.content("These fit long runs well. ")
    assert out == []  # the sentence may still continue: nothing yet
    w.content("They cost $5 now. Size 10 is")
    assert out == ["These fit long runs well. "]  # the money sentence is dropped
    assert any("money" in n for n in w.removed)
    w.content(" there.")
    assert len(out) == 1  # the last sentence waits for the stream's end
    w.close()
    assert out == ["These fit long runs well. ", "Size 10 is there. "]


def test_terminal_tool_message_from_partial_json() -> None:
    w, out = writer()
    args = {
        "items": [{"product_id": "P1", "reason": "light"}],
        "message": 'A light pick.\\nThe "Trail Runner 2. Fast" suits you. Only 3 left!',
    }
    raw = json.dumps(args).replace("\\\\n", "\\n")
    seen: list[int] = []
    for i in range(0, len(raw), 4):
        w.tool_args(0, "recommend" if i == 0 else None, raw[i : i + 4])
        seen.append(len(out))
    w.close()
    # the quoted span is judged whole; the stock figure is removed; drafts came mid-stream
    assert out == ["A light pick. ", 'The "Trail Runner 2. Fast" suits you. ']
    assert seen[-1] > 0 and seen.index(1) < len(seen) - 1


def test_nothing_but_the_text_argument_of_a_terminal_tool() -> None:
    w, out = writer()
    feed_args(w, "search_products", json.dumps({"query": "Shoes. Light ones. More"}))
    feed_args(w, "ask_clarifying_question", "")  # index 0 again: same call, name kept
    w.close()
    assert out == []
    w, out = writer()
    feed_args(w, "ask_clarifying_question", json.dumps({"question": "Which size? Road or trail?"}))
    w.close()
    assert out == ["Which size? ", "Road or trail? "]


def test_tool_calls_written_as_text_are_never_shown() -> None:
    for text in (
        '```json\n{"name": "reply", "arguments": {"message": "Hi. There."}}\n```',
        '{"name": "search_products", "arguments": {"query": "shoes. Now."}}',
        'Sure. Calling it: {"name": "reply", "arguments": {}}. Done. ',
    ):
        w, out = writer()
        for i in range(0, len(text), 5):
            w.content(text[i : i + 5])
        w.close()
        assert not any("{" in o or "name" in o for o in out), out


def test_placeholders_wait_for_the_final_answer() -> None:
    w, out = writer()
    w.content("It is {price:P1} today. A good choice.")
    w.close()
    assert out == ["A good choice. "]


def test_strict_message_refuses_truncated_streamed_arguments() -> None:
    good = AIMessageChunk(
        content="",
        tool_call_chunks=[{"name": "reply", "args": '{"message": "hi"}', "id": "a", "index": 0}],
    )
    bad = AIMessageChunk(
        content="",
        tool_call_chunks=[
            {"name": "search_products", "args": '{"query": "la', "id": "b", "index": 1}
        ],
    )
    message = strict_message(good + bad)
    assert message.tool_calls == [
        {"name": "reply", "args": {"message": "hi"}, "id": "a", "type": "tool_call"}
    ]
    assert [c["name"] for c in message.invalid_tool_calls] == ["search_products"]
    assert strict_message(None).content == ""
