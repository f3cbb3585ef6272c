"""The `shop` command line: one of the two composition roots (with ui/app.py).

Only here and in ui/app.py are settings read and the catalog, tools and agent wired together.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # noqa: E402
from rich.table import Table  # noqa: E402

from agent.settings import Settings  # noqa: E402
from ui.cli_errors import one_line, one_line_errors  # noqa: E402
from ui.lazy_group import lazy_group  # noqa: E402

if TYPE_CHECKING:
    from catalog.search import SearchResult

# `shop chat` and `shop eval` are imported only when they run (ui/lazy_group.py): a one-shot
# `shop search` must not pay for the agent stack or the eval harness at start.
app = typer.Typer(
    help="Shop assistant: load a catalog, search it, chat with it.",
    no_args_is_help=True,
    cls=lazy_group({"chat": "ui.chat_cli:chat", "eval": "evals.cli:eval_command"}, wrap=one_line),
)
console = Console()
err = Console(stderr=True)

DEMO_DIR = Path(__file__).resolve().parent.parent / "catalog" / "demo"
DEMO_JSONL = DEMO_DIR / "products.jsonl"
DEMO_CACHE = DEMO_DIR / "embeddings.npz"
FORMATS = ["auto", "jsonl", "csv", "dummyjson", "tau2"]


def run_ingest(
    settings: Settings,
    path: Path,
    *,
    fmt: str = "auto",
    replace: bool = False,
    skip_invalid: bool = False,
    quiet: bool = False,
) -> int:
    """Ingest one file with a progress bar and a summary; return the exit code."""
    from catalog.ingest import IngestRejected, ingest, seed_embedding_cache

    catalog = settings.open_catalog()
    if path.resolve() == DEMO_JSONL.resolve() and DEMO_CACHE.exists():
        seed_embedding_cache(catalog.store, DEMO_CACHE)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=quiet,
    ) as progress:
        tasks: dict[str, int] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = "encoding" if stage == "encode" else "indexing"
                tasks[stage] = progress.add_task(label, total=max(total, 1))
            progress.update(tasks[stage], completed=done, total=max(total, 1))

        try:
            report = ingest(
                path,
                store=catalog.store,
                index=catalog.open_index(),
                encoder=catalog.encoder,
                fmt=fmt,
                replace=replace,
                skip_invalid=skip_invalid,
                progress=on_progress,
            )
        except IngestRejected as exc:
            report = exc.report
            _print_errors(report.errors)
            err.print(
                f"[red]Rejected {path}: {report.rejected} invalid record(s); nothing was "
                "written.[/red] Fix them, or pass --skip-invalid to load the valid ones."
            )
            return 1
    if report.errors:
        _print_errors(report.errors)
    if not quiet:
        console.print(
            f"{path} ({report.format}): added {report.added}, updated {report.updated}, "
            f"unchanged {report.unchanged}, deleted {report.deleted}, "
            f"rejected {report.rejected}; encoded {report.encoded} new text(s)."
        )
    return 0


def _print_errors(errors: list) -> None:  # type: ignore[type-arg]
    for error in errors[:50]:
        err.print(f"[red]error[/red] {error}")
    if len(errors) > 50:
        err.print(f"... and {len(errors) - 50} more")


@app.command("ingest")
def ingest_command(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Catalog file.")],
    format: Annotated[str, typer.Option("--format", "-f", help="|".join(FORMATS))] = "auto",
    replace: Annotated[bool, typer.Option(help="Delete products not in this file.")] = False,
    skip_invalid: Annotated[
        bool, typer.Option(help="Write the valid records even if some are invalid.")
    ] = False,
) -> None:
    """Validate a catalog file and upsert it into SQL and the vector index."""
    if format not in FORMATS:
        raise typer.BadParameter(f"format must be one of {', '.join(FORMATS)}")
    raise typer.Exit(
        run_ingest(Settings(), path, fmt=format, replace=replace, skip_invalid=skip_invalid)
    )


@app.command("demo")
def demo_command(
    force: Annotated[bool, typer.Option(help="Re-ingest even if data exists.")] = False,
) -> None:
    """Load the bundled demo catalog if the catalog is empty."""
    raise typer.Exit(ensure_demo(Settings(), force=force))


def ensure_demo(settings: Settings, *, force: bool = False) -> int:
    """Ingest the demo catalog when the data dir holds no products yet."""
    from catalog.store import CatalogStore

    if not force and CatalogStore.open(settings.catalog_url).product_count() > 0:
        return 0
    console.print(f"Loading the demo catalog into {settings.data_dir} ...")
    return run_ingest(settings, DEMO_JSONL)


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    min_price: Annotated[float | None, typer.Option("--min-price")] = None,
    max_price: Annotated[float | None, typer.Option("--max-price")] = None,
    category: Annotated[str | None, typer.Option("--category")] = None,
    brand: Annotated[str | None, typer.Option("--brand")] = None,
    option: Annotated[
        list[str] | None, typer.Option("--option", help="NAME=VALUE, e.g. size=10")
    ] = None,
    in_stock: Annotated[bool, typer.Option("--in-stock")] = False,
    k: Annotated[int, typer.Option("-k", min=1, max=100)] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    parse: Annotated[
        bool, typer.Option(help="Read budget phrases like 'under 50' from the query.")
    ] = True,
) -> None:
    """Hybrid search with filters; prints a table or a JSON array."""
    from catalog.constraints import Constraints
    from catalog.query_text import parse_budget

    text = query
    if parse:
        budget = parse_budget(query)
        text = budget.text or query
        min_price = min_price if min_price is not None else budget.min_price
        max_price = max_price if max_price is not None else budget.max_price
    options: dict[str, str] = {}
    for item in option or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"--option must be NAME=VALUE, got {item!r}")
        options[name.strip()] = value.strip()
    constraints = Constraints(
        min_price=min_price,
        max_price=max_price,
        category=category,
        brand=brand,
        options=options,
        in_stock=in_stock,
    )
    catalog = Settings().open_catalog()
    result = catalog.searcher.search(text, constraints, k=k)
    if result.unknown is not None:
        err.print(f"[red]{result.unknown}[/red]")
        raise typer.Exit(2)
    if as_json:
        # stdout stays a plain JSON array; what the table prints under it goes to stderr.
        sys.stdout.write(json.dumps([h.as_dict() for h in result.hits], indent=2) + "\n")
        _print_search_notes(result, err)
        return
    table = Table(title=f"{len(result.hits)} result(s) for {query!r}")
    for column in ("id", "title", "price", "stock", "category", "brand", "score", "sim"):
        table.add_column(column)
    for hit in result.hits:
        stock = "in stock" if hit.in_stock else "out of stock"
        table.add_row(
            hit.product_id,
            hit.title,
            f"{hit.price:.2f} {hit.currency}",
            stock,
            hit.category,
            hit.brand or "",
            f"{hit.score:.4f}",
            "" if hit.similarity is None else f"{hit.similarity:.2f}",
        )
    console.print(table)
    _print_search_notes(result, console)


def _print_search_notes(result: SearchResult, out: Console) -> None:
    if result.no_match:
        out.print("[yellow]No close match: the store may not carry this.[/yellow]")
    if result.degraded:
        out.print(f"[yellow]Degraded search: {result.degraded_reason}[/yellow]")


@app.command("export-cache")
def export_cache_command(
    out: Annotated[Path, typer.Argument(help="Where to write the .npz")] = DEMO_CACHE,
) -> None:
    """Write the loaded catalog's embedding cache to an .npz (ship it to skip re-encoding)."""
    from sqlalchemy import select

    from catalog.ingest import export_embedding_cache
    from catalog.models import Product

    settings = Settings()
    catalog = settings.open_catalog()
    with catalog.store.session() as session:
        hashes = list(session.scalars(select(Product.doc_hash)))
    count = export_embedding_cache(catalog.store, catalog.encoder.model_name, hashes, out)
    console.print(f"wrote {count} vectors to {out}")


