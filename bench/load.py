"""Load test: concurrent shoppers chatting over socket.io with a real, started server.

Each simulated shopper holds one conversation at a time, each in a new browser session
(bench/socket_chat.py): it connects, sends the messages of a scripted conversation
(bench/load_conversations.json: scripts filled from product, adjective, colour and budget
lists by the shopper's seeded RNG) one by one, waiting for each whole answer and thinking
(3.5 s by default, jittered by +-20%) in between, then starts the next conversation in a new
session, until the phase ends. A refusal for the conversation limit counts as an error.
Phases run one after another for each concurrency level; a soak phase keeps one level
running while the server's RSS (all its processes) is sampled.

    .venv/bin/python bench/load.py                       # 10, 25, 50 shoppers, 60 s each
    .venv/bin/python bench/load.py --levels 50 --seconds 120 --workers 2
    .venv/bin/python bench/load.py --soak 600 --soak-level 25
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000   # an already running server

Only 127.0.0.1 is used. Bounded: each phase by --seconds, each turn by --turn-timeout, and
the number of shoppers by --levels. Writes JSON (bench/results/load.json by default) with
p50/p95/p99 latency, throughput, errors, lost messages (turns that never completed or came
back empty) and RSS, and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench.live_server import live_server  # noqa: E402
from bench.socket_chat import SocketChat  # noqa: E402

SCRIPTS = json.loads((ROOT / "bench" / "load_conversations.json").read_text())
RESULTS = ROOT / "bench" / "results"
LIMIT_REPLY = "reached its limit"  # the assistant's refusal past SHOP_MAX_MODEL_CALLS


@dataclass
class Phase:
    """What one concurrency level measured."""

    shoppers: int
    seconds: float
    turns: int = 0
    errors: int = 0
    lost: int = 0
    latencies: list[float] = field(default_factory=list)
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (t, MB)
    error_kinds: dict[str, int] = field(default_factory=dict)
    cpu_s: float | None = None  # server CPU seconds used during the phase
    client_cpu_s: float = 0.0  # this process's CPU (the simulated browsers share the machine)
    loadavg: tuple[float, float] | None = None  # 1-min load average at start and end

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        rss = [mb for _, mb in self.rss_mb]
        return {
            "shoppers": self.shoppers,
            "seconds": round(self.seconds, 1),
            "turns": self.turns,
            "turns_per_s": round(self.turns / self.seconds, 2) if self.seconds else 0.0,
            "p50_s": _pct(lat, 50),
            "p95_s": _pct(lat, 95),
            "p99_s": _pct(lat, 99),
            "max_s": round(lat[-1], 3) if lat else None,
            "mean_s": round(statistics.fmean(lat), 3) if lat else None,
            "errors": self.errors,
            "error_kinds": self.error_kinds,
            "lost_messages": self.lost,
            "server_cpu_ms_per_turn": (
                round(1000 * self.cpu_s / self.turns, 1) if self.cpu_s and self.turns else None
            ),
            "client_cpu_ms_per_turn": (
                round(1000 * self.client_cpu_s / self.turns, 1) if self.turns else None
            ),
            "loadavg_1m_start_end": self.loadavg,
            "rss_mb_start": round(rss[0], 1) if rss else None,
            "rss_mb_end": round(rss[-1], 1) if rss else None,
            "rss_mb_peak": round(max(rss), 1) if rss else None,
        }


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    k = max(0, min(len(values) - 1, round(q / 100 * (len(values) - 1))))
    return round(values[k], 3)


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def server_rss_mb(pid: int) -> float:
    """Resident memory of the server's processes, in MB."""
    total = 0
    for current in process_tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the server's processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for current in process_tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def conversation(rng: random.Random) -> list[str]:
    """One scripted conversation, its placeholders filled from the word lists."""
    words = {
        "product": rng.choice(SCRIPTS["products"]),
        "adjective": rng.choice(SCRIPTS["adjectives"]),
        "color": rng.choice(SCRIPTS["colors"]),
        "budget": rng.choice(SCRIPTS["budgets"]),
    }
    return [line.format(**words) for line in rng.choice(SCRIPTS["scripts"])]


