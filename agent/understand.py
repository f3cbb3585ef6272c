"""Each turn, the shopper's request is updated from what they said (agent/reading) — the same
for every model — and, at the end of the turn, from what they were shown.

Changes are explicit: a stated budget replaces the old one, "forget the budget" removes it,
"any size" drops the size; a new kind of product starts a new need, keeping the budget cap and
what the shopper ruled out, and dropping only what cannot apply (a size the new category does
not have), each drop said in `changes` so the reply can tell the shopper. Nothing else is
dropped between turns.
"""

from __future__ import annotations

from dataclasses import replace

from agent.reading.lexicon import Lexicon
from agent.reading.reader import Reading, names_ruled_out
from catalog.normalize import normalize_value
from tools.contracts import Recommendation
from tools.request import CardAction, Relation, ShopperRequest, ShownItem


def update_request(prev: ShopperRequest, r: Reading, lex: Lexicon) -> ShopperRequest:
    """The request after this message (a new object; `prev` is unchanged)."""
    req = prev.model_copy(deep=True)
    req.turn += 1
    req.changes = []
    req.relation = None
    if r.reset:
        req = ShopperRequest(shown=req.shown, turn=req.turn, changes=["started over"])
    refs = _referenced(req, r)
    if r.ids:
        # a product named by id or title: its title's words (brand, category, features) are
        # no requirements; only the options asked about are
        r = replace(r, categories=[], brands=[], attributes=[], content=[])
    new_need = bool(r.categories) and set(r.categories) != set(req.categories) and not refs
    if new_need:
        _switch_need(req, r, lex)
    elif r.categories and not req.categories:
        req.categories = list(r.categories)
    _budget(req, r)
    _options(req, r)
    _brands(req, r)
    for want in r.attributes:
        req.attributes = [a for a in req.attributes if a.key != want.key] + [want]
    if r.in_stock is not None and r.in_stock != req.in_stock:
        req.in_stock = r.in_stock
        req.changes.append("in stock only" if r.in_stock else "out-of-stock items allowed")
    if r.ids:
        req.focus = r.ids[0]
    elif len(refs) == 1:
        req.focus = refs[0].product_id
    elif r.pronoun and req.focus is None and len(req.last_shown()) == 1:
        req.focus = req.last_shown()[0].product_id
    _relation(req, r, refs)
    _rule_out(req)
    _need(req, r, refs, new_need, lex)
    return req


def _rule_out(req: ShopperRequest) -> None:
    """What the shopper ruled out leaves what they want: "he already has a sleeping bag" after
    sleeping bags drops that category, the kind of the cards and those words of the need, so
    the next search looks for the rest ("what else for camping?") instead of finding only
    what is excluded."""
    if not req.exclude_terms:
        return
    req.categories = [c for c in req.categories if not names_ruled_out(c, req.exclude_terms)]
    if req.kind and names_ruled_out(req.kind, req.exclude_terms):
        req.kind = None
    req.need = without_terms(req.need, req.exclude_terms)


def _need(
    req: ShopperRequest, r: Reading, refs: list[ShownItem], new_need: bool, lex: Lexicon
) -> None:
    """The shopper's words for what they want: replaced by a new thing, extended by a
    refinement made only of qualities ("over-ear ones", "waterproof"), kept by questions about
    the cards on screen."""
    words = without_terms(" ".join(dict.fromkeys(r.content)), req.exclude_terms)
    if not words or (refs and r.question) or r.relation is not None:
        return
    qualities = lex.quality_words()
    refinement = all(w in qualities for w in r.content) and not r.categories
    if refinement and req.need:
        req.need = " ".join(dict.fromkeys([*req.need.split(), *words.split()][-8:]))
    elif not r.question or new_need or not req.need:
        req.need = words


def _referenced(req: ShopperRequest, r: Reading) -> list[ShownItem]:
    """The cards the message points at ("the second one", "the first two", "the last one")."""
    shown = req.last_shown()
    out: list[ShownItem] = []
    for n in r.ordinals:
        item = shown[-1] if n == -1 and shown else req.shown_at(n)
        if item is not None and item not in out:
            out.append(item)
    return out


def _switch_need(req: ShopperRequest, r: Reading, lex: Lexicon) -> None:
    before = ", ".join(req.categories) or req.need or "earlier request"
    had_need = bool(req.categories or req.need)
    req.categories = list(r.categories)
    req.kind = None
    req.focus = None
    if not had_need:
        return
    if not r.budget.found and (req.min_price is not None or req.max_price is not None):
        # a budget belongs to the thing it was stated for: a coat's cap is no laptop's
        req.changes.append(
            f"the {req.budget_words()} budget was for the {before}; say if it applies"
        )
        req.min_price = req.max_price = None
        req.approx_price = False
        req.budget_said = {}
    if req.exclude_terms and not r.exclude_terms:
        req.changes.append(f"no longer excluding {', '.join(req.exclude_terms)}")
        req.exclude_terms = []
    available = lex.options_of(req.categories)
    for name, value in list(req.options.items()):
        if name in r.options:
            continue
        if normalize_value(value) not in available.get(name, {}):
            req.changes.append(f"{name} {value} does not apply to {', '.join(req.categories)}")
            del req.options[name]
    keys = lex.numeric_of(req.categories) | lex.flags_of(req.categories)
    dropped = [a for a in req.attributes if a.key not in keys]
    req.attributes = [a for a in req.attributes if a.key in keys]
    req.changes += [f"{a.label} does not apply here" for a in dropped]
    if req.brands and not r.brands:
        req.changes.append(f"no longer limited to {' or '.join(req.brands)}")
        req.brands = []
    req.features = []


