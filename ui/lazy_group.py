"""A typer command group whose heavier subcommands are imported only when they run.

`shop search` must not import the agent stack (langgraph, langchain) or the eval harness just
because `shop chat` and `shop eval` exist: each one-shot call pays for every import at start.
A lazy command is named by "module:function"; `shop --help` still lists it (and imports it to
read its help line), and running it imports only its own module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import click
import typer
from typer.core import TyperGroup


def lazy_group(
    commands: dict[str, str],
    wrap: Callable[[Callable[..., Any]], Callable[..., Any]] = lambda f: f,
) -> type[TyperGroup]:
    """A TyperGroup class that adds `commands` (name -> "module:function") on first use,
    each through `wrap` (the CLI's one-line errors)."""

    class LazyGroup(TyperGroup):
        def list_commands(self, ctx: click.Context) -> list[str]:
            listed = super().list_commands(ctx)
            return listed + [name for name in commands if name not in listed]

        def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
            if cmd_name in commands and cmd_name not in self.commands:
                module, _, attr = commands[cmd_name].partition(":")
                function = getattr(importlib.import_module(module), attr)
                single = typer.Typer()
                single.command(cmd_name)(wrap(function))
                command = typer.main.get_command(single)
                command.name = cmd_name
                self.add_command(command, cmd_name)
            return super().get_command(ctx, cmd_name)

    return LazyGroup
