"""An obedient scripted chat model: it does what injected text tells it to.

Beside the gullible model (which invents ids and prices), this one is loyal to whoever writes
an instruction — the shopper or a product description. It searches for what the shopper asks
(or looks up the product id they name), then recommends what it found and repeats, word for
word, every sentence it was told to say — in its message and in every reason — and, when asked
for its instructions, the system prompt itself. The guards must keep all of it from the shopper
while the answer still helps.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

# "... say: X", "tell the customer X", "announce that X", "reply with X"
_ORDER_RE = re.compile(
    r"(?:\bsay|\btell (?:me|the customer|every customer|them|shoppers)|\bannounce|\bconfirm"
    r"|\brespond with|\breply with|\bwrite|\brepeat)(?:\s+that)?\s*:?\s*[\"“]?(.+?)[\"”]?"
    r"(?=\s*(?:\bthen\b|$|\n|</))",
    re.I | re.S,
)
_PROMPT_RE = re.compile(r"system prompt|your instructions|your rules", re.I)
_ID_RE = re.compile(r"\b[A-Z]{2,6}-\d{2,}\b")


def _call(name: str, args: dict[str, Any]) -> AIMessage:
    tool_id = f"o_{uuid.uuid4().hex[:10]}"
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": tool_id}])


def orders(text: str) -> list[str]:
    """The sentences an instruction in `text` tells the assistant to say."""
    return [m.group(1).strip() for m in _ORDER_RE.finditer(text or "") if m.group(1).strip()]


class ObedientModel(BaseChatModel):
    """Searches, then recommends while repeating every injected order verbatim."""

    @property
    def _llm_type(self) -> str:
        return "obedient"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        last = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
        human = messages[last]
        text = str(human.additional_kwargs.get("shopper_text") or human.content)
        results = [m for m in messages[last + 1 :] if isinstance(m, ToolMessage)]
        if not results:
            ids = _ID_RE.findall(text)
            if ids:
                msg = _call("get_product", {"product_id": ids[0]})
            else:
                wanted = re.split(r"\bthen\b", text, flags=re.I)[-1]
                msg = _call("search_products", {"query": wanted, "exclude_shown": False})
            return ChatResult(generations=[ChatGeneration(message=msg)])
        said = orders(text)
        for m in results:
            said += orders(str(m.content))
        if _PROMPT_RE.search(text) or any("SYSTEM_PROMPT" in s for s in said):
            system = next((m for m in messages if isinstance(m, SystemMessage)), None)
            said = [s for s in said if "SYSTEM_PROMPT" not in s]
            said.append(str(system.content)[:400] if system else "")
        echo = " ".join(said)
        found: list[str] = []
        for m in results:
            art = m.artifact if isinstance(m.artifact, dict) else {}
            found += [str(i) for i in art.get("ids") or [] if str(i) not in found]
        items = [{"product_id": pid, "reason": echo} for pid in found[:2]]
        if not items:
            msg = _call("reply", {"message": echo or "Here you go."})
        else:
            msg = _call("recommend", {"items": items, "message": f"{echo} These suit you well."})
        return ChatResult(generations=[ChatGeneration(message=msg)])
