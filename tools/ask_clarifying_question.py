"""ask_clarifying_question: the terminal tool for a request too vague to search."""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool


def make_ask_clarifying_question() -> BaseTool:
    """The clarifying-question tool (executed by the graph's finalize node)."""

    @tool("ask_clarifying_question")
    def ask_clarifying_question(question: str) -> str:
        """Final answer: ONE short question when the request is too vague to search.

        Args:
            question: the question.
        """
        return "question sent"

    return ask_clarifying_question