@app.command("info")
def info_command() -> None:
    """Where the data lives and what it holds."""
    from catalog.store import CatalogStore

    settings = Settings()
    store = CatalogStore.open(settings.catalog_url)
    # Plain stdout: rich would wrap long values (paths) into invalid JSON.
    sys.stdout.write(
        json.dumps(
            {
                "catalog_url": settings.catalog_url,
                "chroma": settings.chroma_url or str(settings.chroma_path),
                "products": store.product_count(),
                "version": store.version(),
                "model": settings.model if settings.remote_model else "offline",
                "index": _index_report(settings, store),  # [issue-12] SQL vs vector index
            },
            indent=2,
        )
        + "\n"
    )


def _index_report(settings: Settings, store: object) -> dict[str, object]:
    """Does the vector index match SQL? (reported, not repaired: opening the catalog for
    search or ingest repairs it)."""
    from catalog.consistency import check
    from catalog.index import ShopEmbeddingFunction, VectorIndex

    try:
        index = VectorIndex.open(
            path=None if settings.chroma_url else settings.chroma_path,
            url=settings.chroma_url,
            embedding_function=ShopEmbeddingFunction(settings.embedding_model),
        )
        return check(store, index).summary()  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - info still prints the rest
        return {"consistent": None, "error": f"{type(exc).__name__}: {exc}"[:300]}


def _register_other_commands() -> None:
    """`shop ui` lives beside its own room (`shop chat` and `shop eval` load lazily)."""
    from ui.server import register as register_ui

    register_ui(app, ensure_demo)


_register_other_commands()
one_line_errors(app)  # [issue-12] a failing command prints one line, not a traceback

if __name__ == "__main__":
    app()
