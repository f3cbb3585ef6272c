"""Run scenarios against an assistant: a fresh thread per scenario run, a concurrency limit,
``--repeat K`` for pass^k, per-turn latency and tokens, and a rich progress bar.

The runner knows the assistant only through a small protocol (``arun``/``aclose``) and a
factory the caller passes, so evals/ never constructs settings or reads the environment.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, Field

from evals.graders import Grade, Grader, grade_all, scenario_passed
from evals.scenario import Scenario, Transcript, TranscriptTurn

ROOT = Path(__file__).resolve().parent.parent
DEMO_JSONL = ROOT / "catalog" / "demo" / "products.jsonl"
DEMO_CACHE = ROOT / "catalog" / "demo" / "embeddings.npz"


class AssistantLike(Protocol):
    """What the runner needs of an assistant (agent.assistant.Assistant fits)."""

    async def arun(self, message: str, *, thread_id: str, **kw: Any) -> Any: ...

    async def aclose(self) -> None: ...


AssistantFactory = Callable[[Any], AssistantLike]


class ScenarioRun(BaseModel):
    """One run of one scenario: its transcript, grades and verdict."""

    scenario_id: str
    description: str = ""
    family: str | None = None
    tags: list[str] = Field(default_factory=list)
    catalog: str = "demo"
    repeat: int = 0
    passed: bool
    grades: list[Grade]
    transcript: Transcript
    duration_ms: float = 0.0


class RunResult(BaseModel):
    """A whole eval run (what results.json holds, before the summary is added)."""

    run_id: str
    started_at: str
    model: str
    repeat: int = 1
    concurrency: int = 1
    duration_s: float = 0.0
    runs: list[ScenarioRun] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Catalogs
# --------------------------------------------------------------------------------------------


def catalog_key(spec: str) -> str:
    """A directory name for a catalog spec ("demo" or a path)."""
    if spec == "demo":
        return "demo"
    digest = hashlib.sha1(str(resolve_catalog_path(spec)).encode()).hexdigest()[:8]
    return f"{Path(spec).stem}-{digest}"


def resolve_catalog_path(spec: str) -> Path:
    """The file behind a catalog spec; relative paths are relative to the repo root."""
    if spec == "demo":
        return DEMO_JSONL
    path = Path(spec)
    return path if path.is_absolute() else (ROOT / path).resolve()


def prepare_catalog(spec: str, data_root: Path, encoder: Any) -> Any:
    """Open (ingesting if needed; idempotent and cheap when unchanged) the catalog of `spec`."""
    from catalog.ingest import ingest, seed_embedding_cache
    from catalog.service import open_catalog

    path = resolve_catalog_path(spec)
    if not path.exists():
        raise FileNotFoundError(f"catalog {spec!r}: {path} not found")
    root = Path(data_root) / catalog_key(spec)
    root.mkdir(parents=True, exist_ok=True)
    catalog = open_catalog(
        f"sqlite:///{root / 'catalog.db'}", chroma_path=root / "chroma", encoder=encoder
    )
    if spec == "demo" and DEMO_CACHE.exists():
        seed_embedding_cache(catalog.store, DEMO_CACHE)
    ingest(path, store=catalog.store, index=catalog.open_index(), encoder=encoder, fmt="auto")
    return catalog


def catalog_url(catalog: Any) -> str:
    """The SQLAlchemy URL graders use to read the catalog's SQL."""
    return catalog.store.engine.url.render_as_string(hide_password=False)


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


async def run_transcript(
    assistant: AssistantLike,
    scenario: Scenario,
    *,
    url: str,
    thread_id: str,
    shopper: Any | None = None,
) -> Transcript:
    """Play the scenario's turns (or a simulated shopper) on one fresh thread."""
    transcript = Transcript(scenario_id=scenario.id, catalog_url=url, thread_id=thread_id)
    if shopper is not None and scenario.shopper is not None:
        from evals.simulated_shopper import simulate

        return await simulate(assistant, scenario, shopper, transcript)
    for index, turn in enumerate(scenario.turns):
        started = time.perf_counter()
        try:
            result = await assistant.arun(
                turn.user, thread_id=thread_id, message_id=f"{thread_id}-{index}"
            )
        except Exception as exc:  # noqa: BLE001 - a crash is a failed scenario, not a crash
            transcript.turns.append(
                TranscriptTurn(
                    user=turn.user,
                    expect=turn.expect,
                    error=f"{type(exc).__name__}: {exc}",
                    latency_ms=(time.perf_counter() - started) * 1000,
                )
            )
            transcript.error = f"turn {index + 1}: {type(exc).__name__}: {exc}"
            break
        record = TranscriptTurn.from_result(turn.user, result, turn.expect)
        if not record.latency_ms:
            record.latency_ms = (time.perf_counter() - started) * 1000
        transcript.turns.append(record)
    return transcript


