"""reply: the terminal tool for an answer with no product recommendation."""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool


def make_reply() -> BaseTool:
    """The plain-reply tool (executed by the graph's finalize node)."""

    @tool("reply")
    def reply(message: str) -> str:
        """Finish the turn with a message and no product recommendation: answering a question,
        a comparison summary, or saying honestly that the store does not carry something.

        Args:
            message: the answer to show the shopper.
        """
        return "reply sent"

    return reply
