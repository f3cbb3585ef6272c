"""The baseline's player: runs *inside* an exported tree of an older commit (bench/baseline.py
starts it with that tree first on the path), so the scenarios it is sent are played by that
commit's own assistant, settings and graph, against the same model endpoint.

    python bench/baseline_worker.py TREE DATA_DIR   (JSON lines in on stdin, out on stdout)

Each request line is `{"id": SCENARIO_ID}`; each answer is one line `BASELINE {json}` with the
scenario's transcript (that commit's own record of each turn) and, per turn, every model call
as the endpoint answered it: the calls go through a counting proxy on 127.0.0.1, which reads
the usage the server reports (prompt, completion and cached tokens) and times each call.
Only names that commit already had are used: evals.runner's `prepare_catalog`, `catalog_url`
and `run_one`, `load_scenarios`, `build_assistant` and `Settings`.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

TREE, DATA = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
sys.path.insert(0, str(TREE))
os.chdir(TREE)  # that commit's relative paths (scenarios, demo catalog) resolve in its tree

CALLS: list[dict[str, Any]] = []


class Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards to the real endpoint; records each completion call's usage and time."""

    upstream = ""
    timeout_s = 600.0

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        started = time.perf_counter()
        request = urllib.request.Request(
            self.upstream + self.path,
            data=body,
            headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
            method="POST",
        )
        try:
            # the client's own timeout: when it gives up, closing this connection too makes the
            # server stop generating, as it would for the client itself
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:  # noqa: S310
                status, data, kind = response.status, response.read(), response.headers
        except urllib.error.HTTPError as exc:
            status, data, kind = exc.code, exc.read(), exc.headers
        except OSError:  # timed out: the client has given up already
            CALLS.append(_usage(b"", 504, (time.perf_counter() - started) * 1000))
            return
        ms = (time.perf_counter() - started) * 1000
        if self.path.endswith("/chat/completions"):
            CALLS.append(_usage(data, status, ms))
        self.send_response(status)
        self.send_header("Content-Type", kind.get("Content-Type") or "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def _usage(data: bytes, status: int, ms: float) -> dict[str, Any]:
    """A call's usage and finish reason, from a JSON body or a stream's chunks."""
    chunks: list[dict[str, Any]] = []
    for part in [data] if data.lstrip().startswith(b"{") else data.split(b"\n"):
        part = part.strip().removeprefix(b"data:").strip()
        try:
            chunks.append(json.loads(part))
        except ValueError:
            continue
    usage = next((c["usage"] for c in reversed(chunks) if c.get("usage")), {})
    finishes = [ch.get("finish_reason") for c in chunks for ch in c.get("choices") or []]
    return {
        "prompt": int(usage.get("prompt_tokens") or 0),
        "completion": int(usage.get("completion_tokens") or 0),
        "cached": int((usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0),
        "ms": round(ms, 1),
        "first_token_ms": None,  # read whole: the proxy does not time a stream's chunks
        "finish": next((f for f in reversed(finishes) if f), ""),
        "problem": "" if status == 200 else f"model error: HTTP {status}",
    }


class Turns:
    """The assistant, noting which model calls each turn made."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[list[dict[str, Any]]] = []
        self.notes: list[dict[str, Any]] = []

    async def arun(self, message: str, **kw: Any) -> Any:
        start = len(CALLS)
        try:
            result = await self.inner.arun(message, **kw)
        finally:
            self.calls.append(list(CALLS[start:]))
        self.notes.append({"notes": list(result.notes), "reduced_mode": bool(result.reduced_mode)})
        return result

    async def aclose(self) -> None:
        await self.inner.aclose()


async def play(env: dict[str, Any]) -> None:
    from agent.assistant import build_assistant
    from agent.settings import Settings
    from catalog.embedding import Encoder
    from evals.runner import catalog_url, prepare_catalog, run_one
    from evals.scenario import load_scenarios

    scenarios = {s.id: s for s in load_scenarios(None)}
    encoder, catalogs, assistants = Encoder(), {}, {}
    for line in sys.stdin:
        wanted = json.loads(line)["id"]
        scenario = scenarios.get(wanted)
        if scenario is None:
            print("BASELINE " + json.dumps({"id": wanted, "missing": True}), flush=True)
            continue
        if scenario.catalog not in catalogs:
            catalogs[scenario.catalog] = prepare_catalog(scenario.catalog, DATA, encoder)
            settings = Settings(**{**env, "SHOP_DATA_DIR": str(DATA / "assistant")})
            assistants[scenario.catalog] = build_assistant(settings, catalogs[scenario.catalog])
        turns = Turns(assistants[scenario.catalog])
        run = await run_one(
            turns, scenario, url=catalog_url(catalogs[scenario.catalog]), run_id="b", repeat=0
        )
        answer = {
            "id": wanted,
            "transcript": run.transcript.model_dump(mode="json"),
            "calls": turns.calls,
            "turns": turns.notes,
        }
        print("BASELINE " + json.dumps(answer, default=str), flush=True)
    for assistant in assistants.values():
        await assistant.aclose()


def main() -> None:
    env = json.loads(os.environ["BASELINE_SETTINGS"])
    Proxy.upstream = env["OPENAI_BASE_URL"].rstrip("/").removesuffix("/v1")
    Proxy.timeout_s = float(env.get("SHOP_MODEL_TIMEOUT_S") or 600)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env["OPENAI_BASE_URL"] = f"http://127.0.0.1:{server.server_address[1]}/v1"
    asyncio.run(play(env))
    server.shutdown()


if __name__ == "__main__":
    main()
