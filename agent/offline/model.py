"""The offline engine as a LangChain chat model: each call reads the conversation the graph
sends (the shopper's message, the store's structured note, this turn's tool results) and
returns the next tool call, through the same tools, guards and fit check as any model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, PrivateAttr

from agent.offline import comparing, questions, shopping, talk
from agent.offline.context import Ctx, build_ctx, call
from agent.offline.understanding import ActIndex

Policy = Callable[[Ctx], AIMessage]
POLICIES: dict[str, Policy] = {
    "greet": talk.greet,
    "thanks_bye": talk.thanks,
    "policy": talk.policy,
    "out_of_scope": talk.out_of_scope,
    "other_language": talk.other_language,
    "product_question": questions.product_question,
    "comparative": comparing.comparative,
    "compare": comparing.compare,
    "size_help": questions.size_help,
    "request": shopping.request,
    "more_like": shopping.more_like,
    "vague": shopping.vague,
}
FAILED = "Sorry, I couldn't work that out. Could you tell me what you're looking for?"


class OfflineEngine(BaseChatModel):
    """A dialogue engine over one catalog: understanding, one policy per act, replies."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    catalog: Any = None
    store_name: str = "the store"
    _index: ActIndex | None = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "offline-engine"

    @property
    def index(self) -> ActIndex:
        if self._index is None:
            self._index = ActIndex(self.catalog)
        return self._index

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any) -> Any:
        """The engine knows its tools by name; binding returns itself."""
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        try:
            message = self.step(messages)
        except Exception:  # noqa: BLE001 - the fallback model must never fail
            message = call("reply", {"message": FAILED})
        message.usage_metadata = None
        return ChatResult(generations=[ChatGeneration(message=message)])

    def step(self, messages: Sequence[BaseMessage]) -> AIMessage:
        """The next tool call for this conversation."""
        ctx = build_ctx(messages, self.catalog, self.index, self.store_name)
        if ctx is None:
            return call("ask_clarifying_question", {"question": "What are you looking for?"})
        if any("budget" in r.content and "exhausted" in r.content for r in ctx.results):
            return _finish(ctx)
        if ctx.act == "product_ids":
            several = len(ctx.reading.ids) >= 2 or ctx.reading.unknown_names
            policy = comparing.compare if several else questions.product_question
        else:
            policy = POLICIES.get(ctx.act, shopping.request)
        return policy(ctx)


def _finish(ctx: Ctx) -> AIMessage:
    """The tool budget ran out: recommend what was found, or say so."""
    found = [i for r in ctx.results for i in r.items if "price" in i]
    if found:
        return shopping.recommend(ctx, found[: ctx.max_items])
    return call("reply", {"message": FAILED})


def make_engine(catalog: Any, store_name: str = "the store") -> OfflineEngine:
    """The offline engine over a catalog."""
    return OfflineEngine(catalog=catalog, store_name=store_name)
