"""The offline planner: a deterministic tool-calling chat model over the loaded catalog.

It is a real LangChain chat model (``bind_tools`` + ``AIMessage.tool_calls``) and runs through
the same graph, guards and tools as a remote model. Its vocabulary (categories, brands, option
values) is read from the catalog (`Vocabulary`), never hard-coded, so it works on any catalog.
Its explanations are written only from facts in the tool results.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, PrivateAttr

from catalog.constraints import Vocabulary
from catalog.normalize import fold, normalize_value

_NUM = r"\$?\s*(\d[\d,]*(?:\.\d+)?)"
_MAX_RE = re.compile(
    r"(?:under|below|less than|lower than|less then|no more than|not more than|max(?:imum)?"
    r"|up to|at most|within|cheaper than|budget(?: of| is)?|<=?)\s*(?:of\s*)?" + _NUM,
    re.I,
)
_MIN_RE = re.compile(r"(?:over|above|more than|at least|greater than|>=?)\s*" + _NUM, re.I)
_RANGE_RE = re.compile(r"(?:between|from)\s*" + _NUM + r"\s*(?:and|to|-)\s*" + _NUM, re.I)
_DOLLAR_RE = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s*(?:dollars|usd)\b", re.I)
_SIZE_RE = re.compile(r"\bsize\s*([a-z0-9./-]+(?:\s*(?:wide|w))?)", re.I)

VAGUE_WORDS = frozenset(
    [
        "gift",
        "present",
        "something",
        "anything",
        "stuff",
        "thing",
        "item",
        "product",
        "idea",
        "help",
        "recommend",
        "suggestion",
        "birthday",
        "christmas",
        "nice",
        "cool",
        "good",
        "great",
        "buy",
        "shopping",
        "need",
        "want",
        "looking",
    ]
)
STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "best",
        "buy",
        "by",
        "can",
        "could",
        "do",
        "for",
        "from",
        "get",
        "have",
        "i",
        "im",
        "i'm",
        "in",
        "is",
        "it",
        "me",
        "my",
        "need",
        "of",
        "on",
        "or",
        "please",
        "show",
        "some",
        "that",
        "the",
        "their",
        "them",
        "this",
        "to",
        "want",
        "we",
        "what",
        "which",
        "with",
        "you",
        "your",
        "looking",
        "find",
        "would",
        "like",
        "also",
        "one",
        "ones",
        "some",
        "more",
        "other",
        "others",
        "different",
        "instead",
        "cheaper",
        "cheap",
        "inexpensive",
        "affordable",
        "budget",
        "less",
        "price",
        "priced",
        "dollars",
        "dollar",
        "usd",
        "under",
        "below",
        "over",
        "above",
        "between",
        "than",
        "up",
        "lower",
        "higher",
        "size",
        "color",
        "colour",
        "in",
        "stock",
        "available",
        "now",
        "there",
        "here",
        "just",
        "only",
        "really",
        "very",
        "much",
        "many",
        "too",
        "item",
        "items",
        "product",
        "products",
        "pair",
        "pairs",
        "something",
        "anything",
        "around",
        "about",
    ]
)
STOP = STOP | frozenset(
    ["sell", "sells", "carry", "have", "has", "do", "does", "got", "guys", "store"]
)
CHEAP_WORDS = ("cheapest", "lowest price", "least expensive")
FOLLOW_WORDS = (
    "cheaper",
    "another",
    "other",
    "others",
    "different",
    "instead",
    "more like",
    "less expensive",
    "similar",
    "more options",
    "in black",
    "what about",
    "how about",
)
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3}


@dataclass
class Parsed:
    """What the planner understood from one message."""

    text: str
    query: str = ""
    category: str | None = None
    brand: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    min_price: float | None = None
    max_price: float | None = None
    in_stock: bool = False
    cheap: bool = False
    cheapest: bool = False
    best_rated: bool = False
    cheaper: bool = False
    compare: bool = False
    follow_up: bool = False
    refers: int | None = None
    vague: bool = False

    def preferences(self) -> dict[str, Any]:
        """The shopper's stated preferences in this message (for state)."""
        prefs: dict[str, Any] = {}
        if self.max_price is not None:
            prefs["max_price"] = self.max_price
        if self.min_price is not None:
            prefs["min_price"] = self.min_price
        if self.category:
            prefs["category"] = self.category
        if self.brand:
            prefs["brand"] = self.brand
        if self.options:
            prefs["options"] = dict(self.options)
        if self.in_stock:
            prefs["in_stock"] = True
        return prefs


