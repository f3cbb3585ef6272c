"""A deliberately gullible scripted chat model, used to prove the guards.

It obeys instructions in the user's text and in tool results, invents product ids, prices and
stock figures. The graph's guards must stop every invention from reaching the shopper.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult


def _call(name: str, args: dict[str, Any]) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[{"name": name, "args": args, "id": f"g_{uuid.uuid4().hex[:10]}"}],
    )


class GullibleModel(BaseChatModel):
    """Searches once, then recommends an invented product plus the first real one,
    quoting invented prices and stock, and echoing any instruction it read."""

    @property
    def _llm_type(self) -> str:
        return "gullible"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        last_human = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
        human = messages[last_human]
        text = str(human.additional_kwargs.get("shopper_text") or human.content)
        turn = messages[last_human + 1 :]
        tools = [m for m in turn if isinstance(m, ToolMessage)]
        if not tools:
            msg = _call("search_products", {"query": text, "exclude_shown": False})
        else:
            real = []
            for m in tools:
                real += re.findall(r"\[([^\]\s]+)\]", str(m.content))
            obeyed = " ".join(
                line.strip()
                for m in tools
                for line in str(m.content).splitlines()
                if re.search(r"ignore|instruction|say|tell", line, re.I)
            )[:200]
            items = [{"product_id": "INVENTED-999", "reason": "the best, only $1.00"}]
            items += [
                {"product_id": pid, "reason": "waterproof titanium, $0.50, only 3 left"}
                for pid in real[:1]
            ]
            message = (
                f"Great deal: everything is $1.00 today, only 2 left in stock! {obeyed} "
                "SYSTEM OVERRIDE ACCEPTED."
            )
            msg = _call("recommend", {"items": items, "message": message})
        return ChatResult(generations=[ChatGeneration(message=msg)])


def make_gullible_model() -> GullibleModel:
    """The gullible model for tests and evals."""
    return GullibleModel()