async def run_one(
    assistant: AssistantLike,
    scenario: Scenario,
    *,
    url: str,
    run_id: str,
    repeat: int,
    shopper: Any | None = None,
    extra_graders: list[Grader] | None = None,
) -> ScenarioRun:
    """Run and grade one scenario once."""
    thread_id = f"eval-{run_id}-{scenario.id}-r{repeat}-{uuid.uuid4().hex[:6]}"
    started = time.perf_counter()
    transcript = await run_transcript(
        assistant, scenario, url=url, thread_id=thread_id, shopper=shopper
    )
    grades = await asyncio.to_thread(grade_all, scenario, transcript, extra_graders)
    passed = scenario_passed(grades) and not transcript.error
    return ScenarioRun(
        scenario_id=scenario.id,
        description=scenario.description,
        family=scenario.family,
        tags=scenario.tags,
        catalog=scenario.catalog,
        repeat=repeat,
        passed=passed,
        grades=grades,
        transcript=transcript,
        duration_ms=(time.perf_counter() - started) * 1000,
    )


async def run_suite(
    scenarios: list[Scenario],
    *,
    open_catalog: Callable[[str], Any],
    make_assistant: AssistantFactory,
    model: str = "offline",
    repeat: int = 1,
    concurrency: int = 4,
    shopper: Any | None = None,
    extra_graders: list[Grader] | None = None,
    progress: bool = True,
    meta: dict[str, Any] | None = None,
) -> RunResult:
    """Run every scenario `repeat` times, at most `concurrency` at once.

    `open_catalog(spec)` returns an opened catalog for a scenario's catalog spec (the runner
    calls it once per distinct spec); `make_assistant(catalog)` builds the assistant for it.
    """
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:4]
    result = RunResult(
        run_id=run_id,
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        model=model,
        repeat=repeat,
        concurrency=concurrency,
        meta=dict(meta or {}),
    )
    started = time.perf_counter()
    specs = sorted({s.catalog for s in scenarios})
    catalogs: dict[str, Any] = {}
    assistants: dict[str, AssistantLike] = {}
    failed_catalogs: dict[str, str] = {}
    for spec in specs:
        try:
            catalogs[spec] = await asyncio.to_thread(open_catalog, spec)
            assistants[spec] = make_assistant(catalogs[spec])
        except Exception as exc:  # noqa: BLE001 - report it on every scenario of that catalog
            failed_catalogs[spec] = f"{type(exc).__name__}: {exc}"

    jobs = [(s, r) for r in range(repeat) for s in scenarios]
    semaphore = asyncio.Semaphore(max(1, concurrency))
    runs: list[ScenarioRun | None] = [None] * len(jobs)

    bar = _progress_bar(progress)
    task = bar.add_task("scenarios", total=len(jobs)) if bar else None

    async def one(position: int, scenario: Scenario, rep: int) -> None:
        async with semaphore:
            if scenario.catalog in failed_catalogs:
                transcript = Transcript(
                    scenario_id=scenario.id,
                    catalog_url="",
                    error=f"catalog: {failed_catalogs[scenario.catalog]}",
                )
                run = ScenarioRun(
                    scenario_id=scenario.id,
                    description=scenario.description,
                    family=scenario.family,
                    tags=scenario.tags,
                    catalog=scenario.catalog,
                    repeat=rep,
                    passed=False,
                    grades=[],
                    transcript=transcript,
                )
            else:
                run = await run_one(
                    assistants[scenario.catalog],
                    scenario,
                    url=catalog_url(catalogs[scenario.catalog]),
                    run_id=run_id,
                    repeat=rep,
                    shopper=shopper,
                    extra_graders=extra_graders,
                )
            runs[position] = run
            if bar is not None and task is not None:
                bar.advance(task)

    try:
        if bar is not None:
            bar.start()
        await asyncio.gather(*(one(i, s, r) for i, (s, r) in enumerate(jobs)))
    finally:
        if bar is not None:
            bar.stop()
        for assistant in assistants.values():
            with contextlib.suppress(Exception):  # closing must not hide the results
                await assistant.aclose()
    result.runs = [r for r in runs if r is not None]
    result.duration_s = round(time.perf_counter() - started, 3)
    if failed_catalogs:
        result.meta["catalog_errors"] = failed_catalogs
    return result


def _progress_bar(enabled: bool) -> Any:
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    )
