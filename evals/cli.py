"""`shop eval`: run scenario suites, print a table, write results.json + report.html.

The lead registers the command in ui/cli.py::

    from evals.cli import eval_command
    app.command("eval")(eval_command)

`eval_command` is the only place in evals/ that reads the environment (it builds `Settings()`
through `settings_factory`, which the lead may replace with `configure(...)`). Everything
below it (`run_eval`) takes the settings object as an argument.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from evals.compare import compare_paths, render_text
from evals.report import summarize, write_report
from evals.runner import RunResult, prepare_catalog, run_suite
from evals.scenario import ScenarioError, load_scenarios, select

MODELS = ("offline", "remote", "gullible")

_settings_factory: Callable[[], Any] | None = None


def configure(settings_factory: Callable[[], Any]) -> None:
    """Let the composition root decide how Settings are built (default: `Settings()`)."""
    global _settings_factory
    _settings_factory = settings_factory


def _settings() -> Any:
    if _settings_factory is not None:
        return _settings_factory()
    from agent.settings import Settings

    return Settings()


def assistant_factory(settings: Any, model: str) -> Callable[[Any], Any]:
    """`catalog -> Assistant` for the chosen model kind."""
    from agent.assistant import build_assistant

    if model == "offline":
        offline = settings.model_copy(update={"model": "offline"})
        return lambda catalog: build_assistant(offline, catalog)
    if model == "gullible":
        from agent.gullible import make_gullible_model

        return lambda catalog: build_assistant(settings, catalog, model=make_gullible_model())
    if model == "remote":
        if not settings.remote_model:
            raise typer.BadParameter(
                "--model remote needs OPENAI_BASE_URL and SHOP_MODEL set", param_hint="--model"
            )
        return lambda catalog: build_assistant(settings, catalog)
    raise typer.BadParameter(f"choose one of {', '.join(MODELS)}", param_hint="--model")


def run_eval(
    settings: Any,
    *,
    paths: list[Path] | None = None,
    model: str = "offline",
    repeat: int = 1,
    tags: list[str] | None = None,
    concurrency: int = 4,
    data_dir: Path | None = None,
    encoder: Any | None = None,
    make_assistant: Callable[[Any], Any] | None = None,
    simulate: bool = False,
    progress: bool = True,
) -> RunResult:
    """Load, select and run scenarios; no environment reads (settings come in)."""
    scenarios = select(load_scenarios(paths), tags)
    if not scenarios:
        raise typer.BadParameter("no scenarios selected", param_hint="PATH/--tag")
    if encoder is None:
        from catalog.embedding import Encoder

        encoder = Encoder(settings.embedding_model)
    data_root = Path(data_dir) if data_dir else Path(settings.data_dir) / "eval-catalogs"
    make_assistant = make_assistant or assistant_factory(settings, model)

    extra = []
    from evals.judge import make_judge

    judge = make_judge(settings.judge_base_url, settings.judge_api_key, settings.judge_model)
    if judge is not None:
        extra.append(judge.grader())
    shopper = None
    if simulate:
        from evals.simulated_shopper import make_shopper

        shopper = make_shopper(
            settings.judge_base_url or settings.openai_base_url,
            settings.judge_api_key or settings.openai_api_key,
            settings.judge_model or (settings.model if settings.remote_model else None),
        )
        if shopper is None:
            raise typer.BadParameter("--simulate needs a judge or remote model endpoint")
    return asyncio.run(
        run_suite(
            scenarios,
            open_catalog=lambda spec: prepare_catalog(spec, data_root, encoder),
            make_assistant=make_assistant,
            model=model,
            repeat=repeat,
            concurrency=concurrency,
            shopper=shopper,
            extra_graders=extra,
            progress=progress,
            meta={"paths": [str(p) for p in paths or []], "tags": tags or []},
        )
    )


def print_table(console: Console, result: RunResult, summary: dict[str, Any]) -> None:
    """Scenario results, then pass rate per suite and per grader."""
    table = Table(title=f"shop eval · {result.model} · {result.run_id}")
    for col in ("scenario", "family", "rep", "result", "failing"):
        table.add_column(col, overflow="fold")
    for run in result.runs:
        failing = [f"{g.name}: {g.explanation}" for g in run.grades if g.asserted and not g.passed]
        if run.transcript.error:
            failing.insert(0, f"error: {run.transcript.error}")
        table.add_row(
            run.scenario_id,
            run.family or "",
            str(run.repeat),
            "[green]PASS[/]" if run.passed else "[red]FAIL[/]",
            "\n".join(f[:160] for f in failing[:3]),
        )
    console.print(table)
    fams = Table(title="pass rate by family")
    for col in ("family", "passed", "pass rate"):
        fams.add_column(col)
    for family, v in summary["by_family"].items():
        fams.add_row(family, f"{v['passed']}/{v['runs']}", f"{v['pass_rate']:.0%}")
    console.print(fams)
    suites = Table(title="by suite / grader")
    suites.add_column("name")
    suites.add_column("pass rate / mean score")
    suites.add_column("asserted pass rate")
    for suite, v in summary["by_suite"].items():
        suites.add_row(f"suite {suite}", f"{v['pass_rate']:.0%} ({v['passed']}/{v['runs']})", "")
    for name, v in summary["by_grader"].items():
        asserted = v["asserted_pass_rate"]
        suites.add_row(
            f"grader {name}",
            f"{v['mean_score']:.2f}",
            "-" if asserted is None else f"{asserted:.0%} of {v['asserted']}",
        )
    console.print(suites)
    lat, tok = summary["latency_ms_per_turn"], summary["tokens_per_turn"]
    console.print(
        f"pass rate [bold]{summary['pass_rate']:.1%}[/] ({summary['passed']}/{summary['runs']})"
        f" · pass^{summary['k']} {summary['pass_hat_k']:.1%} · latency p50 {lat['p50']:.0f} ms"
        f" p95 {lat['p95']:.0f} ms · tokens/turn {tok['mean']:.0f} · {result.duration_s:.1f} s"
    )


def eval_command(
    paths: list[Path] = typer.Argument(
        None, help="Scenario files or directories (default: the bundled suites)."
    ),
    model: str = typer.Option("offline", "--model", help="offline | remote | gullible"),
    repeat: int = typer.Option(1, "--repeat", min=1, help="Runs per scenario (pass^k)."),
    tag: list[str] = typer.Option(None, "--tag", help="Only scenarios with this tag (repeat)."),
    json_output: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    out: Path | None = typer.Option(None, "--out", help="Report dir (default reports/<ts>/)."),
    min_pass: float | None = typer.Option(
        None, "--min-pass", min=0.0, max=1.0, help="Exit 1 when the pass rate is below this."
    ),
    compare: tuple[Path, Path] | None = typer.Option(
        None, "--compare", help="Compare two runs (results.json or their dirs) and exit."
    ),
    concurrency: int = typer.Option(4, "--concurrency", min=1, help="Scenarios at once."),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Where eval catalogs are ingested (default reports/.catalogs)."
    ),
    simulate: bool = typer.Option(
        False, "--simulate", help="Simulated shopper for scenarios with a persona (needs a model)."
    ),
    check: bool = typer.Option(
        False, "--check", help="Check every scenario against its catalog (no model) and exit."
    ),
) -> None:
    """Run scripted conversations against the assistant and grade them."""
    console = Console(stderr=json_output)
    if check:
        from evals.check import check_scenarios, render

        try:
            report = check_scenarios(select(load_scenarios(paths or None), tag or None))
        except ScenarioError as exc:
            console.print(f"[red]invalid scenario[/] {exc}")
            raise typer.Exit(2) from None
        console.print(render(report), highlight=False, markup=False)
        raise typer.Exit(0 if report.ok else 1)
    if compare:
        try:
            diff = compare_paths(compare[0], compare[1])
        except (OSError, ValueError, KeyError) as exc:
            console.print(f"[red]cannot compare:[/] {exc}")
            raise typer.Exit(2) from None
        if json_output:
            typer.echo(json.dumps(diff, indent=2))
        else:
            console.print(render_text(diff), highlight=False)
        return
    if model not in MODELS:
        raise typer.BadParameter(f"choose one of {', '.join(MODELS)}", param_hint="--model")
    out = out or Path("reports") / datetime.now().strftime("%Y%m%d-%H%M%S")
    data_dir = data_dir or out.parent / ".catalogs"
    settings = _settings()
    try:
        result = run_eval(
            settings,
            paths=paths or None,
            model=model,
            repeat=repeat,
            tags=tag or None,
            concurrency=concurrency,
            data_dir=data_dir,
            simulate=simulate,
            progress=not json_output,
        )
    except ScenarioError as exc:
        console.print(f"[red]invalid scenario[/] {exc}")
        raise typer.Exit(2) from None
    results_path, html_path = write_report(result, out)
    summary = summarize(result)
    if json_output:
        typer.echo(
            json.dumps(
                {
                    "run_id": result.run_id,
                    "model": result.model,
                    "results": str(results_path),
                    "report": str(html_path),
                    **summary,
                },
                indent=2,
            )
        )
    else:
        print_table(console, result, summary)
        console.print(f"wrote {results_path} and {html_path}")
    if min_pass is not None and summary["pass_rate"] < min_pass:
        console.print(f"[red]pass rate {summary['pass_rate']:.1%} is below --min-pass {min_pass}")
        raise typer.Exit(1)


def make_app() -> typer.Typer:
    """A standalone typer app with just this command (for `python -m evals.cli`)."""
    app = typer.Typer(add_completion=False)

    @app.callback()
    def _root() -> None:
        """Shopping-assistant evals."""

    app.command("eval")(eval_command)
    return app


if __name__ == "__main__":
    make_app()()