async def shopper(
    base: str, number: int, phase: Phase, until: float, think: float, timeout: float
) -> None:
    """One shopper: each scripted conversation in a new browser session (a new tab), as a
    real visitor would; one endless session would instead grow one thread until it meets
    SHOP_MAX_MODEL_CALLS, after which every turn is a cheap refusal."""
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, think))  # stagger the start like real arrivals
    while time.monotonic() < until:
        chat = SocketChat(base)
        try:
            await chat.connect(timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - counted, not raised
            _error(phase, f"connect {type(exc).__name__}")
            return
        try:
            for message in conversation(rng):
                if time.monotonic() >= until:
                    break
                answer = await chat.ask(message, timeout=timeout)
                phase.turns += 1
                if not answer.complete:
                    phase.lost += 1
                elif LIMIT_REPLY in answer.text:
                    _error(phase, "refused: conversation limit")
                else:
                    phase.latencies.append(answer.seconds)
                await asyncio.sleep(think * rng.uniform(0.8, 1.2))
        except Exception as exc:  # noqa: BLE001
            _error(phase, f"turn {type(exc).__name__}")
            return
        finally:
            with contextlib.suppress(Exception):
                await chat.close()


def _error(phase: Phase, kind: str) -> None:
    phase.errors += 1
    phase.error_kinds[kind] = phase.error_kinds.get(kind, 0) + 1


async def run_phase(
    base: str, pid: int | None, shoppers: int, seconds: float, think: float, timeout: float,
    sample_every: float = 5.0,
) -> Phase:  # fmt: skip
    phase = Phase(shoppers, seconds)
    started = time.monotonic()
    until = started + seconds

    async def sample() -> None:
        while time.monotonic() < until + timeout:
            if pid is not None:
                phase.rss_mb.append((round(time.monotonic() - started, 1), server_rss_mb(pid)))
            await asyncio.sleep(sample_every)

    sampler = asyncio.create_task(sample())
    cpu_before = server_cpu_s(pid) if pid is not None else None
    load_before = os.getloadavg()[0]
    client_before = time.process_time()
    await asyncio.gather(*(shopper(base, n, phase, until, think, timeout) for n in range(shoppers)))
    phase.seconds = time.monotonic() - started
    phase.loadavg = (round(load_before, 2), round(os.getloadavg()[0], 2))
    phase.client_cpu_s = time.process_time() - client_before
    if cpu_before is not None and pid is not None:
        phase.cpu_s = server_cpu_s(pid) - cpu_before
    sampler.cancel()
    if pid is not None:
        phase.rss_mb.append((round(phase.seconds, 1), server_rss_mb(pid)))
    return phase


async def warm_up(base: str, timeout: float) -> None:
    """One conversation first, so the embedding model and filter index are loaded."""
    chat = SocketChat(base)
    await chat.connect(timeout=timeout)
    for message in conversation(random.Random(-1)):
        await chat.ask(message, timeout=timeout)
    await chat.close()


def prepare_demo(data_dir: Path) -> None:
    """The demo catalog in `data_dir` (its shipped vectors: nothing is encoded)."""
    from catalog.ingest import ingest, seed_embedding_cache
    from catalog.service import open_catalog

    catalog = open_catalog(f"sqlite:///{data_dir / 'catalog.db'}", chroma_path=data_dir / "chroma")
    if catalog.store.product_count():
        return
    demo = ROOT / "catalog" / "demo"
    seed_embedding_cache(catalog.store, demo / "embeddings.npz")
    ingest(demo / "products.jsonl", store=catalog.store, index=catalog.open_index(),
           encoder=catalog.encoder)  # fmt: skip


async def measure(args: argparse.Namespace, base: str, pid: int | None) -> dict[str, Any]:
    await warm_up(base, args.turn_timeout)
    phases = []
    for level in args.levels:
        phase = await run_phase(base, pid, level, args.seconds, args.think, args.turn_timeout)
        phases.append(phase)
        print(_row(phase.summary()), flush=True)
    soak = None
    if args.soak:
        soak = await run_phase(
            base, pid, args.soak_level, args.soak, args.think, args.turn_timeout, 15.0
        )
        print(_row(soak.summary()), flush=True)
    return {
        "phases": [p.summary() for p in phases],
        "soak": None if soak is None else {**soak.summary(), **_drift(soak)},
    }


def _drift(soak: Phase) -> dict[str, Any]:
    """RSS over the soak: every sample, and the change over its second half (after warm-up
    growth such as per-session state and caches filling, a leak keeps climbing there)."""
    samples = soak.rss_mb
    if len(samples) < 3:
        return {"rss_mb": samples}
    middle = min(samples, key=lambda s: abs(s[0] - samples[-1][0] / 2))
    # The median of each fifth of the soak: a leak climbs window after window; caches and
    # kept sessions level off once they are full.
    end = samples[-1][0] or 1.0
    fifths: list[list[float]] = [[] for _ in range(5)]
    for t, mb in samples:
        fifths[min(4, int(5 * t / end))].append(mb)
    return {
        "rss_mb": samples,
        "rss_mb_second_half_change": round(samples[-1][1] - middle[1], 1),
        "rss_mb_median_by_fifth": [round(statistics.median(f), 1) if f else None for f in fifths],
    }


def _row(s: dict[str, Any]) -> str:
    return (
        f"{s['shoppers']:>4} shoppers {s['seconds']:>6.0f}s  turns {s['turns']:>5} "
        f"({s['turns_per_s']:>5.2f}/s)  p50 {s['p50_s']}s  p95 {s['p95_s']}s  p99 {s['p99_s']}s"
        f"  errors {s['errors']}  lost {s['lost_messages']}"
        f"  cpu/turn {s['server_cpu_ms_per_turn']}ms (client {s['client_cpu_ms_per_turn']}ms)"
        f"  load {s['loadavg_1m_start_end']}  RSS {s['rss_mb_start']}"
        f" -> {s['rss_mb_end']} MB (peak {s['rss_mb_peak']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="10,25,50", help="shoppers per phase (comma list)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    parser.add_argument("--think", type=float, default=3.5, help="think time between turns")
    parser.add_argument("--turn-timeout", type=float, default=60.0)
    parser.add_argument("--soak", type=float, default=0.0, help="soak length in seconds")
    parser.add_argument("--soak-level", type=int, default=25)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--url", help="use this running server (127.0.0.1 only)")
    parser.add_argument("--data-dir", type=Path, help="data dir (default: a temp demo catalog)")
    parser.add_argument("--out", type=Path, default=RESULTS / "load.json")
    args = parser.parse_args()
    args.levels = [int(x) for x in str(args.levels).split(",") if x.strip()]
    if max(args.levels + [args.soak_level]) > 500:
        parser.error("at most 500 shoppers")

    started = time.time()
    if args.url:
        if not args.url.startswith(("http://127.0.0.1", "http://localhost")):
            parser.error("--url must be a 127.0.0.1 server")
        results = asyncio.run(measure(args, args.url.rstrip("/"), None))
    else:
        with tempfile.TemporaryDirectory(prefix="shop-load-") as tmp:
            data_dir = args.data_dir or Path(tmp)
            prepare_demo(data_dir)
            # The per-thread rate limit (20 turns/min) is lifted: a scripted shopper with
            # ~3 s think time comes close to it, and a refusal is not a turn.
            env = {"SHOP_AUTH": "none", "SHOP_WORKERS": str(args.workers),
                   "SHOP_TURNS_PER_MINUTE": "1000"}  # fmt: skip
            with live_server(data_dir, **env) as server:
                results = asyncio.run(measure(args, server.base, server.proc.pid))
    report = {
        "bench": "load",
        "when": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "machine": {"cpus": os.cpu_count()},
        "config": {
            "levels": args.levels,
            "seconds": args.seconds,
            "think_s": args.think,
            "workers": args.workers,
            "soak_s": args.soak,
            "soak_level": args.soak_level,
            "model": "offline",
            "catalog": "demo (2,820 products)",
        },  # fmt: skip
        **results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
