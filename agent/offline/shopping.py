"""Finding products: a new request or a refinement, "cheaper" / "others", "more like this",
vague requests and things the store does not sell.

The search runs with the shopper's request (the graph puts the stated budget, options and
brand into the arguments); the engine ranks what comes back by what was asked for, widens the
search once when too few meet a numeric want, and recommends. What does not fit is labelled by
the store's fit check, so the engine never has to explain a miss itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage

from agent.offline.context import ASKING, STEP_PURPOSE, Ctx, Result, call
from agent.offline.meaning import LEAN, meaning
from agent.offline.ranking import attributes_of, meets, rank, ruled_out, title_of, varied
from agent.offline.talk import reply, say
from agent.reading import phrases as ph
from agent.reading.reader import names_ruled_out
from catalog.normalize import normalize_value

_DIR = Path(__file__).resolve().parent
SEARCHES = ("search_products", "browse_by_price")
_CHEAPEST_RE = re.compile(r"\bcheapest\b|\blowest price\b|\bleast expensive\b", re.I)
_CHEAP_RE = re.compile(r"\b(?:cheap|inexpensive|affordable|budget[- ]friendly|low[- ]cost)\b", re.I)
_BEST_RE = re.compile(
    r"\bbest[- ]rated\b|\bhighest[- ]rated\b|\btop[- ]rated\b|\bmost popular\b", re.I
)


# "the cheapest one", "which is lightest": one of the cards on screen, when nothing new is asked
_ONE_OF_RE = re.compile(r"\b(?:\w{3,}est|most|least)\b", re.I)
_ASKING = frozenset({"whats", "which", "what", "one", "ones", "show", "tell"})


def search_words(ctx: Ctx) -> str:
    """What to search for: the need as the store keeps it (this message's words for a new
    thing, earlier words plus this refinement otherwise), with the category's name."""
    need = ctx.request.need or " ".join(ctx.reading.content)
    words = need.split()
    category = ctx.kinds[0].lower() if ctx.kinds else ""
    stems = {w.rstrip("s") for w in words} | set(words)
    if category and not set(ph.words_of(category)) & stems:
        words.append(category)
    return " ".join(dict.fromkeys(words)).strip()


def request(ctx: Ctx) -> AIMessage:
    """Search, then recommend the best of what fits."""
    searches = ctx.called(*SEARCHES)
    r = ctx.reading
    new_words = [w for w in r.content if not _ONE_OF_RE.fullmatch(w) and w not in _ASKING]
    said_more = new_words or r.categories or r.budget.found or r.options or r.brands
    if not searches and len(ctx.shown) >= 2 and not said_more and _ONE_OF_RE.search(ctx.text):
        from agent.offline.comparing import comparative

        return comparative(ctx)  # "what's the cheapest one?" with cards on screen: of those
    if not searches:
        return first_search(ctx)
    last = searches[-1]
    if last.artifact.get("unknown"):
        return _retry_without_unknown(ctx, last)
    items = [i for i in last.items if not ruled_out(i, ctx.request)]
    if last.items and not items and len(searches) == 1 and last.args.get("limit", 0) < 20:
        # every hit is what the shopper ruled out ("already owns a tent, what else for
        # camping?"): look further down the list once before saying nothing fits
        return call(last.name, {**last.args, "limit": 20})
    if not ctx.kinds and not last.args.get("category"):
        items = _near_enough(items)  # an open request: only what is close to it
        words = ctx.reading.content or ctx.request.need.split()
        gift = ph.any_of(ctx.reading.words, ph.cues()["gift"])  # an interest, not a kind
        near = gift or _near(items, words) or meaning(ctx.catalog, ctx.text).close
        if items and not near:
            return not_sold(ctx, items)
    if not items:
        return _nothing(ctx, last)
    if last.artifact.get("alternatives"):
        return _nothing(ctx, last)
    if last.name == "browse_by_price" and len(searches) == 1:
        # "the cheapest", "best rated": the browse order is the answer
        return recommend(ctx, items[: ctx.max_items])
    attrs = attributes_of(ctx.catalog, [i["id"] for i in items])
    ranked = rank(items, ctx.request, attrs)
    meeting = [i for i in ranked if meets(i, ctx.request, attrs)]
    wants = ctx.request.attributes
    if wants and len(meeting) < 2 and len(searches) == 1 and ctx.kinds:
        # too few meet "4-person" / "around 40 L" among the closest matches: look wider
        return call(
            "browse_by_price",
            {"category": ctx.kinds[0], "sort": "rating", "limit": 20},
        )
    if wants and len(searches) > 1:
        merged = {i["id"]: i for s in searches for i in s.items}
        attrs = attributes_of(ctx.catalog, list(merged))
        ranked = rank(list(merged.values()), ctx.request, attrs)
        meeting = [i for i in ranked if meets(i, ctx.request, attrs)]
    picks = meeting or ranked
    if not ctx.kinds and not ctx.reading.categories:
        picks = varied(picks, ctx.max_items)
    return recommend(ctx, picks[: ctx.max_items])


