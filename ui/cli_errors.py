"""`shop` errors are one line on stderr, never a traceback.

`one_line_errors(app)` wraps every registered command: an unexpected exception prints
``shop: error: <what failed>`` (plus a hint when storage is the cause) and exits 1. The full
traceback is logged at DEBUG (``SHOP_LOG_LEVEL=DEBUG`` shows it).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

import click
import typer

from agent.storage_health import is_storage_error

log = logging.getLogger("shop.cli")
STORAGE_HINT = "check that SHOP_DATA_DIR ({}) is writable and its disk is not full"


def describe(exc: BaseException) -> str:
    """One line: the innermost useful message, with a storage hint where it applies."""
    inner = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    first = (str(inner).strip().splitlines() or [""])[0]
    text = f"{type(inner).__name__}: {first}" if first else type(inner).__name__
    if is_storage_error(exc):
        text += f" ({STORAGE_HINT.format(os.environ.get('SHOP_DATA_DIR', './data'))})"
    return text


def one_line(callback: Callable[..., Any]) -> Callable[..., Any]:
    """`callback`, printing one line instead of a traceback when it fails."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except (typer.Exit, typer.Abort, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # noqa: BLE001 - the point: one line, not a traceback
            if os.environ.get("SHOP_LOG_LEVEL", "").upper() == "DEBUG":
                traceback.print_exc()
            sys.stderr.write(f"shop: error: {describe(exc)}\n")
            raise typer.Exit(1) from None

    return run


def one_line_errors(app: typer.Typer) -> typer.Typer:
    """Wrap the callback of every command registered on `app` so far (idempotent)."""
    for command in app.registered_commands:
        callback = command.callback
        if callback is not None and not getattr(callback, "_one_line", False):
            wrapped = one_line(callback)
            wrapped._one_line = True  # type: ignore[attr-defined]
            command.callback = wrapped
    return app
