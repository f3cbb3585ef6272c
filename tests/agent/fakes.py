"""A scripted tool-calling chat model for driving the graph in tests and benches."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

Step = AIMessage | Callable[[list[BaseMessage]], AIMessage]


def call(name: str, **args: Any) -> AIMessage:
    """An AIMessage with one tool call."""
    return AIMessage(
        content="", tool_calls=[{"name": name, "args": args, "id": f"c_{uuid.uuid4().hex[:8]}"}]
    )


class ScriptedModel(BaseChatModel):
    """Returns the scripted steps in order (the last one repeats)."""

    steps: list[Any]
    _i: int = PrivateAttr(default=0)
    prompts: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.prompts.append(list(messages))
        step = self.steps[min(self._i, len(self.steps) - 1)]
        self._i += 1
        msg = step(messages) if callable(step) else step
        msg = msg.model_copy(
            update={
                "tool_calls": [{**c, "id": f"c_{uuid.uuid4().hex[:8]}"} for c in msg.tool_calls]
            }
        )
        return ChatResult(generations=[ChatGeneration(message=msg)])