def recommend(ctx: Ctx, items: list[dict[str, Any]], message: str = "") -> AIMessage:
    """Recommend items through the variant the search found for each (reasons are rendered
    by the store from the rows and the request)."""
    chosen = [{"product_id": i["id"], "variant_id": i.get("variant_id")} for i in items]
    return call("recommend", {"items": chosen, "message": message})


def meant_category(ctx: Ctx) -> str | None:
    """The category the request means when no word names one (by meaning, agent/offline/
    meaning.py), or None when none is clearly nearest."""
    if ctx.kinds or not (ctx.reading.content or ctx.request.need):
        return None
    best = meaning(ctx.catalog, ctx.text).best
    # "he already has a headlamp": the message is near headlamps, which are ruled out
    if best and names_ruled_out(best, ctx.request.exclude_terms):
        return None
    return best


def first_search(ctx: Ctx) -> AIMessage:
    req = ctx.request
    if not (req.need or ctx.kinds or ctx.reading.content or req.relation or req.attributes):
        return vague(ctx)  # "a present for someone": nothing yet says what
    category = ctx.kinds[0] if len(ctx.kinds) == 1 else meant_category(ctx)
    plain = not req.attributes and not req.options and not req.brands
    cheap = _CHEAPEST_RE.search(ctx.text) or (plain and _CHEAP_RE.search(ctx.text))
    if category and (cheap or _BEST_RE.search(ctx.text)):
        sort = "price_asc" if cheap else "rating"
        return call("browse_by_price", {"category": category, "sort": sort, "limit": 10})
    args: dict[str, Any] = {"query": search_words(ctx) or ctx.text, "limit": 12}
    if category:
        args["category"] = category
    if req.attributes:
        args["limit"] = 20
    # new items only when asked ("cheaper", "others", "more like"); a refinement may show
    # the same product again in the new size
    args["exclude_shown"] = req.relation is not None
    return call("search_products", args)


def _retry_without_unknown(ctx: Ctx, last: Result) -> AIMessage:
    field = str(last.artifact["unknown"].get("field") or "")
    args = {k: v for k, v in last.args.items() if k != field and k != "options"}
    if last.name == "browse_by_price":
        args = {"query": search_words(ctx) or ctx.text, "limit": 12}
    return call("search_products", args)


def _nothing(ctx: Ctx, last: Result) -> AIMessage:
    """Nothing matched: alternatives when the shopper's constraints ruled things out, an
    honest "we don't sell that" naming what the store has for the need when it is not sold."""
    alternatives = last.items
    req = ctx.request
    constrained = (
        req.max_price is not None
        or req.min_price is not None
        or req.options
        or req.attributes
        or req.brands
        or req.relation is not None
        or ctx.kinds
    )
    if constrained and alternatives:
        return recommend(ctx, alternatives[: ctx.max_items])
    return not_sold(ctx, alternatives)


