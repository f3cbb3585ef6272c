"""The offline planner: a deterministic tool-calling chat model over the loaded catalog.

It is a real LangChain chat model (``bind_tools`` + ``AIMessage.tool_calls``) and runs through
the same graph, guards and tools as a remote model. Its vocabulary (categories, brands, option
values) is read from the catalog (`Vocabulary`), never hard-coded, so it works on any catalog.
Its explanations are written only from facts in the tool results.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, PrivateAttr

from catalog.constraints import Vocabulary
from catalog.normalize import fold, normalize_value
from catalog.query_text import parse_budget
from catalog.store import STOPWORDS

_SIZE_RE = re.compile(r"\bsize\s*([a-z0-9./-]+(?:\s*(?:wide|w))?)", re.I)

VAGUE_WORDS = frozenset(
    [
        "gift",
        "present",
        "something",
        "anything",
        "stuff",
        "someone",
        "somebody",
        "anyone",
        "person",
        "friend",
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
# The lexical index's stopwords, plus words that steer a request without naming a product.
STOP = STOPWORDS | frozenset(
    [
        "could",
        "i'm",
        "would",
        "like",
        "also",
        "one",
        "ones",
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
_COUNTS = {"two": 2, "2": 2, "three": 3, "3": 3, "four": 4, "4": 4, "both": 2}
_FIRST_N_RE = re.compile(r"\b(?:first|top)\s+(two|three|four|[234])\b|\bboth\b", re.I)
_ORDINAL_RE = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b", re.I)
_SIMILAR_RE = re.compile(r"\bmore like\b|\bsimilar to\b|\blike the\b|\bsimilar\b", re.I)
_DETAIL_RE = re.compile(r"\btell me (?:more )?about\b|\bdetails?\b|\bmore about\b", re.I)
# Product ids as shoppers type them: "ELE-00016", or numbers after "product"/"item"/"#".
_CODE_ID_RE = re.compile(r"\b[A-Za-z]{2,6}-\d{2,}\b")
_NUM_IDS_RE = re.compile(
    r"\b(?:products?|items?|ids?|skus?)\s*(?:#|no\.?|number)?\s*(\d+)"
    r"((?:\s*(?:,|and|&|or|vs\.?|versus)\s*(?:#|products?|items?)?\s*\d+)*)",
    re.I,
)
_QUESTION_RE = re.compile(
    r"\?|^\s*(?:how|what|whats|what's|does|do|is|are|can|will|which|tell me)\b", re.I
)
_PRONOUN_RE = re.compile(r"\b(?:it|its|it's|this one|that one|this|that)\b", re.I)
_STOCK_Q_RE = re.compile(
    r"\bin stock\b|\bavailable\b|\bsold out\b|\bdo you have the\b|\bcan i (?:get|buy|order) the\b"
    r"|\bis the\b|\bare the\b",
    re.I,
)
_NAMED_RE = re.compile(r"\bthe\s+([A-Z0-9][^?!,;:]*?)(?=\s+in\s+|\s+for\s+|\s*[?!,;:.]|\s*$)")
_SHOPPING_RE = re.compile(
    r"\b(?:sell|sells|carry|carries|stock|have|buy|purchase|need|want|looking|shop|shopping"
    r"|price|cost|order|find|get|recommend|show)\b",
    re.I,
)
_PRICE_Q_RE = re.compile(r"\bhow much\b|\bprice\b|\bcost\b|\bexpensive\b", re.I)
# Comparing products named by title: the intent ("which is better ... X or Y", "X vs Y",
# "difference between X and Y"), the separators between the names (a plain "and" only when no
# stronger one is there: titles have "and" in them), the lead-in words before the first name, and
# the words that end a name ("... Speaker for camping").
_COMPARE_Q_RE = re.compile(
    r"\bcompared?\b|\bvs\.?(?=\s|$)|\bversus\b|\bdifferences? between\b"
    r"|\b(?:better|worse)\b[^?.!]*?\bthan\b"
    r"|\bwhich\b[^?]*\b(?:better|best|recommend|choose|pick|prefer|get|buy)\b",
    re.I,
)
_STRONG_SEP_RE = re.compile(
    r"\s*,\s+(?:(?:and|or)\s+)?|\s+(?:vs\.?|versus|or|against|than|compared (?:to|with)"
    r"|compares? (?:to|with))\s+|\s+(?:with|to)\s+(?=(?:[Tt]he|[Aa]n?)\s+[A-Z0-9])",
    re.I,
)
# The product cards' compare button: "Compare <title> (<id>) with <title> (<id>)", left to the
# handling of shown products.
_CARD_REF_RE = re.compile(r"\)\s+(?:with|and)\s+")
_AND_SEP_RE = re.compile(r"\s+(?:and|&)\s+", re.I)
_AND_THE_SEP_RE = re.compile(r"\s+(?:and|&)\s+(?=(?:[Tt]he|[Aa]n?)\s+[A-Z0-9])")
_PUNCT = " \t\"'\u201c\u201d\u2018\u2019.?!;:,"
_ARTICLE_RE = re.compile(r"(?:^|\s)(?:[Tt]he|[Aa]n?)\s+(?=[A-Z0-9])")
_LEAD_RE = re.compile(
    r"^(?:(?:please|can|could|would|will|you|i|we|should|compare|comparing|between|which|one"
    r"|is|are|better|best|what|what's|whats|the|difference|differences|a|an|tell|me|how|does"
    r"|do|about|and|or|so)\b[\s,]*)+",
    re.I,
)
_NAME_END_RE = re.compile(r"\s+(?:for|in|to|if|when|with|better|worse|than|overall)\b", re.I)
_UNITS = {
    "hours": "hours",
    "hour": "hours",
    "days": "days",
    "kg": "kg",
    "g": "g",
    "lb": "lb",
    "oz": "oz",
    "mm": "mm",
    "cm": "cm",
    "m": "m",
    "in": "in",
    "inch": "in",
    "w": "W",
    "mah": "mAh",
    "gb": "GB",
    "tb": "TB",
    "l": "L",
    "ml": "ml",
}
# Below this best cosine similarity, hits sharing no word with the request are not "near".
_NEAR_SIMILARITY = 0.5


def norm_words(text: str) -> list[str]:
    """The message's words in the catalog's normalised form (synonym phrases split up)."""
    out: list[str] = []
    for raw in fold(text).split():
        out.extend(normalize_value(raw).split())
    return out


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
    picks: list[int] = field(default_factory=list)
    similar: bool = False
    details: bool = False
    vague: bool = False
    weak_options: set[str] = field(default_factory=set)
    full_query: str = ""

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
        words = norm_words(text)
        wordset = set(words)
        self._prices(low, p)
        p.in_stock = bool(re.search(r"in stock|available now|ships now|in-stock", low))
        p.cheapest = any(w in low for w in CHEAP_WORDS)
        p.cheap = p.cheapest or bool(re.search(r"\b(cheap|inexpensive|affordable|budget)\b", low))
        p.best_rated = bool(re.search(r"best[- ]rated|highest[- ]rated|top[- ]rated", low))
        p.cheaper = bool(re.search(r"\b(cheaper|less expensive|lower price)\b", low))
        p.compare = bool(re.search(r"\bcompare\b|\bvs\.?\b|\bversus\b|difference between", low))
        p.follow_up = p.cheaper or any(w in low for w in FOLLOW_WORDS)
        ordinals = [ORDINALS[m.group(1).lower()] for m in _ORDINAL_RE.finditer(low)]
        if ordinals:
            p.refers = ordinals[0]
        m = _FIRST_N_RE.search(low)
        if m:
            p.picks = list(range(_COUNTS[(m.group(1) or "both").lower()]))
        elif len(ordinals) >= 2:
            p.picks = list(dict.fromkeys(ordinals))
        p.similar = bool(_SIMILAR_RE.search(low)) and p.refers is not None
        p.details = bool(_DETAIL_RE.search(low)) and p.refers is not None
        p.category = self._category(words, wordset)
        p.brand = self._brand(words)
        p.options = self._options(low, words, wordset)
        p.weak_options = {
            name
            for name, value in p.options.items()
            if not re.search(r"\b(?:in|size)\s+" + re.escape(fold(value)) + r"\b", fold(text))
        }
        brand_words = set(normalize_value(p.brand).split()) if p.brand else set()
        full = [w for w in re.findall(r"[a-z0-9][a-z0-9'-]*", low) if w not in STOP]
        full = [w for w in full if not re.fullmatch(r"[\d.,$]+", w)]
        p.full_query = " ".join(w for w in full if normalize_value(w) not in brand_words)
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
        budget = parse_budget(low)
        p.min_price, p.max_price = budget.min_price, budget.max_price

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
        # "in blue" where the catalog only has "Sky Blue", "Navy Blue": the word itself, which
        # the search resolves to every value containing it.
        for m in re.finditer(r"\bin ([a-z]{3,})\b", fold(low)):
            word = normalize_value(m.group(1))
            if word in STOP or word in self.categories or word in self.heads:
                continue
            counts = {
                name: sum(1 for key in values if word in key.split())
                for name, values in self.options.items()
                if name not in found
            }
            counts = {k: v for k, v in counts.items() if v}
            if counts:
                found[max(sorted(counts), key=lambda k: counts[k])] = word
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


_EMPTY_VOCABULARY = Vocabulary({}, {}, {})


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
        """The parser over the current vocabulary. `vocab` is a Vocabulary or a callable
        returning the current one (the searcher's, cached per catalog version): a new
        vocabulary object means a new catalog version, and the parser is rebuilt."""
        vocab = self.vocab() if callable(self.vocab) else self.vocab
        vocab = vocab if vocab is not None else _EMPTY_VOCABULARY
        if self._parser is None or self._parser.vocab is not vocab:
            self._parser = Parser(vocab)
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
        if any("budget exhausted" in c or "tool call budget" in c for _, _, c in results):
            return self._finish(p, results, self._search_args(turn), max_items, history)
        parts = [] if _ids_in(text) else self._compared(text)
        if parts:
            step = self._compare_named(parts, results, max_items)
            if step is not None:
                return step
            # none of the names is a product's title: the ordinary handling of the message
            turn = _without_calls(turn, len(parts))
            results = _tool_results(turn)
        special = self._special(p, text, history, results, turn, max_items)
        if special is not None:
            return special
        if not results:
            return self._first_step(p, history)
        if len(results) >= 5:
            return self._finish(p, results, self._search_args(turn), max_items, history)
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
        if name == "get_product" and art.get("items"):
            return _call("reply", {"message": _details_text(art["items"][0])})
        search_args = self._search_args(turn)
        features = self._features(p, name, art, search_args, results)
        if features:
            browse: dict[str, Any] = {
                "category": search_args["category"],
                "features": features,
                "sort": "rating",
                "in_stock": True,
            }
            for key in ("min_price", "max_price"):
                if search_args.get(key) is not None:
                    browse[key] = search_args[key]
            return _call("browse_by_price", browse)
        if name == "search_products" and art.get("alternatives") and search_args.get("options"):
            retry = self._relax_options(search_args, art, turn)
            if retry is not None:
                return _call("search_products", retry)
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
        return self._finish(p, results, search_args, max_items, history)

    # -- requests about particular products, and answers that recommend nothing ----------

    def _special(
        self,
        p: Parsed,
        text: str,
        history: list[BaseMessage],
        results: list[tuple[str, dict[str, Any], str]],
        turn: list[BaseMessage],
        max_items: int,
    ) -> AIMessage | None:
        """Product ids, a shown product asked about, a product named by its title; and the
        answers without recommendations (not sold, off-topic, vague, nothing in budget)."""
        ids = _ids_in(text)
        if ids and (p.compare or len(ids) >= 2):
            return self._by_ids(ids, text, results)
        if ids:
            return self._about(ids[0], p, text, results, named=False)
        focus = self._focus(p, text, history)
        if focus is not None:
            return self._about(focus, p, text, results, named=False)
        name = self._named(p, text, history)
        if name is not None:
            return self._named_flow(name, p, text, results, max_items)
        if not results:
            return None
        last, art, _ = results[-1]
        args = self._search_args(turn)
        unfiltered = not any(
            args.get(k) is not None for k in ("category", "brand", "max_price", "min_price")
        )
        if last == "search_products" and unfiltered and not args.get("options"):
            if not _near(art, args.get("query") or "") and not _asked(history):
                return self._not_sold(args.get("query") or p.query, text)
            cats = list(dict.fromkeys(i.get("category") for i in art["items"][:5]))
            if _VAGUE_HINT_RE.search(text) and len(cats) >= 3:
                cats = cats[:3]
                what = " ".join(norm_words(args.get("query") or "")) or "item"
                return _call(
                    "ask_clarifying_question",
                    {
                        "question": f"What kind of {what} thing are you after (for example "
                        f"{', '.join(cats[:-1])} or {cats[-1]}), and roughly what budget?"
                    },
                )
        if last not in ("search_products", "browse_by_price") or art.get("unknown"):
            return None
        calls = [
            c["args"]
            for m in turn
            if isinstance(m, AIMessage)
            for c in m.tool_calls
            if c["name"] in ("search_products", "browse_by_price")
        ]
        budgeted = [c for c in calls if c.get("max_price") is not None]
        if not budgeted:
            return None
        budget = float(budgeted[-1]["max_price"])
        if last == "browse_by_price" and args.get("max_price") is None and args.get("limit") == 1:
            # the cheapest-overall look-up below came back
            return self._over_budget(budgeted[-1], art, budget)
        fits = [i for i in art.get("items") or [] if (i.get("price") or 0) <= budget + 1e-9]
        if fits:
            return None
        if args.get("category"):
            browse = {"category": args["category"], "sort": "price_asc", "limit": 1}
            return _call("browse_by_price", {**browse, "in_stock": True})
        return self._over_budget(args, {}, budget)
        return None

    def _over_budget(self, args: dict[str, Any], art: dict[str, Any], budget: float) -> AIMessage:
        what = args.get("category") or args.get("query") or "products"
        message = f"Sorry, none of our {what} fit a budget of {_money(budget)}."
        cheapest = (art.get("items") or [None])[0]
        if cheapest:
            message += (
                f" The lowest-priced one in stock is the {cheapest['title']} at "
                f"{_money(cheapest['price'])}. Would a higher budget work for you?"
            )
        return _call("reply", {"message": message})

    def _not_sold(self, what: str, text: str) -> AIMessage:
        cats = sorted(self.parser.categories.values())
        step = max(1, len(cats) // 5)
        sample = ", ".join(cats[::step][:5])
        if not _SHOPPING_RE.search(text):
            message = (
                "I'm the store's shopping assistant, so I can't help with that one. "
                f"I can help you find products, for example {sample}."
            )
        else:
            message = (
                f"Sorry, we don't carry {what or 'that'}: it's not something our store sells. "
                f"We do carry things like {sample}."
            )
        return _call("reply", {"message": message})

    def _by_ids(
        self, ids: list[str], text: str, results: list[tuple[str, dict[str, Any], str]]
    ) -> AIMessage:
        if not results:
            return _call("compare_products", {"product_ids": ids[:4]})
        name, art, content = results[-1]
        if name == "compare_products" and art.get("comparison"):
            return self._compare_reply(art)
        return _call(
            "reply",
            {
                "message": "Sorry, I couldn't find all of those products in our catalog ("
                + ", ".join(ids[:4])
                + "). Could you check the ids, or tell me what kind of product you want?"
            },
        )

    def _about(
        self,
        pid: str,
        p: Parsed,
        text: str,
        results: list[tuple[str, dict[str, Any], str]],
        *,
        named: bool,
    ) -> AIMessage:
        """get_product (or check_inventory for options / stock questions), then the answer."""
        options = {k: v for k, v in p.options.items() if k not in p.weak_options}
        stock_q = bool(options) or bool(re.search(r"\bin stock\b|\bavailable\b", text, re.I))
        done = {n for n, _, _ in results}
        if stock_q and "check_inventory" not in done:
            return _call("check_inventory", {"product_ids": [pid], "options": options})
        if "get_product" not in done and not stock_q:
            return _call("get_product", {"product_id": pid})
        name, art, _ = results[-1]
        items = art.get("items") or []
        if name == "check_inventory" and items:
            return _call("reply", {"message": _stock_text(items[0])})
        if name == "get_product" and items:
            return _call("reply", {"message": _answer(items[0], text)})
        return _call(
            "reply",
            {
                "message": "Sorry, I couldn't find that product in our catalog. Could you tell "
                "me its name, or what kind of product you are looking for?"
            },
        )

    def _focus(self, p: Parsed, text: str, history: list[BaseMessage]) -> str | None:
        """The shown product a question is about ("how long does the battery last on the first
        one?", "how much is it?"), or None."""
        if p.compare or p.similar or p.cheaper or p.category or p.brand:
            return None
        if p.max_price is not None or p.min_price is not None or p.picks:
            return None
        if p.follow_up and not p.details:
            return None
        if not _QUESTION_RE.search(text) and not p.details:
            return None
        last = [r["product_id"] for r in _last_recs(history)]
        if p.refers is not None:
            return last[p.refers] if p.refers < len(last) else None
        if not _PRONOUN_RE.search(text):
            return None
        single = _last_single(history)
        if single:
            return single
        return last[0] if len(last) == 1 else None

    def _named(self, p: Parsed, text: str, history: list[BaseMessage]) -> str | None:
        """A product the shopper names by its title ("Is the Samsung Galaxy S8 in stock?")."""
        if p.compare or p.max_price is not None or p.min_price is not None:
            return None
        if not (_STOCK_Q_RE.search(text) or _DETAIL_RE.search(text)):
            return None
        m = _NAMED_RE.search(text)
        if not m:
            return None
        name = m.group(1).strip()
        words = [w for w in norm_words(name) if w not in STOP]
        if len(words) < 2 or not (p.brand or name[:1].isupper()):
            return None
        return name

    def _compared(self, text: str) -> list[str]:
        """The 2-4 products a comparison names by title ("which is better: the X or the Y?",
        "X vs Y", "the difference between X and Y"), or [] when the message is no such thing."""
        if not _COMPARE_Q_RE.search(text) or _CARD_REF_RE.search(text):
            return []
        body = text.strip()
        if ":" in body:
            after = body.rsplit(":", 1)[1]
            if _STRONG_SEP_RE.search(after) or _AND_SEP_RE.search(after):
                body = after
        body = body.strip().rstrip("?!.").strip()
        raw = [
            piece for part in _STRONG_SEP_RE.split(body) for piece in _AND_THE_SEP_RE.split(part)
        ]
        if len(raw) < 2:
            raw = _AND_SEP_RE.split(body)
        names = [_part_name(r) for r in raw]
        while names and not self._name_like(names[0]):
            names = names[1:]  # the lead-in: "Which is better for camping, the X or the Y"
        names = list(dict.fromkeys(names))
        if not 2 <= len(names) <= 4 or not all(self._name_like(n) for n in names):
            return []
        return names

    def _name_like(self, name: str) -> bool:
        """Whether a piece of a comparison reads as a product's name: two words or more, and a
        capital (as titles are typed) or a brand of the catalog."""
        words = norm_words(name)
        if len([w for w in words if w not in STOP]) < 2:
            return False
        return name[:1].isupper() or name[:1].isdigit() or self.parser._brand(words) is not None

    def _compare_named(
        self, parts: list[str], results: list[tuple[str, dict[str, Any], str]], max_items: int
    ) -> AIMessage | None:
        """Search each named product, match a title, compare the ones found (two or more) and
        answer from the comparison. None when no name is a product's title."""
        done = results[: len(parts)]
        if len(done) < len(parts):
            part = parts[len(done)]
            args: dict[str, Any] = {"query": part, "exclude_shown": False, "limit": 8}
            brand = self.parser._brand(norm_words(part))
            if brand:
                args["brand"] = brand
            return _call("search_products", args)
        found: list[dict[str, Any]] = []
        missing: list[str] = []
        near: list[dict[str, Any]] = []
        for part, (name, art, _) in zip(parts, done, strict=True):
            items = (
                []
                if name != "search_products" or art.get("alternatives")
                else list(art.get("items") or [])
            )
            match = _name_match(part, items)
            if match is None:
                missing.append(part)
                near.extend(items)
            elif match["id"] not in {f["id"] for f in found}:
                found.append(match)
        if len(found) >= 2:
            later = results[len(parts) :]
            if not later:
                return _call("compare_products", {"product_ids": [f["id"] for f in found][:4]})
            return self._compare_reply(later[-1][1], missing)
        if not found:
            return None
        if missing:
            message = (
                f"Sorry, I couldn't find {_quoted(missing)} in our catalog, so I can't compare "
                f"them. I did find the {found[0]['title']}"
            )
        else:
            message = f"Those both name the {found[0]['title']}"
        ids = {found[0]["id"]}
        others = []
        for item in near:
            if item.get("in_stock") and item["id"] not in ids and len(others) < max_items - 1:
                ids.add(item["id"])
                others.append(item)
        message += "; here it is" + (" with the closest matches:" if others else ":")
        recs = [
            {
                "product_id": i["id"],
                "variant_id": i.get("variant_id"),
                "reason": _money(i["price"])
                + (", in stock" if i.get("in_stock") else ", currently out of stock"),
            }
            for i in [found[0], *others]
        ]
        return _call("recommend", {"items": recs, "message": message})

    def _named_flow(
        self,
        name: str,
        p: Parsed,
        text: str,
        results: list[tuple[str, dict[str, Any], str]],
        max_items: int,
    ) -> AIMessage:
        if not results:
            args: dict[str, Any] = {"query": name, "exclude_shown": False, "limit": 8}
            if p.brand:
                args["brand"] = p.brand
            return _call("search_products", args)
        search = next((a for n, a, _ in results if n == "search_products"), {})
        items = [] if search.get("alternatives") else list(search.get("items") or [])
        match = _title_match(name, items)
        inv = next((a for n, a, _ in results if n == "check_inventory"), None)
        if match is not None and inv and inv.get("items"):
            found = inv["items"][0]
            message = _stock_text(found)
            others = [i for i in items if i.get("in_stock") and i["id"] != match["id"]][:max_items]
            if found.get("available") or found.get("in_stock_options") or not others:
                return _call("reply", {"message": message})
            message += " In-stock alternatives:"
        elif match is not None:
            return self._about(match["id"], p, text, results[1:], named=True)
        else:
            others = [i for i in items if i.get("in_stock")][:max_items]
            message = (
                f"Sorry, I couldn't find \"{name}\" in our catalog, so it isn't available here."
            )
            if others:
                message += " The closest in-stock matches:"
        if not others:
            return _call("reply", {"message": message})
        recs = [
            {
                "product_id": i["id"],
                "variant_id": i.get("variant_id"),
                "reason": f"{_money(i['price'])}, in stock",
            }
            for i in others
        ]
        return _call("recommend", {"items": recs, "message": message})

    def _features(
        self,
        p: Parsed,
        name: str,
        art: dict[str, Any],
        args: dict[str, Any],
        results: list[tuple[str, dict[str, Any], str]],
    ) -> list[str]:
        """Words of the request beyond the category ("4-season") that no top hit's title has:
        worth a look-up in the category's attributes (browse_by_price features)."""
        if name != "search_products" or art.get("alternatives") or not art.get("items"):
            return []
        if not args.get("category") or args.get("options") or args.get("brand"):
            return []
        if any(n == "browse_by_price" for n, _, _ in results):
            return []
        cat = set(normalize_value(args["category"]).split())
        words = [
            w
            for w in str(args.get("query") or "").split()
            if len(w) > 2 and w not in VAGUE_WORDS and not set(norm_words(w)) <= cat
        ]
        titles = " ".join(fold(i.get("title") or "") for i in art["items"][:3])
        missing = [w for w in words if f" {fold(w)} " not in f" {titles} "]
        return missing[:4] if len(missing) == len(words) else []

    def _search_args(self, turn: list[BaseMessage]) -> dict[str, Any]:
        """Arguments of the latest search or browse call of this turn."""
        for m in reversed(turn):
            if isinstance(m, AIMessage):
                for c in reversed(m.tool_calls):
                    if c["name"] in ("search_products", "browse_by_price"):
                        return dict(c["args"])
        return {}

    def _relax_options(
        self, args: dict[str, Any], art: dict[str, Any], turn: list[BaseMessage]
    ) -> dict[str, Any] | None:
        """A retry for an options filter that matched nothing, read from the catalog itself.

        An option the category does not have at all (the nearest alternatives of the same
        category carry no such option, e.g. "light" read as a resistance level for a jacket) is
        dropped; a value the catalog only has in a wider form ("Queen" → "Full/Queen") is
        widened. At most two retries per turn.
        """
        if len(_history_calls(turn, "search_products")) >= 3:
            return None
        options = dict(args.get("options") or {})
        items = art.get("items") or []
        names = {k for i in items for k in (i.get("variant") or {})}
        same_category = args.get("category") and all(
            i.get("category") == args["category"] for i in items
        )
        for name in list(options):
            if same_category and items and name not in names:
                options.pop(name)
                return {**args, "options": options} if options else _without(args, "options")
        for name, value in options.items():
            wanted = set(normalize_value(value).split())
            wider = [
                display
                for key, display in (self.parser.options.get(name) or {}).items()
                if wanted < set(key.split())
            ]
            if wider:
                return {**args, "options": {**options, name: sorted(wider)[0]}}
        return None

    def _last_args(self, turn: list[BaseMessage], name: str) -> dict[str, Any]:
        calls = _history_calls(turn, name)
        return dict(calls[-1]) if calls else {}

    def _first_step(self, p: Parsed, history: list[BaseMessage]) -> AIMessage:
        last = _last_recs(history)
        last_ids = [r["product_id"] for r in last]
        if p.compare and len(last_ids) >= 2:
            picks = [i for i in p.picks if i < len(last_ids)]
            if len(picks) < 2 and p.refers is None:
                picks = list(range(min(4, len(last_ids))))
            ids = [last_ids[i] for i in picks]
            if len(ids) >= 2:
                return _call("compare_products", {"product_ids": ids[:4]})
        if p.details and p.refers is not None and p.refers < len(last_ids):
            return _call("get_product", {"product_id": last_ids[p.refers]})
        previous = _history_calls(history, "search_products")
        base = dict(previous[-1]) if previous else {}
        if p.similar and p.refers is not None and p.refers < len(last):
            ref = last[p.refers]
            args = _kept_for_similar(base, ref)
            args["query"] = _similar_query(ref, self.parser.brands)
            if ref.get("category"):
                args["category"] = ref["category"]
            return _call("search_products", args)
        if p.weak_options and not (p.category or p.brand or base):
            # "espresso machine": a word that is also an option value, with nothing to say it
            # is meant as one, stays a search word
            p.options = {k: v for k, v in p.options.items() if k not in p.weak_options}
            p.query = p.full_query
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
        plain = p.category and not p.brand and not p.options and not self._extra_words(p)
        if p.category and (p.cheapest or p.best_rated or (p.cheap and plain)):
            args: dict[str, Any] = {
                "category": p.category,
                "sort": "rating" if p.best_rated and not p.cheapest else "price_asc",
            }
            if p.max_price is not None:
                args["max_price"] = p.max_price
            if p.min_price is not None:
                args["min_price"] = p.min_price
            if p.in_stock:
                args["in_stock"] = True
            return _call("browse_by_price", args)
        args = dict(base) if follow else {}
        if follow:
            args.pop("exclude_shown", None)
            if not p.follow_up:  # a refinement: what was shown may fit the new constraint too
                args["exclude_shown"] = False
            if p.query and p.category and p.category != base.get("category"):
                args = {}
        new_query = p.query
        if follow and p.refers is not None and last:
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
            prices = [r["price"] for r in last if isinstance(r.get("price"), int | float)]
            if prices:
                args["max_price"] = round(min(prices) - 0.01, 2)
        return _call("search_products", args)

    def _extra_words(self, p: Parsed) -> list[str]:
        """Words of the query beyond the category's own name (e.g. "waterproof")."""
        cat = set(normalize_value(p.category or "").split())
        return [w for w in norm_words(p.query) if w not in cat and w not in VAGUE_WORDS]

    def _compare_reply(self, art: dict[str, Any], missing: Sequence[str] = ()) -> AIMessage:
        """The comparison summed up from the compare_products result only: each product's price,
        rating and stock, which is cheaper and which rated higher, and the attributes that differ.
        """
        comp = art.get("comparison")
        note = f"I couldn't find {_quoted(missing)} in our catalog. " if missing else ""
        if not comp:
            return _call("reply", {"message": note + "I could not compare those products."})
        cols = comp["columns"][1:]
        rows = {r[0]: r[1:] for r in comp["rows"]}
        prices = rows.get("price", [])
        ratings = rows.get("rating", [])
        stock = rows.get("stock", [])
        parts = [
            f"{c}: {p}"
            + (f", rated {r}" if r != "-" else "")
            + (", out of stock" if i < len(stock) and stock[i].startswith("out") else "")
            for i, (c, p, r) in enumerate(zip(cols, prices, ratings, strict=False))
        ]
        message = note + "Side by side: " + "; ".join(parts) + "."
        more = "cheaper" if len(cols) == 2 else "the cheapest"
        summary = []
        cheap = _best(cols, [_num(re.sub(r"[^\d.,]", "", p)) for p in prices], low=True)
        if cheap:
            summary.append(f"the {cheap} is {more}")
        rated = _best(cols, [_num(r) if r != "-" else None for r in ratings], low=False)
        if rated:
            summary.append(f"the {rated} is rated " + ("higher" if len(cols) == 2 else "highest"))
        if summary:
            text = " and ".join(summary)
            message += f" {text[0].upper()}{text[1:]}."
        skip = {"price", "brand", "category", "rating", "stock"}
        diffs = [
            f"{_attr_label(k)}: " + " vs ".join(_YES_NO.get(v, v) for v in vals)
            for k, *vals in comp["rows"]
            if k not in skip and len(set(vals)) > 1 and _shown_attr(k, vals[0])
        ][:3]
        if diffs:
            message += " Where they differ: " + "; ".join(diffs) + "."
        return _call("reply", {"message": message})

    def _finish(
        self,
        p: Parsed,
        results: list[tuple[str, dict[str, Any], str]],
        search_args: dict[str, Any],
        max_items: int,
        history: Sequence[BaseMessage] = (),
    ) -> AIMessage:
        found = [
            (n, a)
            for n, a, _ in reversed(results)
            if n in ("search_products", "browse_by_price")
            and a.get("features_matched") is not False
        ]
        tool, search = found[0] if found else ("", {})
        inv = next((a for n, a, _ in reversed(results) if n == "check_inventory"), None)
        items = list(search.get("items") or [])
        if not items:
            detail = next((a for n, a, _ in reversed(results) if n == "get_product"), None)
            if detail and detail.get("items"):
                return _call("reply", {"message": _details_text(detail["items"][0])})
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
        query = search_args.get("query") or p.query
        if tool == "search_products":
            items = _rank(items, query, cheap=p.cheap)
        if any(i.get("in_stock") for i in items) and not variants:
            items = [i for i in items if i.get("in_stock")]
        items = items[:max_items]
        budget = search_args.get("max_price")
        floor = search_args.get("min_price")
        wanted = search_args.get("options") or {}
        query_words = set(norm_words(query))
        recs = []
        for item in items:
            fact = variants.get(item["id"], item)
            recs.append(
                {
                    "product_id": item["id"],
                    "variant_id": fact.get("variant_id"),
                    "reason": self._reason(
                        item, fact, query_words, None if p.cheaper else budget, wanted, floor
                    ),
                }
            )
        if search.get("alternatives"):
            what = query or "that"
            filtered = any(k in search_args for k in ("max_price", "min_price", "options"))
            message = (
                f"Sorry, I found no {what} matching all of that. The nearest alternatives:"
                if filtered
                else f"Sorry, we don't carry {what}. The nearest alternatives we have:"
            )
        else:
            label = search_args.get("category") or query or "your request"
            if wanted:
                label += " in " + ", ".join(_option_text(k, v) for k, v in wanted.items())
            if p.cheaper:
                extra = ", cheaper than what I showed before"
            elif budget is not None and floor is not None:
                extra = f" between {_money(floor)} and {_money(budget)}"
            elif budget is not None:
                extra = f" under {_money(budget)}"
            elif floor is not None:
                extra = f" over {_money(floor)}"
            else:
                extra = ""
            count = "Here is 1 pick" if len(recs) == 1 else f"Here are {len(recs)} picks"
            message = f"{count} for {label}{extra}:"
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
        floor: float | None = None,
    ) -> str:
        parts: list[str] = []
        title = set(norm_words(item["title"]))
        matched = [w for w in query_words if len(w) > 3 and w in title]
        if matched:
            parts.append(", ".join(sorted(matched)[:3]))
        price = fact.get("price", item["price"])
        if price is not None:
            in_range = (budget is None or price <= budget + 1e-9) and (
                floor is None or price >= floor - 1e-9
            )
            if budget is not None and floor is not None and in_range:
                parts.append(f"{_money(price)} within your {_money(floor)}-{_money(budget)} budget")
            elif budget is not None and in_range:
                parts.append(f"{_money(price)} under your {_money(budget)} budget")
            elif floor is not None and in_range:
                parts.append(f"{_money(price)} within your budget")
            else:
                parts.append(_money(price))
        variant = fact.get("variant") or {}
        if wanted and variant:
            opts = ", ".join(_option_text(k, str(variant.get(k, v))) for k, v in wanted.items())
            stock = "in stock" if fact.get("available", item.get("in_stock")) else "out of stock"
            parts.append(f"{opts}, {stock}")
        elif not item.get("in_stock"):
            parts.append("currently out of stock")
        if item.get("rating") is not None and item["rating"] >= 4.0:
            parts.append(f"rated {item['rating']:.1f}")
        return "; ".join(parts)


_VAGUE_HINT_RE = re.compile(r"\b(?:something|anything|stuff|gift|present|ideas?)\b", re.I)


def _asked(history: Sequence[BaseMessage]) -> bool:
    """Whether the assistant's previous turn ended with a clarifying question."""
    for m in reversed(history):
        if isinstance(m, AIMessage) and m.tool_calls:
            return any(c["name"] == "ask_clarifying_question" for c in m.tool_calls)
    return False


def _ids_in(text: str) -> list[str]:
    """Product ids typed by the shopper, in order."""
    ids = [m.group(0).upper() for m in _CODE_ID_RE.finditer(text)]
    for m in _NUM_IDS_RE.finditer(text):
        ids.append(m.group(1))
        ids.extend(re.findall(r"\d+", m.group(2) or ""))
    return list(dict.fromkeys(ids))


def _content(text: str) -> set[str]:
    return {w for w in norm_words(text) if len(w) > 2 and w not in STOP and w not in VAGUE_WORDS}


def _near(art: dict[str, Any], query: str) -> bool:
    """Whether the search found anything genuinely near the request: not the no-match signal,
    and either a word of the request in a hit's title or category, or a close similarity."""
    if art.get("alternatives") or art.get("no_match"):
        return bool(art.get("degraded")) and bool(art.get("items"))
    items = art.get("items") or []
    if not items:
        return False
    words = _content(query)
    if not words:
        return True
    for item in items[:5]:
        have = set(norm_words(f"{item.get('title', '')} {item.get('category', '')}"))
        if words & have:
            return True
    best = max((i.get("similarity") or 0.0 for i in items), default=0.0)
    return best >= _NEAR_SIMILARITY or bool(art.get("degraded"))


def _title_match(name: str, items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The hit whose title is the product the shopper named (all its words, little else)."""
    want = set(norm_words(name)) - STOP
    best: tuple[float, dict[str, Any]] | None = None
    for item in items:
        have = set(norm_words(item.get("title") or "")) - STOP
        if not want or not have:
            continue
        common = len(want & have)
        cover, precision = common / len(want), common / len(have)
        if cover >= 0.99 and precision >= 0.75 and (best is None or precision > best[0]):
            best = (precision, item)
    return best[1] if best else None


def _part_name(part: str) -> str:
    """A product's name out of one piece of a comparison: after its article ("the Halden Block
    Speaker"), or without the lead-in words ("compare Halden Block Speaker")."""
    part = part.strip(_PUNCT)
    m = _ARTICLE_RE.search(part)
    name = part[m.end() :] if m else _LEAD_RE.sub("", part)
    return name.strip(_PUNCT)


def _name_match(name: str, items: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The hit titled `name`, or titled its start before a trailing clause ("... Speaker for
    camping"), the longest such start first."""
    match = _title_match(name, items)
    if match is not None:
        return match
    for m in reversed(list(_NAME_END_RE.finditer(name))):
        head = name[: m.start()]
        if len([w for w in norm_words(head) if w not in STOP]) >= 2:
            match = _title_match(head, items)
            if match is not None:
                return match
    return None


def _without_calls(turn: list[BaseMessage], n: int) -> list[BaseMessage]:
    """The turn without its first `n` tool calls and their results."""
    dropped: set[str] = set()
    out: list[BaseMessage] = []
    for m in turn:
        if isinstance(m, AIMessage) and m.tool_calls and len(dropped) < n:
            dropped.update(c["id"] for c in m.tool_calls)
            continue
        if isinstance(m, ToolMessage) and m.tool_call_id in dropped:
            continue
        out.append(m)
    return out


def _quoted(parts: Sequence[str]) -> str:
    return " or ".join(f'"{p}"' for p in parts)


def _best(cols: list[str], values: list[float | None], *, low: bool) -> str | None:
    """The column with the single lowest (or highest) value, if every column has one."""
    if len(values) != len(cols) or any(v is None for v in values) or len(set(values)) < 2:
        return None
    target = min(values) if low else max(values)  # type: ignore[type-var]
    winners = [c for c, v in zip(cols, values, strict=True) if v == target]
    return winners[0] if len(winners) == 1 else None


_YES_NO = {"True": "yes", "False": "no", "-": "n/a"}


def _attr_label(key: str) -> str:
    parts = key.lower().split("_")
    unit = _UNITS.get(parts[-1]) if len(parts) > 1 else None
    label = " ".join(parts[:-1] if unit else parts)
    return f"{label} ({unit})" if unit else label


def _last_single(history: Sequence[BaseMessage]) -> str | None:
    """The product of the latest single-product look-up or single recommendation."""
    for m in reversed(history):
        if isinstance(m, ToolMessage) and isinstance(m.artifact, dict):
            tool = m.artifact.get("tool")
            ids = m.artifact.get("ids") or []
            if tool in ("get_product", "check_inventory") and len(ids) == 1:
                return str(ids[0])
            if tool == "recommend":
                recs = m.artifact.get("recommendations") or []
                return str(recs[0]["product_id"]) if len(recs) == 1 else None
            if tool in ("search_products", "browse_by_price", "compare_products"):
                return None
    return None


def _attr_text(key: str, value: Any) -> str:
    parts = key.lower().split("_")
    unit = _UNITS.get(parts[-1]) if len(parts) > 1 else None
    label = " ".join(parts[:-1] if unit else parts)
    if value is True:
        return f"{label}: yes"
    if value is False:
        return f"{label}: no"
    return f"{label}: {value} {unit}" if unit else f"{label}: {value}"


def _price_text(info: dict[str, Any]) -> str:
    variants = info.get("variants") or []
    prices = sorted({float(v["price"]) for v in variants})
    if not prices:
        return ""
    if len(prices) == 1:
        return f"costs {_money(prices[0])}"
    stocked = sorted(float(v["price"]) for v in variants if v.get("in_stock"))
    return f"starts at {_money((stocked or prices)[0])}"


def _answer(info: dict[str, Any], question: str) -> str:
    """An answer about one product from its structured fields (never its free text)."""
    words = _content(question)
    attrs = info.get("attributes") or {}
    hits = [
        _attr_text(k, v)
        for k, v in attrs.items()
        if _shown_attr(k, v) and words & {normalize_value(w) for w in k.lower().split("_")}
    ]
    title = info["title"] + (f" by {info['brand']}" if info.get("brand") else "")
    price = _price_text(info)
    if hits:
        text = f"{title}: " + "; ".join(hits[:4]) + "."
        return text + (f" It {price}." if price else "")
    if _PRICE_Q_RE.search(question) and price:
        return f"The {title} {price}." + _stock_suffix(info)
    details = _details_text(info)
    return details + (f" It {price}." if price else "")


def _stock_suffix(info: dict[str, Any]) -> str:
    variants = info.get("variants") or []
    if variants and not any(v.get("in_stock") for v in variants):
        return " It is currently out of stock."
    return ""


def _stock_text(item: dict[str, Any]) -> str:
    """A check_inventory result as an answer: available or not, and what is in stock."""
    title = item.get("title") or item["id"]
    wanted = ", ".join(_option_text(k, v) for k, v in (item.get("requested") or {}).items())
    opts = "; ".join(
        f"{k.replace('_', ' ')} {', '.join(vs[:12])}"
        for k, vs in (item.get("in_stock_options") or {}).items()
    )
    if item.get("available"):
        variant = ", ".join(_option_text(k, v) for k, v in (item.get("variant") or {}).items())
        text = f"Yes, the {title} is in stock" + (f" in {variant}" if variant else "")
        if item.get("price") is not None:
            text += f" at {_money(item['price'])}"
        return text + "."
    if item.get("variant_id") is None and wanted:
        text = f"Sorry, the {title} isn't available in {wanted}."
    else:
        text = f"Sorry, the {title} is out of stock" + (f" in {wanted}" if wanted else "") + "."
    if opts:
        text += f" It is in stock in {opts}."
    elif wanted:
        text += " It is currently out of stock in every option."
    return text


def _kept_for_similar(base: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    """The earlier filters that the referenced product itself meets ("more like that one")."""
    kept: dict[str, Any] = {}
    price = ref.get("price")
    if isinstance(price, int | float):
        if base.get("max_price") is not None and price <= base["max_price"] + 1e-9:
            kept["max_price"] = base["max_price"]
        if base.get("min_price") is not None and price >= base["min_price"] - 1e-9:
            kept["min_price"] = base["min_price"]
    variant = {k: normalize_value(str(v)) for k, v in (ref.get("variant") or {}).items()}
    options = {
        k: v
        for k, v in (base.get("options") or {}).items()
        if set(normalize_value(str(v)).split()) <= set(variant.get(k, "").split())
    }
    if options:
        kept["options"] = options
    return kept


def _without(args: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k != key}


def _option_text(name: str, value: str) -> str:
    """'size 10' for sizes (a bare number reads badly), the value alone otherwise."""
    return f"{name.replace('_', ' ')} {value}" if name != "color" else value


def _rank(items: list[dict[str, Any]], query: str, *, cheap: bool) -> list[dict[str, Any]]:
    """Search hits re-ordered: in stock first, then more of the shopper's words in the title
    (or the lowest price, for "cheap"); search order breaks ties."""
    words = {w for w in norm_words(query) if len(w) > 2}

    def key(pair: tuple[int, dict[str, Any]]) -> tuple[Any, ...]:
        pos, item = pair
        if cheap:
            return (not item.get("in_stock"), item.get("price") or 0.0, pos)
        hits = len(words & set(norm_words(item.get("title") or "")))
        return (not item.get("in_stock"), -hits, pos)

    return [item for _, item in sorted(enumerate(items), key=key)]


def _last_recs(history: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """The products of the latest recommendation shown to the shopper, in order."""
    for m in reversed(history):
        if isinstance(m, ToolMessage) and isinstance(m.artifact, dict):
            recs = m.artifact.get("recommendations")
            if m.artifact.get("tool") == "recommend" and recs:
                return [r for r in recs if isinstance(r, dict) and r.get("product_id")]
        if isinstance(m, AIMessage):
            for c in m.tool_calls:
                if c["name"] == "recommend" and c["args"].get("items"):
                    return [
                        {"product_id": i["product_id"]}
                        for i in c["args"]["items"]
                        if isinstance(i, dict) and i.get("product_id")
                    ]
    return []


def _similar_query(rec: dict[str, Any], brands: dict[str, str]) -> str:
    """Search words for "more like this one": its title without the brand name."""
    title = str(rec.get("title") or "")
    brand = str(rec.get("brand") or "")
    if brand and title.lower().startswith(brand.lower()):
        title = title[len(brand) :]
    return " ".join(title.split()) or str(rec.get("category") or "")


def _shown_attr(key: str, value: Any) -> bool:
    """Attributes worth telling a shopper: plain values, not internal codes."""
    if isinstance(value, dict | list) or value is None:
        return False
    return fold(key).replace(" ", "") not in {"sku", "upc", "ean", "gtin", "mpn", "barcode", "id"}


def _details_text(info: dict[str, Any]) -> str:
    """Product details from structured fields only (never the free-text description, which is
    untrusted catalog data)."""
    variants = info.get("variants") or []
    parts = [f"{info['title']}"]
    if info.get("brand"):
        parts[0] += f" by {info['brand']}"
    parts[0] += f" ({info.get('category')})"
    if info.get("rating") is not None:
        parts.append(f"rated {info['rating']:.1f}")
    attrs = info.get("attributes") or {}
    facts = []
    for k, v in [(k, v) for k, v in attrs.items() if _shown_attr(k, v)][:8]:
        label = k.replace("_", " ")
        if v is True:
            facts.append(label)
        elif v is False:
            facts.append(f"not {label}")
        else:
            facts.append(f"{label}: {v}")
    if facts:
        parts.append(", ".join(facts))
    in_stock: dict[str, list[str]] = {}
    for v in variants:
        if v.get("in_stock"):
            for name, value in (v.get("options") or {}).items():
                if value not in in_stock.setdefault(name, []):
                    in_stock[name].append(str(value))
    if in_stock:
        parts.append(
            "in stock in " + "; ".join(f"{k} {', '.join(vs[:12])}" for k, vs in in_stock.items())
        )
    elif any(v.get("in_stock") for v in variants):
        parts.append("in stock")
    elif variants:
        parts.append("currently out of stock")
    return ". ".join(parts) + "."


def make_planner(vocab: Vocabulary | Callable[[], Vocabulary]) -> OfflinePlanner:
    """The offline planner for a catalog vocabulary, or for a callable returning the current
    one (so a running process follows new catalog versions)."""
    return OfflinePlanner(vocab=vocab)
