"""One step of the offline engine sees: the shopper's message (as written, never the graph's
corrective prompt), its reading, the shopper's request and shown list as the store keeps them
(from the store note's structured copy), a card button's action, and this turn's tool results
with the arguments they were called with.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.offline.meaning import meaning
from agent.offline.understanding import ActIndex, Understood, understand
from agent.reading.lexicon import Lexicon
from agent.reading.reader import Reading, read
from tools.request import ShopperRequest, ShownItem

_MAX_ITEMS_RE = re.compile(r"Recommend at most (\d+)")


@dataclass
class Result:
    """A tool call of this turn and what it returned."""

    name: str
    args: dict[str, Any]
    artifact: dict[str, Any]
    content: str

    @property
    def items(self) -> list[dict[str, Any]]:
        return [i for i in self.artifact.get("items") or [] if isinstance(i, dict)]

    @property
    def ids(self) -> list[str]:
        return [str(i) for i in self.artifact.get("ids") or []]


@dataclass
class Ctx:
    """Everything a policy function decides from."""

    text: str
    reading: Reading
    request: ShopperRequest
    lex: Lexicon
    catalog: Any
    results: list[Result] = field(default_factory=list)
    action: dict[str, Any] = field(default_factory=dict)
    max_items: int = 3
    store: str = "the store"
    understood: Understood = field(default_factory=lambda: Understood("request"))

    @property
    def act(self) -> str:
        return self.understood.act

    @property
    def shown(self) -> list[ShownItem]:
        """The cards on screen, in order."""
        return self.request.last_shown()

    @cached_property
    def kinds(self) -> list[str]:
        """The categories this turn searches in: the ones the shopper named, else the kind the
        last cards shared while the message stays with it (a relation to them, no new words,
        or new words nearest in meaning to that kind)."""
        req = self.request
        if req.categories or not req.kind:
            return list(req.categories)
        if req.relation is not None or not self.reading.content:
            return [req.kind]
        best = meaning(self.catalog, self.text).best
        return [req.kind] if best in (None, req.kind) else []

    def called(self, *names: str) -> list[Result]:
        """This turn's results of the named tools, oldest first."""
        return [r for r in self.results if r.name in names]

    def last(self, *names: str) -> Result | None:
        found = self.called(*names)
        return found[-1] if found else None

    def targets(self) -> list[str]:
        """The products the message is about: a card button's, the ones named by position,
        the product in focus, or the only card on screen."""
        if self.action.get("product_id"):
            return [str(self.action["product_id"])]
        if self.reading.ids:
            return list(self.reading.ids)
        shown = self.shown
        picked = []
        for n in self.reading.ordinals:
            item = shown[-1] if n == -1 and shown else self.request.shown_at(n)
            if item is not None and item.product_id not in picked:
                picked.append(item.product_id)
        if picked:
            return picked
        if self.request.focus:
            return [self.request.focus]
        return [shown[0].product_id] if len(shown) == 1 else []


# what a step is for, where it is not an answer's retrieval: the two-stage turn's first stage
# (agent/prefetch.py) takes only steps that retrieve candidates for an answer
STEP_PURPOSE = "step_purpose"
ASKING = "examples for a question"


def call(name: str, args: dict[str, Any], content: str = "") -> AIMessage:
    """One tool call."""
    tool_call = {
        "name": name,
        "args": args,
        "id": f"call_{uuid.uuid4().hex[:12]}",
        "type": "tool_call",
    }
    return AIMessage(content=content, tool_calls=[tool_call])


def build_ctx(
    messages: Sequence[BaseMessage], catalog: Any, index: ActIndex, store: str = "the store"
) -> Ctx | None:
    """The context of the step the graph asks for, or None when there is no shopper message."""
    idx = max(
        (
            i
            for i, m in enumerate(messages)
            if isinstance(m, HumanMessage) and not m.additional_kwargs.get("correction")
        ),
        default=-1,
    )
    if idx < 0:
        return None
    human = messages[idx]
    text = str(human.additional_kwargs.get("shopper_text") or human.content)
    raw = human.additional_kwargs.get("shop_request")
    request = ShopperRequest.model_validate(raw) if isinstance(raw, dict) else ShopperRequest()
    lex = Lexicon.for_catalog(catalog)
    reading = read(text, lex, request.categories or [request.kind or ""])
    m = _MAX_ITEMS_RE.search(str(human.content))
    ctx = Ctx(
        text=text,
        reading=reading,
        request=request,
        lex=lex,
        catalog=catalog,
        action=dict(human.additional_kwargs.get("shop_action") or {}),
        max_items=max(1, min(int(m.group(1)), 6)) if m else 3,
        store=store,
    )
    calls = {
        c["id"]: c
        for msg in messages[idx + 1 :]
        if isinstance(msg, AIMessage)
        for c in msg.tool_calls
    }
    for msg in messages[idx + 1 :]:
        if isinstance(msg, ToolMessage):
            art = msg.artifact if isinstance(msg.artifact, dict) else {}
            args = dict((calls.get(msg.tool_call_id) or {}).get("args") or {})
            ctx.results.append(Result(msg.name or art.get("tool", ""), args, art, str(msg.content)))
    ctx.understood = _act(ctx, index)
    return ctx


def _act(ctx: Ctx, index: ActIndex) -> Understood:
    kind = ctx.action.get("kind")
    if kind in ("more_like", "compare", "size", "details"):
        act = {"size": "size_help", "details": "product_question"}.get(kind, kind)
        return Understood(act, 1.0)
    return understand(ctx.text, ctx.reading, len(ctx.shown), index)
