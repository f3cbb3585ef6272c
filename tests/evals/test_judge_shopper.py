"""The LLM judge and the simulated shopper through a local OpenAI-compatible stub server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from evals.graders import grade_all
from evals.judge import JudgeScore, make_judge, parse_score
from evals.runner import run_transcript
from evals.scenario import Scenario, Transcript, TranscriptTurn
from evals.simulated_shopper import make_shopper
from tools.contracts import TurnResult


class Stub:
    """A minimal /v1/chat/completions server answering from a script (stdlib only)."""

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append(body)
                content = stub.replies.pop(0) if stub.replies else "DONE"
                payload = json.dumps(
                    {
                        "id": "chatcmpl-stub",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "stub"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub() -> Iterator[Any]:
    servers: list[Stub] = []

    def start(replies: list[str]) -> Stub:
        servers.append(Stub(replies))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


SCENARIO = Scenario.model_validate(
    {
        "id": "sim",
        "description": "boots for a hiker",
        "turns": [{"user": "I need boots", "expect": {"recommends": {"min": 0}}}],
        "shopper": {
            "persona": "a hiker with wide feet",
            "goal": "buy hiking boots under $150 in size 10",
            "max_turns": 4,
            "expect": {"mentions": ["size 10"]},
        },
    }
)


def test_parse_score_tolerates_fences_and_rejects_bad_schema() -> None:
    s = parse_score('```json\n{"helpfulness": 5, "explanation_quality": 3, "rationale": "ok"}\n```')
    assert s == JudgeScore(helpfulness=5, explanation_quality=3, rationale="ok")
    assert s.normalized == pytest.approx(0.75)
    with pytest.raises(ValueError):
        parse_score('{"helpfulness": 9, "explanation_quality": 3}')
    with pytest.raises(ValueError):
        parse_score("great job")


def test_judge_not_configured_is_none() -> None:
    assert make_judge(None, None, None) is None


def test_judge_grader_through_stub(stub: Any, tmp_path: Path) -> None:
    from tests.evals.helpers import tiny_catalog

    server = stub(['{"helpfulness": 4, "explanation_quality": 5, "rationale": "clear"}', "nope"])
    judge = make_judge(server.url, "k", "judge-model")
    assert judge is not None
    transcript = Transcript(
        scenario_id="sim",
        catalog_url=tiny_catalog(tmp_path),
        turns=[TranscriptTurn(user="I need boots", reply="Here are boots.")],
    )
    grades = {g.name: g for g in grade_all(SCENARIO, transcript, [judge.grader()])}
    assert grades["judge"].score == pytest.approx(0.875) and not grades["judge"].asserted
    assert "helpfulness 4/5" in grades["judge"].explanation
    sent = server.requests[0]
    assert sent["model"] == "judge-model" and "I need boots" in sent["messages"][-1]["content"]
    bad = judge.grader()(SCENARIO, transcript)  # second reply is not JSON
    assert not bad.passed and "bad judge reply" in bad.explanation


class EchoAssistant:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    async def arun(self, message: str, *, thread_id: str, **kw: Any) -> TurnResult:
        self.seen.append((thread_id, message))
        return TurnResult(reply=f"Noted: {message}. Anything else?")

    async def aclose(self) -> None:
        pass


async def test_simulated_shopper_until_done(stub: Any) -> None:
    server = stub(["Do you have them in size 10?", "DONE"])
    shopper = make_shopper(server.url, "k", "shopper-model")
    assistant = EchoAssistant()
    t = await run_transcript(assistant, SCENARIO, url="sqlite://", thread_id="th", shopper=shopper)
    assert t.simulated and [turn.user for turn in t.turns] == [
        "I need boots",
        "Do you have them in size 10?",
    ]
    assert {thread for thread, _ in assistant.seen} == {"th"}
    # The first turn keeps its scripted expectation; the last carries the shopper's goal.
    assert t.turns[0].expect.recommends is not None
    assert t.turns[-1].expect.mentions == ["size 10"]
    # The shopper model sees the persona/goal and the store's replies as the other party.
    system = server.requests[0]["messages"][0]["content"]
    assert "wide feet" in system and "under $150" in system
    assert server.requests[1]["messages"][-1]["role"] == "user"


async def test_simulated_shopper_turn_limit_and_scripted_fallback(stub: Any) -> None:
    server = stub(["more?", "more?", "more?", "more?", "more?"])
    shopper = make_shopper(server.url, "k", "m")
    t = await run_transcript(EchoAssistant(), SCENARIO, url="x", thread_id="t", shopper=shopper)
    assert len(t.turns) == 4  # max_turns
    scripted = await run_transcript(EchoAssistant(), SCENARIO, url="x", thread_id="t")
    assert not scripted.simulated and len(scripted.turns) == 1
