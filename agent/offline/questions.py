"""Questions about products: about one ("is it waterproof?", "how heavy is the second one?"),
about several ("which is warmer?", "best for allergies?"), comparisons, and size help.

Answers come from the product's attributes and text, with the evidence; yes/no questions get a
yes or a no first. Prices and stock are left to the store ({price:ID}, {stock:ID}, the cards).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from langchain_core.messages import AIMessage

from agent.offline.context import Ctx, call
from agent.offline.shopping import request
from agent.offline.talk import reply, say
from agent.reading import phrases as ph

_DIR = Path(__file__).resolve().parent
_PRICE_RE = re.compile(r"\bhow much\b|\bprice\b|\bcost\b|\bexpensive\b", re.I)
_STOCK_RE = re.compile(r"\bin stock\b|\bavailable\b|\bsold out\b|\bcome in\b|\bhave it in\b", re.I)
_SIZES_RE = re.compile(r"\bwhat (?:sizes|colou?rs)\b|\bwhich (?:sizes|colou?rs)\b", re.I)
_YES_NO_RE = re.compile(r"^\s*(?:is|are|does|do|can|will|has|have|would|could)\b", re.I)


@cache
def facets() -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Attribute words (attributes.yaml) and need keywords."""
    raw = yaml.safe_load((_DIR / "attributes.yaml").read_text(encoding="utf-8"))
    needs = {str(k): [str(x) for x in v] for k, v in raw["needs"].items()}
    return list(raw["facets"]), needs


