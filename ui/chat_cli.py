"""`shop chat`: a terminal conversation with the assistant, or one JSON turn with --message."""

from __future__ import annotations

import asyncio
import uuid

import typer
from rich.console import Console

from agent.settings import Settings


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

    async def one(text: str) -> None:
        async for event in assistant.astream(text, thread_id=thread_id):
            if json_out:
                if event.type == "final" and event.result is not None:
                    print(event.result.model_dump_json(indent=2))
                continue
            if event.type == "tool_start":
                console.print(f"[dim]… {event.name} {event.args}[/dim]")
            elif event.type == "token":
                console.print(event.text, end="")
            elif event.type == "final" and event.result is not None:
                console.print()
                for r in event.result.recommendations:
                    stock = "in stock" if r.in_stock else "out of stock"
                    variant = ", ".join(f"{k} {v}" for k, v in r.variant.items())
                    console.print(
                        f"  • [bold]{r.title}[/bold] — ${r.price:,.2f} {variant} ({stock})"
                        f"\n    {r.reason}"
                    )

    async def main() -> None:
        try:
            if message is not None:
                await one(message)
                return
            console.print(f"[bold]{settings.store_name}[/bold] — thread {thread_id}; Ctrl-D quits")
            while True:
                try:
                    text = console.input("[green]you> [/green]")
                except (EOFError, KeyboardInterrupt):
                    break
                if text.strip():
                    await one(text)
        finally:
            await assistant.aclose()

    asyncio.run(main())
