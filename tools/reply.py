"""reply: the terminal tool for an answer with no product recommendation."""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool


def make_reply() -> BaseTool:
    """The plain-reply tool (executed by the graph's finalize node)."""

    @tool("reply")
    def reply(message: str) -> str:
        """Final answer with no product picks: an answer, a comparison summary, or an honest
        answer that the store does not carry what was asked.

        Args:
            message: the answer.
        """
        return "reply sent"

    return reply
