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
_PLURAL_RE = re.compile(r"\b(?:these|those|them|they|any|all|either|both|each)\b", re.I)
_YES_NO_RE = re.compile(r"^\s*(?:is|are|does|do|can|will|has|have|would|could)\b", re.I)


@cache
def facets() -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Attribute words (attributes.yaml) and need keywords."""
    raw = yaml.safe_load((_DIR / "attributes.yaml").read_text(encoding="utf-8"))
    needs = {str(k): [str(x) for x in v] for k, v in raw["needs"].items()}
    return list(raw["facets"]), needs


def facet_entries(text: str) -> list[dict[str, Any]]:
    """The facets (attributes.yaml) a question's words are about ("warmest" → warmth)."""
    words = set(ph.words_of(text))
    joined = " " + " ".join(ph.words_of(text)) + " "
    return [
        e
        for e in facets()[0]
        if any((f" {w} " in joined) if " " in w else (w in words) for w in e["words"])
    ]


def facet_for(text: str, keys: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The attribute key a question is about, among `keys`, and its facet entry."""
    for entry in facet_entries(text):
        for pattern in entry["keys"]:
            found = [k for k in keys if pattern in k]
            if found:
                return found[0], entry
    words = set(ph.words_of(text))
    direct = [k for k in keys if set(k.split("_")) <= words]
    return (direct[0], {"more": "high"}) if direct else None


def not_listed(ctx: Ctx, what: str = "them") -> str | None:
    """An honest answer when the question's facet is in no attribute of the products: what
    the details lack, and which categories do list it."""
    entries = facet_entries(ctx.text)
    if not entries:
        return None
    entry = entries[0]
    having = []
    for key, display in ctx.lex.vocab.categories.items():
        keys = ctx.lex.numeric_attrs.get(key, set()) | ctx.lex.flag_attrs.get(key, set())
        keys |= {k for k, _ in ctx.lex.text_values.get(key, {}).values()}
        if any(p in k for p in entry["keys"] for k in keys):
            having.append(display.lower())
    text = f"Their details don't say anything about {entry['words'][0]}"
    text = text.replace("Their", "Its") if what == "it" else text
    if having:
        text += f" — {', '.join(having[:3])} list it, if you'd like to look there"
    return text + "."


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


# "longest", "lightest", "most comfortable", "least noisy", "best for ...": one of several
_SUPERLATIVE_RE = re.compile(r"\b(?:\w{3,}est|most|least|best|worst)\b", re.I)


def product_question(ctx: Ctx) -> AIMessage:
    """About one product: its stock in a size/colour, its price, an attribute, or details."""
    targets = ctx.targets()
    if not targets and len(ctx.shown) >= 2 and _PLURAL_RE.search(ctx.text):
        from agent.offline.comparing import about_all  # (comparing builds on this module)

        return about_all(ctx)
    if not targets and len(ctx.shown) >= 2 and _SUPERLATIVE_RE.search(ctx.text):
        from agent.offline.comparing import comparative

        return comparative(ctx)  # "longest battery life?" with cards on screen: over them
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
        key, entry = found
        value = attrs[key]
        if isinstance(value, bool) and yes_no:
            verdict, verb = ("Yes", "is") if value else ("No", "is not")
            return f"{verdict} — the {title} {verb} {label(key)}."
        digits = re.findall(r"\d", str(value)) if isinstance(value, str) else []
        if yes_no and digits and entry.get("yes_from") is not None:
            # "is it waterproof?" of an "IPX7" rating: the rating's digit against the scale
            if int(digits[-1]) >= int(entry["yes_from"]):
                return f"Yes — the {title}'s {label(key)} is {value}."
            below = entry.get("below") or "below what that takes"
            return f"No — the {title}'s {label(key)} is {value}: {below}."
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


def size_help(ctx: Ctx) -> AIMessage:
    """Ask the shopper's size (never invent it); with a size given, check it."""
    targets = ctx.targets()
    size = ctx.reading.options.get("size") or ctx.request.options.get("size")
    if targets and size and ctx.reading.options.get("size"):
        if not ctx.last("check_inventory"):
            return call("check_inventory", {"product_ids": targets[:1], "options": {"size": size}})
        return reply(_stock_answer(ctx.last("check_inventory").items[0], {"size": size}))  # type: ignore[union-attr]
    if not targets:
        category = (ctx.kinds or ["this category"])[0].lower()
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