def facet_for(text: str, keys: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The attribute key a question is about, among `keys`, and its facet entry."""
    words = set(ph.words_of(text))
    joined = " " + " ".join(ph.words_of(text)) + " "
    for entry in facets()[0]:
        said = [w for w in entry["words"] if (f" {w} " in joined if " " in w else w in words)]
        if not said:
            continue
        for pattern in entry["keys"]:
            found = [k for k in keys if pattern in k]
            if found:
                return found[0], entry
    direct = [k for k in keys if set(k.split("_")) <= words]
    return (direct[0], {"more": "high"}) if direct else None


_UNIT_SUFFIX = re.compile(r"_(?:g|kg|l|f|w|mm|in|gb|tb|lb|hours|days|people)$")


def label(key: str) -> str:
    """An attribute key as words, without its unit ("weight_g" → "weight")."""
    return _UNIT_SUFFIX.sub("", key).replace("_", " ")


def value_text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    unit = {"_g": " g", "_kg": " kg", "_l": " L", "_f": "°F", "_hours": " hours", "_w": " W"}
    for suffix, shown in unit.items():
        if key.endswith(suffix):
            return f"{value:g}{shown}" if isinstance(value, int | float) else f"{value}{shown}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def product_question(ctx: Ctx) -> AIMessage:
    """About one product: its stock in a size/colour, its price, an attribute, or details."""
    targets = ctx.targets()
    if not targets:
        return request(ctx) if ctx.reading.categories else reply(say("focus_missing"))
    pid = targets[0]
    options = dict(ctx.reading.options)
    if (options or _STOCK_RE.search(ctx.text)) and not ctx.last("check_inventory"):
        return call("check_inventory", {"product_ids": [pid], "options": options})
    inventory = ctx.last("check_inventory")
    if inventory is not None and inventory.items:
        return reply(_stock_answer(inventory.items[0], options))
    details = ctx.last("get_product")
    if details is None:
        return call("get_product", {"product_id": pid})
    if not details.items:
        return reply(say("not_found", pid=pid))
    info = details.items[0]
    if _PRICE_RE.search(ctx.text):
        return reply(f"The {info['title']} is {{price:{pid}}} ({{stock:{pid}}}).")
    if _SIZES_RE.search(ctx.text):
        return reply(_options_answer(info))
    return reply(_attribute_answer(ctx, info))


def _stock_answer(item: dict[str, Any], options: dict[str, str]) -> str:
    wanted = ", ".join(f"{k} {v}" for k, v in options.items())
    title = item.get("title") or "it"
    if item.get("available"):
        return f"Yes — the {title} is in stock" + (f" in {wanted}." if wanted else ".")
    avail = item.get("in_stock_options") or {}
    listed = "; ".join(f"{k} {', '.join(v)}" for k, v in avail.items() if v)
    if not wanted or not listed:
        return f"No — the {title} is out of stock right now."
    return f"No — the {title} isn't available in {wanted}. It is in stock in {listed}."


def _options_answer(info: dict[str, Any]) -> str:
    found: dict[str, list[str]] = {}
    for v in info.get("variants") or []:
        if v.get("in_stock"):
            for k, val in (v.get("options") or {}).items():
                found.setdefault(k, [])
                if val not in found[k]:
                    found[k].append(val)
    if not found:
        return f"The {info['title']} is out of stock in every option right now."
    listed = "; ".join(f"{k}: {', '.join(v)}" for k, v in found.items())
    return f"The {info['title']} is in stock in {listed}."


def _attribute_answer(ctx: Ctx, info: dict[str, Any]) -> str:
    attrs: dict[str, Any] = dict(info.get("attributes") or {})
    title = info["title"]
    found = facet_for(ctx.text, list(attrs))
    yes_no = bool(_YES_NO_RE.search(ctx.text))
    if found is not None:
        key, _ = found
        value = attrs[key]
        if isinstance(value, bool) and yes_no:
            verdict, verb = ("Yes", "is") if value else ("No", "is not")
            return f"{verdict} — the {title} {verb} {label(key)}."
        return f"The {title}: {label(key)} {value_text(key, value)}."
    text = f"{title} {info.get('description') or ''}".lower()
    asked = [
        w for w in ph.words_of(ctx.text) if len(w) > 4 and w not in ("which", "there", "about")
    ]
    hits = [w for w in asked if w in text]
    if yes_no and asked:
        verdict = "Yes" if hits else "No"
        detail = (
            f" its description mentions {', '.join(hits)}"
            if hits
            else " I see nothing about that in its details"
        )
        return f"{verdict} —{detail}. {_summary(info)}"
    return _summary(info)


def _summary(info: dict[str, Any]) -> str:
    attrs = info.get("attributes") or {}
    parts = [f"{label(k)} {value_text(k, v)}" for k, v in list(attrs.items())[:5]]
    first = str(info.get("description") or "").split(". ")[0].strip().rstrip(".")
    text = f"{info['title']}: {first}." if first else f"{info['title']}."
    text += f" Key facts: {'; '.join(parts)}." if parts else ""
    pid = info["id"]
    return f"{text} It's {{price:{pid}}} and {{stock:{pid}}}."


def comparative(ctx: Ctx) -> AIMessage:
    """ "Which is warmer?" over the cards on screen (or those named), from their attributes."""
    ids = ctx.targets() if len(ctx.targets()) >= 2 else [s.product_id for s in ctx.shown[:4]]
    if len(ids) < 2:
        return product_question(ctx)
    compared = ctx.last("compare_products")
    if compared is None:
        return call("compare_products", {"product_ids": ids[:4]})
    comp = compared.artifact.get("comparison") or {}
    rows = {r[0]: r[1:] for r in comp.get("rows") or []}
    titles = [str(c) for c in (comp.get("columns") or [])[1:]]
    pids = list(comp.get("product_ids") or [])
    if re.search(r"\bcheap|\bprice|\bexpensive|\bafford", ctx.text, re.I) and rows.get("price"):
        prices = [_number(p) for p in rows["price"]]
        best = min(range(len(prices)), key=lambda i: prices[i] if prices[i] is not None else 1e18)
        return reply(f"The {titles[best]} is the cheapest, at {{price:{pids[best]}}}.")
    found = facet_for(
        ctx.text, [k for k in rows if k not in ("price", "brand", "category", "stock")]
    )
    if found is None and re.search(r"\brat(?:ed|ing)\b|\bbest\b|\breview", ctx.text, re.I):
        found = ("rating", {"more": "high"})
    if found is None:
        return _by_need(ctx, titles, pids)
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


def _by_need(ctx: Ctx, titles: list[str], pids: list[str]) -> AIMessage:
    """ "Best for allergies": the product whose own text names the need."""
    needs = facets()[1]
    asked = [n for n in needs if n in ph.words_of(ctx.text) or f"{n}" in ctx.text.lower()]
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
    """Compare the products named (by position or id), or the cards on screen."""
    ids = ctx.targets()
    if len(ids) < 2 and not ctx.reading.unknown_names:
        ids = [s.product_id for s in ctx.shown[: 2 if ctx.action else 4]]
    others = [str(x) for x in ctx.action.get("others") or []]
    ids = list(dict.fromkeys([*ids, *others]))
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


def size_help(ctx: Ctx) -> AIMessage:
    """Ask the shopper's size (never invent it); with a size given, check it."""
    targets = ctx.targets()
    size = ctx.reading.options.get("size") or ctx.request.options.get("size")
    if targets and size and ctx.reading.options.get("size"):
        if not ctx.last("check_inventory"):
            return call("check_inventory", {"product_ids": targets[:1], "options": {"size": size}})
        return reply(_stock_answer(ctx.last("check_inventory").items[0], {"size": size}))  # type: ignore[union-attr]
    if not targets:
        category = (ctx.request.categories or ["this category"])[0].lower()
        return call(
            "ask_clarifying_question", {"question": say("size_ask_plain", category=category)}
        )
    details = ctx.last("get_product")
    if details is None:
        return call("get_product", {"product_id": targets[0]})
    info = details.items[0] if details.items else {"title": "product", "variants": []}
    sizes = [
        str((v.get("options") or {}).get("size"))
        for v in info.get("variants") or []
        if (v.get("options") or {}).get("size") and v.get("in_stock")
    ]
    listed = ", ".join(dict.fromkeys(sizes)) or "several sizes"
    return call(
        "ask_clarifying_question",
        {"question": say("size_ask", title=info["title"], sizes=f"sizes {listed}")},
    )
