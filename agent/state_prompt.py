"""The shopper's request as the model sees it: a compact note after the shopper's message.

The system prompt and tool schemas stay byte-identical across calls and turns (so prefix
caches reuse them); this note changes per turn, so it goes last, appended to the current
shopper message in the prompt only (the stored message stays as the shopper wrote it). It
lists the active constraints and a numbered "shown so far" list, so any model can resolve
"the second one", "cheaper", "not that brand".
"""

from __future__ import annotations

from tools.rendering import money, options_text
from tools.request import ShopperRequest

NOTE_OPEN = "<store_note>"
NOTE_CLOSE = "</store_note>"


def strip_note_tags(text: str) -> str:
    """A shopper cannot forge the store's note."""
    return text.replace(NOTE_OPEN, "").replace(NOTE_CLOSE, "")


def constraint_lines(req: ShopperRequest) -> list[str]:
    """The active constraints, one short line each."""
    lines: list[str] = []
    if req.need or req.categories:
        what = req.need or ""
        if req.categories:
            what += f" (category: {' or '.join(req.categories)})"
        elif req.kind:
            what += f" (the cards shown were {req.kind}; not a requirement)"
        lines.append(f"wants: {what.strip()}")
    lo, hi = req.min_price, req.max_price
    if lo is not None and hi is not None:
        lines.append(
            f"budget: {money(lo)} to {money(hi)}" + (" (about)" if req.approx_price else "")
        )
    elif hi is not None:
        lines.append(f"budget: at most {money(hi)}")
    elif lo is not None:
        lines.append(f"budget: at least {money(lo)}")
    if req.options:
        lines.append(f"options: {options_text(req.options)}")
    if req.attributes:
        lines.append("needs: " + ", ".join(a.label for a in req.attributes))
    if req.brands:
        lines.append(f"brand: {' or '.join(req.brands)}")
    if req.exclude_brands or req.exclude_terms:
        lines.append("not: " + ", ".join([*req.exclude_brands, *req.exclude_terms]))
    lines.append("in stock only" if req.in_stock else "out-of-stock items allowed")
    rel = req.relation
    if rel is not None:
        if rel.kind == "cheaper" and rel.price is not None:
            lines.append(f"this turn: cheaper than {rel.label} ({money(rel.price)}), new items")
        elif rel.kind == "similar":
            lines.append(f"this turn: similar to {rel.label}, not the same product")
        else:
            lines.append("this turn: different products from those shown")
    if req.changes:
        lines.append("changed now: " + "; ".join(req.changes))
    return lines


def shown_lines(req: ShopperRequest, limit: int = 6) -> list[str]:
    """The latest cards, numbered as the shopper saw them; the product in focus."""
    lines: list[str] = []
    for s in req.last_shown()[:limit]:
        variant = f" ({options_text(s.variant)})" if s.variant else ""
        lines.append(
            f"#{s.position} [{s.product_id}] {s.title}{variant} {money(s.price, s.currency)}"
        )
    earlier = [s.product_id for s in req.shown if s not in req.last_shown()]
    if earlier:
        lines.append("earlier: " + ", ".join(dict.fromkeys(earlier[-10:])))
    if req.focus:
        item = req.shown_item(req.focus)
        label = f"#{item.position} " if item and item in req.last_shown() else ""
        lines.append(f"in focus: {label}[{req.focus}]")
    return lines


def render_note(req: ShopperRequest, *, max_items: int, answer_length: str = "") -> str:
    """The whole note, between tags the model is told about."""
    parts = ["The shopper's request, as the store keeps it:"]
    parts += [f"- {line}" for line in constraint_lines(req)]
    shown = shown_lines(req)
    if shown:
        parts.append('Shown so far ("the second one" = #2):')
        parts += [f"  {line}" for line in shown]
    parts.append(
        f"Recommend at most {max_items}."
        + (f" Answer length: {answer_length}." if answer_length else "")
    )
    return f"{NOTE_OPEN}\n" + "\n".join(parts) + f"\n{NOTE_CLOSE}"