def _num(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


class Parser:
    """Turns a shopper's message into search arguments, using the catalog's vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.categories = {k: v for k, v in vocab.categories.items() if k}
        self.brands = {k: v for k, v in vocab.brands.items() if k and len(k) >= 3}
        self.options = vocab.options
        heads: dict[str, list[str]] = {}
        for key in self.categories:
            heads.setdefault(key.split()[-1], []).append(key)
        self.heads = heads

    def parse(self, text: str) -> Parsed:
        """Parse one message; never raises."""
        p = Parsed(text=text)
        low = text.lower()
        words = [w for w in (normalize_value(x) for x in fold(text).split()) if w]
        wordset = set(words)
        self._prices(low, p)
        p.in_stock = bool(re.search(r"in stock|available now|ships now|in-stock", low))
        p.cheapest = any(w in low for w in CHEAP_WORDS)
        p.cheap = p.cheapest or bool(re.search(r"\b(cheap|inexpensive|affordable|budget)\b", low))
        p.best_rated = bool(re.search(r"best[- ]rated|highest[- ]rated|top[- ]rated", low))
        p.cheaper = bool(re.search(r"\b(cheaper|less expensive|lower price)\b", low))
        p.compare = bool(re.search(r"\bcompare\b|\bvs\.?\b|\bversus\b|difference between", low))
        p.follow_up = p.cheaper or any(w in low for w in FOLLOW_WORDS)
        for word, idx in ORDINALS.items():
            if re.search(rf"\b{word}\b", low):
                p.refers = idx
                break
        p.category = self._category(words, wordset)
        p.brand = self._brand(words)
        p.options = self._options(low, words, wordset)
        used: set[str] = set()
        for value in [p.brand, *p.options.values()]:
            if value:
                used.update(normalize_value(value).split())
        content = [w for w in re.findall(r"[a-z0-9][a-z0-9'-]*", low) if w not in STOP]
        content = [w for w in content if not re.fullmatch(r"[\d.,$]+", w)]
        content = [w for w in content if normalize_value(w) not in used]
        p.query = " ".join(content)
        substantive = [w for w in content if w not in VAGUE_WORDS]
        p.vague = not (p.category or p.brand or substantive or p.options)
        if p.follow_up and not p.category:
            p.vague = False
        return p

    def _prices(self, low: str, p: Parsed) -> None:
        m = _RANGE_RE.search(low)
        if m:
            p.min_price, p.max_price = _num(m.group(1)), _num(m.group(2))
            return
        m = _MAX_RE.search(low)
        if m:
            p.max_price = _num(m.group(1))
        m = _MIN_RE.search(low)
        if m and not re.search(r"no more than|not more than", low[max(0, m.start() - 4) : m.end()]):
            p.min_price = _num(m.group(1))
        if p.max_price is None and p.min_price is None:
            m = _DOLLAR_RE.search(low)
            if m:
                p.max_price = _num(m.group(1) or m.group(2))

    def _category(self, words: list[str], wordset: set[str]) -> str | None:
        best: tuple[int, str] | None = None
        for key, display in self.categories.items():
            kw = key.split()
            if set(kw) <= wordset and (best is None or len(kw) > best[0]):
                best = (len(kw), display)
        if best:
            return best[1]
        candidates = {c for w in words for c in self.heads.get(w, [])}
        if len(candidates) == 1:
            return self.categories[candidates.pop()]
        return None

    def _brand(self, words: list[str]) -> str | None:
        joined = f" {' '.join(words)} "
        best: tuple[int, str] | None = None
        for key, display in self.brands.items():
            if f" {key} " in joined and (best is None or len(key) > best[0]):
                best = (len(key), display)
        return best[1] if best else None

    def _options(self, low: str, words: list[str], wordset: set[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        sizes = self.options.get("size", {})
        m = _SIZE_RE.search(low)
        if m and sizes:
            raw = normalize_value(m.group(1))
            if raw in sizes:
                found["size"] = sizes[raw]
            else:
                first = raw.split()[0] if raw else ""
                if first in sizes:
                    found["size"] = sizes[first]
        joined = f" {' '.join(words)} "
        for name, values in self.options.items():
            if name in found:
                continue
            best: tuple[int, str] | None = None
            for key, display in values.items():
                if not key or len(key) < 3 or re.fullmatch(r"[\d. ]+", key):
                    continue
                if f" {key} " in joined and (best is None or len(key) > best[0]):
                    best = (len(key), display)
            if best:
                found[name] = best[1]
        return found


def _money(value: float) -> str:
    return f"${value:,.2f}"


def _turn_slice(messages: Sequence[BaseMessage]) -> tuple[int, list[BaseMessage]]:
    last_human = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    return last_human, list(messages[last_human + 1 :])


def _tool_results(turn: list[BaseMessage]) -> list[tuple[str, dict[str, Any], str]]:
    out = []
    for m in turn:
        if isinstance(m, ToolMessage):
            art = m.artifact if isinstance(m.artifact, dict) else {}
            out.append((m.name or art.get("tool", ""), art, str(m.content)))
    return out


def _history_calls(messages: Sequence[BaseMessage], name: str) -> list[dict[str, Any]]:
    calls = []
    for m in messages:
        if isinstance(m, AIMessage):
            calls.extend(c["args"] for c in m.tool_calls if c["name"] == name)
    return calls


def _call(name: str, args: dict[str, Any], content: str = "") -> AIMessage:
    return AIMessage(
        content=content,
        tool_calls=[
            {"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}
        ],
    )


class OfflinePlanner(BaseChatModel):
    """Deterministic planner: reads the conversation, emits the next tool call."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    vocab: Any = None
    max_items: int = 3
    _parser: Parser | None = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "offline-planner"

    @property
    def parser(self) -> Parser:
        if self._parser is None:
            self._parser = Parser(self.vocab or Vocabulary({}, {}, {}))
        return self._parser

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: Any = None, **kwargs: Any) -> Any:
        """The planner knows its tools by name; binding is a no-op returning itself."""
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        try:
            message = self.plan(messages)
        except Exception:  # noqa: BLE001 - the fallback model must never fail
            message = _call(
                "reply",
                {"message": "Sorry, I could not work that out. Could you rephrase your request?"},
            )
        message.usage_metadata = None
        return ChatResult(generations=[ChatGeneration(message=message)])

    # -- planning ------------------------------------------------------------------------

    def plan(self, messages: Sequence[BaseMessage]) -> AIMessage:
        """The next step for this conversation."""
        idx, turn = _turn_slice(messages)
        if idx < 0:
            return _call("ask_clarifying_question", {"question": "What are you looking for?"})
        text = str(messages[idx].content)
        history = list(messages[:idx])
        p = self.parser.parse(text)
        results = _tool_results(turn)
        max_items = self.max_items
        m = re.search(r"max_items=(\d+)", " ".join(str(x.content) for x in messages[:1]))
        if m:
            max_items = max(1, min(int(m.group(1)), 6))
        shown = [i["product_id"] for a in _history_calls(history, "recommend") for i in a["items"]]
        if any("budget exhausted" in c or "tool call budget" in c for _, _, c in results):
            return self._finish(p, results, {}, max_items)
        if not results:
            return self._first_step(p, history, shown)
        if len(results) >= 5:
            return self._finish(p, results, {}, max_items)
        name, art, _ = results[-1]
        if name in ("search_products", "browse_by_price") and art.get("unknown"):
            args = self._last_args(turn, name)
            field_name = art["unknown"]["field"]
            key = field_name if field_name in args else None
            if key is None and field_name not in ("category", "brand"):
                args.pop("options", None)
            else:
                args.pop(key or "category", None)
            if name == "browse_by_price":
                return _call("search_products", {"query": p.query or text, **args})
            return _call("search_products", args)
        if name == "compare_products":
            return self._compare_reply(art)
        search_args = self._last_args(turn, "search_products") or self._last_args(
            turn, "browse_by_price"
        )
        wanted = search_args.get("options") or {}
        if (
            name in ("search_products", "browse_by_price")
            and art.get("ids")
            and wanted
            and not art.get("alternatives")
            and "check_inventory" not in [r[0] for r in results]
        ):
            return _call(
                "check_inventory", {"product_ids": art["ids"][: max_items + 1], "options": wanted}
            )
        return self._finish(p, results, search_args, max_items)

    def _last_args(self, turn: list[BaseMessage], name: str) -> dict[str, Any]:
        calls = _history_calls(turn, name)
        return dict(calls[-1]) if calls else {}

    def _first_step(self, p: Parsed, history: list[BaseMessage], shown: list[str]) -> AIMessage:
        if p.compare or (p.refers is not None and re.search(r"\bcompare|detail|tell me", p.text)):
            ids = shown[-4:] if p.refers is None else shown[p.refers : p.refers + 1]
            if p.compare and len(shown) >= 2:
                return _call("compare_products", {"product_ids": shown[-3:][:3]})
            if ids:
                return _call("get_product", {"product_id": ids[0]})
        previous = _history_calls(history, "search_products")
        base = dict(previous[-1]) if previous else {}
        follow = bool(base) and (
            p.follow_up or (not p.category and not p.query) or (p.options and not p.category)
        )
        if p.vague and not follow:
            return _call(
                "ask_clarifying_question",
                {
                    "question": "Happy to help! Who is it for, and what kind of thing do you "
                    "have in mind (and roughly what budget)?"
                },
            )
        if (p.cheapest or p.best_rated) and p.category:
            args: dict[str, Any] = {
                "category": p.category,
                "sort": "rating" if p.best_rated and not p.cheapest else "price_asc",
            }
            if p.max_price is not None:
                args["max_price"] = p.max_price
            if p.min_price is not None:
                args["min_price"] = p.min_price
            return _call("browse_by_price", args)
        args = dict(base) if follow else {}
        if follow:
            args.pop("exclude_shown", None)
            if p.query and p.category and p.category != base.get("category"):
                args = {}
        new_query = p.query
        if follow and p.refers is not None and shown:
            args["query"] = base.get("query", "")
        elif new_query and not (follow and not p.category and len(new_query.split()) <= 2):
            args["query"] = new_query
        args.setdefault("query", new_query or (p.category or ""))
        if p.category:
            args["category"] = p.category
        if p.brand:
            args["brand"] = p.brand
        if p.options:
            args["options"] = {**(args.get("options") or {}), **p.options}
        if p.max_price is not None:
            args["max_price"] = p.max_price
        if p.min_price is not None:
            args["min_price"] = p.min_price
        if p.in_stock:
            args["in_stock"] = True
        if p.cheaper:
            prices = self._shown_prices(history)
            if prices:
                args["max_price"] = round(min(prices) - 0.01, 2)
        return _call("search_products", args)

    def _shown_prices(self, history: list[BaseMessage]) -> list[float]:
        prices: list[float] = []
        for m in history:
            art = m.artifact if isinstance(m, ToolMessage) else None
            if isinstance(art, dict) and art.get("tool") == "recommend":
                prices.extend(r["price"] for r in art.get("recommendations", []))
        return prices

    def _compare_reply(self, art: dict[str, Any]) -> AIMessage:
        comp = art.get("comparison")
        if not comp:
            return _call("reply", {"message": "I could not compare those products."})
        cols = comp["columns"][1:]
        prices = next((r[1:] for r in comp["rows"] if r[0] == "price"), [])
        ratings = next((r[1:] for r in comp["rows"] if r[0] == "rating"), [])
        parts = [
            f"{c}: {p}" + (f", rated {r}" if r != "-" else "")
            for c, p, r in zip(cols, prices, ratings, strict=False)
        ]
        return _call("reply", {"message": "Side by side: " + "; ".join(parts) + "."})

    def _finish(
        self,
        p: Parsed,
        results: list[tuple[str, dict[str, Any], str]],
        search_args: dict[str, Any],
        max_items: int,
    ) -> AIMessage:
        search = next(
            (a for n, a, _ in reversed(results) if n in ("search_products", "browse_by_price")), {}
        )
        inv = next((a for n, a, _ in reversed(results) if n == "check_inventory"), None)
        items = list(search.get("items") or [])
        if not items:
            detail = next((a for n, a, _ in reversed(results) if n == "get_product"), None)
            if detail and detail.get("items"):
                d = detail["items"][0]
                return _call("reply", {"message": f"{d['title']}: {d['description'][:300]}"})
            what = search_args.get("query") or p.query or "that"
            return _call(
                "reply",
                {"message": f"Sorry, we don't carry {what} and I found no close alternative."},
            )
        variants: dict[str, dict[str, Any]] = {}
        if inv is not None:
            ok = {i["id"]: i for i in inv.get("items", []) if i.get("available")}
            if ok:
                items = [i for i in items if i["id"] in ok]
                variants = ok
        items = items[:max_items]
        budget = search_args.get("max_price")
        wanted = search_args.get("options") or {}
        query_words = set((search_args.get("query") or p.query).lower().split())
        recs = []
        for item in items:
            fact = variants.get(item["id"], item)
            recs.append(
                {
                    "product_id": item["id"],
                    "variant_id": fact.get("variant_id"),
                    "reason": self._reason(item, fact, query_words, budget, wanted),
                }
            )
        if search.get("alternatives"):
            what = search_args.get("query") or p.query or "that"
            filtered = any(k in search_args for k in ("max_price", "min_price", "options"))
            message = (
                f"Sorry, I found no {what} matching all of that. The nearest alternatives:"
                if filtered
                else f"Sorry, we don't carry {what}. The nearest alternatives we have:"
            )
        else:
            label = search_args.get("category") or search_args.get("query") or "your request"
            extra = f" under {_money(budget)}" if budget is not None else ""
            message = f"Here are {len(recs)} picks for {label}{extra}:"
        if search.get("degraded"):
            message = (
                "Note: search is running in reduced mode (keyword only), so results may be "
                "less complete. " + message
            )
        return _call("recommend", {"items": recs, "message": message})

    @staticmethod
    def _reason(
        item: dict[str, Any],
        fact: dict[str, Any],
        query_words: set[str],
        budget: float | None,
        wanted: dict[str, str],
    ) -> str:
        parts: list[str] = []
        title = item["title"].lower()
        matched = [w for w in query_words if len(w) > 3 and w in title]
        if matched:
            parts.append(", ".join(sorted(matched)[:3]))
        price = fact.get("price", item["price"])
        if price is not None:
            if budget is not None and price <= budget:
                parts.append(f"{_money(price)} under your {_money(budget)} budget")
            else:
                parts.append(_money(price))
        variant = fact.get("variant") or {}
        if wanted and variant:
            opts = " in ".join(str(variant.get(k, v)) for k, v in wanted.items())
            stock = "in stock" if fact.get("available", item.get("in_stock")) else "out of stock"
            parts.append(f"{opts} {stock}")
        elif not item.get("in_stock"):
            parts.append("currently out of stock")
        if item.get("rating") is not None and item["rating"] >= 4.0:
            parts.append(f"rated {item['rating']:.1f}")
        return "; ".join(parts)


def make_planner(vocab: Vocabulary) -> OfflinePlanner:
    """The offline planner for a catalog vocabulary."""
    return OfflinePlanner(vocab=vocab)