def _budget(req: ShopperRequest, r: Reading) -> None:
    if r.clear_budget and not r.budget.found:
        if req.min_price is not None or req.max_price is not None:
            req.changes.append("budget removed")
        req.min_price = req.max_price = None
        req.approx_price = False
        req.budget_said = {}
        return
    b = r.budget
    if not b.found:
        return
    if b.approx or (b.min_price is not None and b.max_price is not None):
        req.min_price, req.max_price = b.min_price, b.max_price
        req.budget_said = dict(b.said)
    elif b.max_price is not None:
        req.max_price = b.max_price
        # a new cap replaces a window around "about X"; a floor stated on its own stays
        if req.min_price is not None and (req.min_price > b.max_price or req.approx_price):
            req.min_price = None
        kept = {"min": req.budget_said["min"]} if req.min_price and "min" in req.budget_said else {}
        req.budget_said = {**kept, **b.said}
    elif b.min_price is not None:
        req.min_price = b.min_price
        if req.max_price is not None and req.max_price < b.min_price:
            req.max_price = None
        kept = {"max": req.budget_said["max"]} if req.max_price and "max" in req.budget_said else {}
        req.budget_said = {**kept, **b.said}
    req.approx_price = b.approx
    req.changes.append("budget " + req.budget_words())


def _options(req: ShopperRequest, r: Reading) -> None:
    for name in r.clear_options:
        if req.options.pop(name, None) is not None:
            req.changes.append(f"any {name}")
    for name, value in r.options.items():
        if req.options.get(name) != value:
            req.options[name] = value
            req.changes.append(f"{name} {value}")


def _brands(req: ShopperRequest, r: Reading) -> None:
    if r.clear_brand:
        req.brands, req.exclude_brands = [], []
        req.changes.append("any brand")
    if r.brands:
        req.brands = list(r.brands)
        req.exclude_brands = [b for b in req.exclude_brands if b not in r.brands]
    for b in r.exclude_brands:
        if b not in req.exclude_brands:
            req.exclude_brands.append(b)
            req.changes.append(f"not {b}")
        req.brands = [x for x in req.brands if x != b]
    for term in r.exclude_terms:
        if term not in req.exclude_terms:
            req.exclude_terms.append(term)
            req.changes.append(f"no {term}")


def _relation(req: ShopperRequest, r: Reading, refs: list[ShownItem]) -> None:
    if r.relation is None:
        return
    shown = req.last_shown()
    if not shown:
        return
    if refs:
        base = refs
    elif req.focus and req.shown_item(req.focus) and r.relation != "different":
        base = [req.shown_item(req.focus)]  # type: ignore[list-item]
    else:
        base = shown
    if len(base) == 1:
        label = f"#{base[0].position} shown" if base[0] in shown else "the one you asked about"
    else:
        label = "what I showed"
    price = min(s.price for s in base) if r.relation == "cheaper" else None
    ids = [s.product_id for s in base]
    req.relation = Relation(kind=r.relation, product_ids=ids, price=price, label=label)
    if r.relation == "similar" and len(base) == 1 and base[0].category and not r.categories:
        req.kind = base[0].category


def record_shown(
    req: ShopperRequest, recs: list[Recommendation], *, focus_single: bool = True
) -> ShopperRequest:
    """Add this turn's cards, in the order shown, to the request's shown list."""
    if not recs:
        return req
    out = req.model_copy(deep=True)
    out.shown = [s for s in out.shown if s.turn != out.turn]
    for i, rec in enumerate(recs, start=1):
        out.shown.append(
            ShownItem(
                turn=out.turn,
                position=i,
                product_id=rec.product_id,
                variant_id=rec.variant_id,
                title=rec.title,
                price=rec.price,
                currency=rec.currency,
                brand=rec.brand,
                category=rec.category,
                variant=dict(rec.variant),
            )
        )
    out.shown = out.shown[-40:]
    out.focus = recs[0].product_id if (focus_single and len(recs) == 1) else None
    kinds = {r.category for r in recs if r.category}
    if not out.categories and len(recs) >= 2:
        # what the shopper asked for turned out to be one kind of product: later turns
        # ("cheaper?", "in black") stay with it; a kind the shopper never named guides, it is
        # no requirement (a later, different need is not held to it)
        out.kind = kinds.pop() if len(kinds) == 1 else None
    return out


def apply_action(req: ShopperRequest, action: CardAction) -> ShopperRequest:
    """A card button: "more like this" relates the request to that card, "check my size" and
    "details" put it in focus, "compare" clears the focus (the engine compares the cards)."""
    out = req.model_copy(deep=True)
    item = out.shown_item(action.product_id)
    if action.kind == "more_like":
        label = f"#{item.position} shown" if item and item in out.last_shown() else "that one"
        out.relation = Relation(kind="similar", product_ids=[action.product_id], label=label)
        if item and item.category and not out.categories:
            out.kind = item.category
    out.focus = None if action.kind == "compare" else action.product_id
    return out


def without_terms(text: str, terms: list[str]) -> str:
    """`text` without the ruled-out phrases, singular or plural ("yoga" stays when only "yoga
    mat" is ruled out)."""
    out = f" {text} "
    for term in terms:
        t = normalize_value(term).removesuffix("s")
        for form in (f"{t}es", f"{t}s", t):
            out = out.replace(f" {form} ", " ")
    return " ".join(out.split())
