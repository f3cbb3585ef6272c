"""`shop chat`: a terminal conversation with the assistant, or one JSON turn with --message."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import typer
from rich.console import Console
from rich.live import Live
from rich.text import Text

from agent.settings import Settings


async def show_turn(
    assistant: Any, text: str, *, thread_id: str, console: Console, json_out: bool = False
) -> None:
    """Print one turn: tool lines, the model's drafts while it writes (on a terminal, erased
    when the reply starts: the reply carries the same checked prose), the reply, the cards."""
    draft, replying = "", False
    live: Live | None = None  # transient: prints nothing when the output is not a terminal
    try:
        async for event in assistant.astream(text, thread_id=thread_id):
            if json_out:
                if event.type == "final" and event.result is not None:
                    print(event.result.model_dump_json(indent=2))
                continue
            if event.type == "tool_start":
                console.print(f"[dim]… {event.name} {event.args}[/dim]")
            elif event.type == "draft" and not replying:  # a late draft is stale
                draft += event.text
                if live is None:
                    live = Live(console=console, transient=True, auto_refresh=False)
                    live.start()
                live.update(Text(draft, style="dim italic"), refresh=True)
            elif event.type == "token":
                if live is not None:  # the reply replaces the draft
                    live.stop()
                    live = None
                replying = True
                console.print(event.text, end="", markup=False, highlight=False)
            elif event.type == "final" and event.result is not None:
                console.print()
                for r in event.result.recommendations:
                    stock = "in stock" if r.in_stock else "out of stock"
                    variant = ", ".join(f"{k} {v}" for k, v in r.variant.items())
                    console.print(
                        f"  • [bold]{r.title}[/bold] — ${r.price:,.2f} {variant} ({stock})"
                        f"\n    {r.reason}"
                    )
    finally:
        if live is not None:
            live.stop()


def chat(
    message: str | None = typer.Option(None, "--message", "-m", help="Send one message."),
    thread: str | None = typer.Option(None, "--thread", help="Conversation id to continue."),
    json_out: bool = typer.Option(False, "--json", help="Print the TurnResult as JSON."),
) -> None:
    """Chat with the shopping assistant over the loaded catalog."""
    # Imported here, not at module level: `shop search` and the other commands must not pay
    # for the agent stack (langgraph, langchain) they never use.
    from agent.assistant import build_assistant

    settings = Settings()
    catalog = settings.open_catalog()
    assistant = build_assistant(settings, catalog)
    thread_id = thread or uuid.uuid4().hex[:12]
    console = Console()

    async def main() -> None:
        try:
            if message is not None:
                await show_turn(
                    assistant, message, thread_id=thread_id, console=console, json_out=json_out
                )
                return
            console.print(f"[bold]{settings.store_name}[/bold] — thread {thread_id}; Ctrl-D quits")
            while True:
                try:
                    text = console.input("[green]you> [/green]")
                except (EOFError, KeyboardInterrupt):
                    break
                if text.strip():
                    await show_turn(
                        assistant, text, thread_id=thread_id, console=console, json_out=json_out
                    )
        finally:
            await assistant.aclose()

    asyncio.run(main())