def not_sold(ctx: Ctx, nearest: list[dict[str, Any]]) -> AIMessage:
    thing = search_words(ctx) or "that"
    text = say("not_sold", thing=thing)
    options = _categories(nearest)
    if options:
        text += " " + say("not_sold_offer", options=_join(options))
    return reply(text)


def vague(ctx: Ctx) -> AIMessage:
    """One short question with concrete options from the catalog (nearest to what was said);
    a request whose meaning clearly points at one kind of product gets products instead."""
    if ctx.reading.content and not ctx.called(*SEARCHES) and meant_category(ctx):
        return request(ctx)
    looked = ctx.last(*SEARCHES)
    if looked is None:
        query = search_words(ctx) or ctx.text
        step = call("search_products", {"query": query, "limit": 24, "exclude_shown": False})
        # a search for examples to ask about, not for candidates (agent/prefetch.py)
        step.additional_kwargs[STEP_PURPOSE] = ASKING
        return step
    # the kinds nearest in meaning first ("music on the train": headphones, earbuds), then
    # the kinds the search found
    nearest = [n.lower() for n, sim in meaning(ctx.catalog, ctx.text).ranked if sim >= LEAN]
    options = nearest[:4] if len(nearest) >= 2 else []
    options = options or list(dict.fromkeys([*nearest, *_categories(looked.items)]))[:4]
    if len(options) < 2:  # too few near ones: a spread of the catalog's own categories
        spread = sorted(ctx.lex.vocab.categories.values())
        step = max(1, len(spread) // 4)
        options += [c.lower() for c in spread[::step] if c.lower() not in options]
        options = options[:4]
    key = "vague_need" if ctx.reading.content else "vague"
    return call("ask_clarifying_question", {"question": say(key, options=_join(options, "or"))})


def more_like(ctx: Ctx) -> AIMessage:
    """Products like the referenced one: its kind, never the same product."""
    targets = ctx.targets() or [s.product_id for s in ctx.shown[:1]]
    if not targets:
        return request(ctx)
    ref = ctx.request.shown_item(targets[0])
    looked = ctx.last(*SEARCHES)
    if looked is None:
        # a card shown, else the product the shopper asked about (its row, not its id)
        known = (ref.title, ref.category, ref.brand) if ref else title_of(ctx.catalog, targets[0])
        if known is None:
            return reply(say("not_found"))
        title, category, brand = known[0], known[1], known[2] or ""
        query = " ".join(w for w in title.split() if w.lower() not in brand.lower().split())
        args: dict[str, Any] = {"query": query, "limit": 8, "exclude_shown": True}
        if category:
            args["category"] = category
        return call("search_products", args)
    items = [i for i in looked.items if i["id"] not in targets]
    if not items:
        return reply(say("more_like_none", title=ref.title if ref else "that one"))
    return recommend(ctx, items[: ctx.max_items])


def _near(items: list[dict[str, Any]], words: list[str]) -> bool:
    """Whether an open request found its thing: a word of it in a hit's title or category, or
    a hit close in meaning. "A washing machine" is not near t-shirts however they rank."""
    wanted = {normalize_value(w) for w in words if len(w) > 2}
    if not wanted:
        return True
    for item in items[:6]:
        seen = {
            normalize_value(w) for w in ph.words_of(f"{item.get('title')} {item.get('category')}")
        }
        if wanted & seen:
            return True
    best = max((i.get("similarity") or 0.0 for i in items), default=0.0)
    return best >= 0.5


def _near_enough(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hits whose similarity is near the best one's (a weak tail is not "camping" gear)."""
    sims = [i.get("similarity") for i in items if isinstance(i.get("similarity"), int | float)]
    if not sims:
        return items
    floor = max(0.2, 0.8 * max(sims))
    return [i for i in items if (i.get("similarity") or 0.0) >= floor]


def _categories(items: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(str(i.get("category")).lower() for i in items if i.get("category")))


def _join(words: list[str], last: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def normalized(text: str) -> str:
    """A search phrase in the catalog's normalised words."""
    return " ".join(normalize_value(w) or w for w in text.split())
