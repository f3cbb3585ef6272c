"""ask_clarifying_question: the terminal tool for a request too vague to search."""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool


def make_ask_clarifying_question() -> BaseTool:
    """The clarifying-question tool (executed by the graph's finalize node)."""

    @tool("ask_clarifying_question")
    def ask_clarifying_question(question: str) -> str:
        """Finish the turn by asking the shopper ONE short question, when the request is too
        vague to search (e.g. "I need a gift": ask who it is for or what kind of thing).

        Args:
            question: the single short question.
        """
        return "question sent"

    return ask_clarifying_question
