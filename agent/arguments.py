"""The shopper's words outrank the model's arguments.

Before a data tool runs, its arguments are checked against the shopper's request: placeholder
values ("", 0, "unknown", "any", "none", "n/a") count as absent; a price bound the shopper never
stated is dropped, one that contradicts the stated budget is replaced by it, a missing one is
added; an option value other than the stated one is replaced; an excluded brand is dropped; a
search for what is already ruled out keeps the exclusions; an inventory check asks about the
stated options only. Every correction is returned in words, so the turn logs it and the bench
counts it.
"""

from __future__ import annotations

from typing import Any

from tools.request import ShopperRequest

PLACEHOLDERS = frozenset({"", "unknown", "any", "none", "n/a", "na", "null", "all", "*", "-", "?"})
SEARCH_TOOLS = frozenset({"search_products", "browse_by_price"})


def is_placeholder(value: Any) -> bool:
    """A value a small model writes for "nothing": "", "unknown", "any", 0 for a price."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in PLACEHOLDERS
    if isinstance(value, dict | list):
        return not value
    return False


def correct(
    name: str, args: dict[str, Any], req: ShopperRequest
) -> tuple[dict[str, Any], list[str]]:
    """Arguments made consistent with the request, and what was changed."""
    out = {k: v for k, v in args.items() if not is_placeholder(v)}
    notes = [f"{name}: dropped placeholder {k}={args[k]!r}" for k in args if k not in out]
    if isinstance(out.get("options"), dict):
        # "size": "null", "color": "any": a small model fills every option it was shown
        given = out["options"]
        kept = {k: v for k, v in given.items() if not is_placeholder(v)}
        notes += [
            f"{name}: dropped placeholder option {k}={given[k]!r}" for k in given if k not in kept
        ]
        if kept:
            out["options"] = kept
        else:
            out.pop("options")
    if name == "check_inventory":
        return _inventory_options(out, req, notes)
    if name not in SEARCH_TOOLS:
        return out, notes
    for key in ("min_price", "max_price"):
        value = out.get(key)
        if isinstance(value, int | float) and value <= 0:
            out.pop(key)
            notes.append(f"{name}: dropped {key}={value!r}")
    hi, lo = req.effective_max_price(), req.min_price
    if hi is not None and out.get("max_price") != hi:
        notes.append(f"{name}: max_price {out.get('max_price')!r} -> {hi!r} (stated)")
        out["max_price"] = hi
    if "min_price" in out and lo is None:
        notes.append(f"{name}: dropped min_price={out.pop('min_price')!r} (not stated)")
    elif lo is not None and out.get("min_price") != lo:
        notes.append(f"{name}: min_price {out.get('min_price')!r} -> {lo!r} (stated)")
        out["min_price"] = lo
    if req.in_stock and out.get("in_stock") is not True:
        out["in_stock"] = True  # only available products can be picks
        notes.append(f"{name}: in_stock -> True (in stock only)")
    # Both search tools take options: a browse without the shopper's size lists variants in
    # other sizes, and the model then picks from them.
    _stated_options(name, out, dict(out.get("options") or {}), req, notes)
    if name == "search_products":
        brand = out.get("brand")
        if isinstance(brand, str) and brand.lower() in {b.lower() for b in req.exclude_brands}:
            out.pop("brand")
            notes.append(f"{name}: dropped excluded brand {brand!r}")
        if req.brands and not out.get("brand") and len(req.brands) == 1:
            out["brand"] = req.brands[0]
            notes.append(f"{name}: brand -> {req.brands[0]!r} (stated)")
    category = out.get("category")
    if req.categories and isinstance(category, str):
        wanted = {c.lower() for c in req.categories}
        if category.lower() not in wanted and len(req.categories) == 1:
            notes.append(f"{name}: category {category!r} -> {req.categories[0]!r} (stated)")
            out["category"] = req.categories[0]
    return out, notes


def _inventory_options(
    out: dict[str, Any], req: ShopperRequest, notes: list[str]
) -> tuple[dict[str, Any], list[str]]:
    """An inventory check asks about the options the shopper stated, and only those: an option
    they never named ("in_stock": "true") is dropped, and the check then lists every variant's
    stock, which answers more, never less."""
    given = dict(out.get("options") or {})
    for key in given:
        if key not in req.options:
            notes.append(f"check_inventory: dropped option {key}={given[key]!r} (not stated)")
    kept = {k: v for k, v in given.items() if k in req.options}
    _stated_options("check_inventory", out, kept, req, notes)
    return out, notes


def _stated_options(
    name: str, out: dict[str, Any], options: dict[str, Any], req: ShopperRequest, notes: list[str]
) -> None:
    """`out["options"]`: `options` with every option the shopper stated set to its stated
    value (each change noted); absent when there is none."""
    for key, value in req.options.items():
        if str(options.get(key, "")).lower() != value.lower():
            notes.append(f"{name}: option {key} {options.get(key)!r} -> {value!r} (stated)")
            options[key] = value
    if options:
        out["options"] = options
    else:
        out.pop("options", None)
