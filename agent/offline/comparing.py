"""Questions about several products: "which is warmer?", "do any of these have a hood?",
"best for allergies?", and comparisons of products named by position, id or title. Answers
come from the attributes in the comparison the store renders, with the values as evidence."""

from __future__ import annotations

import re
from typing import Any

from langchain_core.messages import AIMessage

from agent.offline.context import Ctx, call
from agent.offline.questions import facet_for, facets, label, not_listed, value_text
from agent.offline.talk import reply, say
from agent.reading import phrases as ph

_FACTS = ("price", "brand", "category", "rating", "stock")
_YES_NO_RE = re.compile(r"^\s*(?:is|are|does|do|can|will|has|have|would|could)\b", re.I)


def _word(n: int) -> str:
    """Small counts in words (a count is no fact the allow-list should have to weigh)."""
    words = ["none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    return words[n] if 0 <= n < len(words) else str(n)


def _shown_ids(ctx: Ctx) -> list[str]:
    targets = ctx.targets()
    return targets if len(targets) >= 2 else [s.product_id for s in ctx.shown[:4]]


def _table(
    ctx: Ctx, ids: list[str]
) -> AIMessage | tuple[dict[str, list[str]], list[str], list[str]]:
    """The comparison of the cards (rows by attribute, titles, ids), or the call that makes it."""
    compared = ctx.last("compare_products")
    if compared is None:
        return call("compare_products", {"product_ids": ids[:4]})
    comp = compared.artifact.get("comparison") or {}
    rows = {r[0]: r[1:] for r in comp.get("rows") or []}
    titles = [str(c) for c in (comp.get("columns") or [])[1:]]
    return rows, titles, list(comp.get("product_ids") or [])


def about_all(ctx: Ctx) -> AIMessage:
    """ "Do any of these have a hood?": the question over every card on screen."""
    ids = _shown_ids(ctx)
    table = _table(ctx, ids)
    if isinstance(table, AIMessage):
        return table
    rows, titles, pids = table
    found = facet_for(ctx.text, [k for k in rows if k not in _FACTS])
    if found is None:
        return reply(not_listed(ctx) or say("compare_intro"))
    key = found[0]
    values = rows.get(key, [])
    flags = [str(v).lower() in ("true", "yes") for v in values]
    if all(str(v).lower() in ("true", "false", "yes", "no") for v in values):
        having = [
            f"the {t}{_position(ctx, p)}" for t, p, f in zip(titles, pids, flags, strict=False) if f
        ]
        if not having:
            return reply(f"No — none of these is {label(key)}.")
        count = (
            "All of them"
            if len(having) == len(titles)
            else f"{_word(len(having))} of the {_word(len(titles))}"
        )
        return reply(f"Yes — {count}: {', '.join(having)}.")
    listed = "; ".join(
        f"{t}{_position(ctx, p)}: {value_text(key, _number(v) if _number(v) is not None else v)}"
        for t, p, v in zip(titles, pids, values, strict=False)
    )
    return reply(f"{label(key).capitalize()} — {listed}.")


def comparative(ctx: Ctx) -> AIMessage:
    """ "Which is warmer?" over the cards on screen (or those named), from their attributes."""
    if ctx.reading.options and ctx.request.focus:
        from agent.offline.questions import product_question

        return product_question(ctx)  # "the warmest one in medium?": that one, in M
    ids = _shown_ids(ctx)
    if len(ids) < 2:
        from agent.offline.questions import product_question

        return product_question(ctx)
    table = _table(ctx, ids)
    if isinstance(table, AIMessage):
        return table
    rows, titles, pids = table
    if re.search(r"\bcheap|\bprice|\bexpensive|\bafford", ctx.text, re.I) and rows.get("price"):
        prices = [_number(p) for p in rows["price"]]
        best = min(range(len(prices)), key=lambda i: prices[i] if prices[i] is not None else 1e18)
        return reply(f"The {titles[best]} is the cheapest, at {{price:{pids[best]}}}.")
    found = facet_for(ctx.text, [k for k in rows if k not in _FACTS])
    if found is None and _asked_needs(ctx):
        return _by_need(ctx, titles, pids)  # "best for allergies": a need, not the rating
    if found is None and re.search(r"\brat(?:ed|ing)\b|\bbest\b|\breview", ctx.text, re.I):
        found = ("rating", {"more": "high"})
    if found is None:
        listed = not_listed(ctx)
        return reply(listed) if listed else _by_need(ctx, titles, pids)
    key, entry = found
    values = rows.get(key, [])
    best = _best(values, entry)
    if best is None:
        return reply(
            f"I can't tell from their details: {label(key)} is not listed for all of them."
        )
    others = [
        value_text(key, _number(v) if _number(v) is not None else v)
        for i, v in enumerate(values)
        if i != best and v != "-"
    ]
    mine = value_text(
        key, _number(values[best]) if _number(values[best]) is not None else values[best]
    )
    position = _position(ctx, pids[best])
    return reply(
        f"The {titles[best]}{position} {_superlative(ctx.text, key)}: {label(key)} {mine}, "
        f"against {', '.join(others)} for the others."
    )


def _superlative(question: str, key: str) -> str:
    """ "is the lightest" from "which is lighter?"; "comes out on top" otherwise."""
    for w in ph.words_of(question):
        if w.endswith("est") and len(w) > 5:
            return f"is the {w}"
        if w.endswith("er") and len(w) > 4 and w not in ("other", "either", "better", "rather"):
            stem = w[:-2]
            return f"is the {stem[:-1] + 'i' if stem.endswith('i') else stem}est"
    if "best" in question.lower() or "better" in question.lower():
        return "comes out best"
    return f"comes out on top for {label(key)}"


def _best(values: list[str], entry: dict[str, Any]) -> int | None:
    scale = [s.lower() for s in entry.get("scale") or []]
    scored: list[tuple[float, int]] = []
    for i, raw in enumerate(values):
        low = str(raw).strip().lower()
        if low in ("-", ""):
            continue
        if low in ("yes", "true"):
            num: float | None = 1.0
        elif low in ("no", "false"):
            num = 0.0
        elif low in scale:
            num = float(scale.index(low))
        else:
            num = _number(low)
        if num is not None:
            scored.append((num, i))
    if len(scored) < 2 or len({s for s, _ in scored}) < 2:
        return None
    pick = min(scored) if entry.get("more") == "low" and not scale else max(scored)
    if scale and entry.get("more") == "low" and not any(str(v).lower() in scale for v in values):
        pick = min(scored)
    return pick[1]


def _asked_needs(ctx: Ctx) -> list[str]:
    """The needs of attributes.yaml the message names ("allergies", "travel")."""
    return [n for n in facets()[1] if n in ph.words_of(ctx.text) or n in ctx.text.lower()]


def _by_need(ctx: Ctx, titles: list[str], pids: list[str]) -> AIMessage:
    """ "Best for allergies": the product whose own text names the need."""
    needs = facets()[1]
    asked = _asked_needs(ctx)
    if not asked:
        return reply(
            "They differ in a few ways; here they are side by side. Which matters most to "
            "you: price, weight or a particular feature?"
        )
    details = ctx.called("get_product")
    fetched = {d.items[0]["id"]: d.items[0] for d in details if d.items}
    missing = [pid for pid in pids if pid not in fetched]
    if missing and len(details) < 4:
        return call("get_product", {"product_id": missing[0]})
    words = needs[asked[0]]
    for pid, title in zip(pids, titles, strict=False):
        info = fetched.get(pid) or {}
        text = f"{title} {info.get('description') or ''} {info.get('attributes') or ''}".lower()
        hit = next((w for w in words if w in text), None)
        if hit:
            return reply(f'The {title}{_position(ctx, pid)} — its details mention "{hit}".')
    return reply(f"None of these mention anything about {asked[0]} in their details.")


def _position(ctx: Ctx, pid: str) -> str:
    item = ctx.request.shown_item(pid)
    return f" (#{item.position})" if item and item in ctx.shown else ""


def _number(text: str) -> float | None:
    m = re.search(r"-?\d+(?:\.\d+)?", str(text).replace(",", ""))
    return float(m.group(0)) if m else None


def compare(ctx: Ctx) -> AIMessage:
    """Compare the products named (by a card button, position, id or title), or the cards on
    screen."""
    others = [str(x) for x in ctx.action.get("others") or []]
    ids = list(dict.fromkeys([*ctx.targets(), *others]))
    if len(ids) < 2 and not ctx.reading.unknown_names:
        shown = [s.product_id for s in ctx.shown[:4]]
        ids = list(dict.fromkeys([*ids, *shown]))[: 2 if ctx.action else 4]
    if len(ids) == 1 and ctx.reading.unknown_names:
        # "the Block or the Nowhere X": show the one that exists, say the other does not
        if ctx.last("get_product") is None:
            return call("get_product", {"product_id": ids[0]})
        found = [{"product_id": ids[0]}]
        return call("recommend", {"items": found, "message": _missing_names(ctx).strip()})
    if len(ids) < 2:
        return reply(say("focus_missing"))
    compared = ctx.last("compare_products")
    if compared is None:
        return call("compare_products", {"product_ids": ids[:4]})
    comp = compared.artifact.get("comparison")
    if not comp:
        return reply(say("focus_missing"))
    return reply(_missing_names(ctx) + _compare_summary(ctx, comp))


def _missing_names(ctx: Ctx) -> str:
    names = ctx.reading.unknown_names
    if not names:
        return ""
    quoted = " or ".join(f'"{n}"' for n in names)
    return f"I couldn't find {quoted} in our catalog. "


def _compare_summary(ctx: Ctx, comp: dict[str, Any]) -> str:
    titles = [str(c) for c in comp["columns"][1:]]
    pids = list(comp["product_ids"])
    rows = {r[0]: r[1:] for r in comp["rows"]}
    ratings_text = rows.get("rating", ["-"] * len(titles))
    each = [
        f"the {t} is {{price:{pid}}}" + (f", rated {r}" if r != "-" else "")
        for t, pid, r in zip(titles, pids, ratings_text, strict=False)
    ]
    parts: list[str] = []
    prices = [_number(p) for p in rows.get("price", [])]
    if prices and all(p is not None for p in prices):
        i = min(range(len(prices)), key=lambda k: prices[k])  # type: ignore[arg-type,return-value]
        parts.append(f"the {titles[i]} is the cheaper pick ({{price:{pids[i]}}})")
    ratings = [_number(r) for r in rows.get("rating", [])]
    if ratings and all(r is not None for r in ratings) and len(set(ratings)) > 1:
        i = max(range(len(ratings)), key=lambda k: ratings[k])  # type: ignore[arg-type,return-value]
        parts.append(f"the {titles[i]} is rated higher ({ratings[i]:.1f})")
    diffs = [
        f"{label(k)}: " + " vs ".join(vals)
        for k, *vals in comp["rows"]
        if k not in ("price", "brand", "category", "rating", "stock") and len(set(vals)) > 1
    ][:3]
    text = say("compare_intro") + " " + "; ".join(each)[0].upper() + "; ".join(each)[1:] + "."
    if parts:
        joined = " and ".join(parts)
        text += f" {joined[0].upper()}{joined[1:]}."
    if diffs:
        text += " Where they differ — " + "; ".join(diffs) + "."
    return text
