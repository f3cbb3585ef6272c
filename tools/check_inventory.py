"""check_inventory: is a product available in given options, and which options are."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool, tool

from catalog.constraints import Constraints, UnknownValue, resolve, variant_fits
from catalog.service import Catalog
from tools.rendering import as_data, clean, load_products, money, options_text, stock_text


def inventory(
    catalog: Catalog, product_ids: list[str], options: dict[str, str] | None
) -> tuple[str, dict[str, Any]]:
    """Inventory text + artifact; never raises."""
    artifact: dict[str, Any] = {"tool": "check_inventory", "ids": [], "items": []}
    wanted = {k: str(v) for k, v in (options or {}).items() if v}
    try:
        rc = resolve(Constraints(options=wanted), catalog.searcher.vocabulary)
    except UnknownValue as exc:
        return (
            f"The store has no {exc.field_name} {exc.value!r}. "
            f"Valid values: {', '.join(exc.valid[:60])}."
        ), artifact
    except Exception as exc:  # noqa: BLE001
        return f"check_inventory failed: {type(exc).__name__}", artifact
    lines: list[str] = []
    try:
        with catalog.store.session() as session:
            products = load_products(session, [str(p) for p in product_ids[:8]])
            for pid in [str(p) for p in product_ids[:8]]:
                product = products.get(pid)
                if product is None:
                    lines.append(f"[{pid}] unknown product id")
                    continue
                fitting = [v for v in product.variants if variant_fits(v, rc)]
                in_stock = [v for v in fitting if v.in_stock]
                available: dict[str, list[str]] = {}
                for v in product.variants:
                    if v.in_stock:
                        for name, value in v.options.items():
                            if value not in available.setdefault(name, []):
                                available[name].append(value)
                best = min(in_stock or fitting, key=lambda v: v.price, default=None)
                item: dict[str, Any] = {
                    "id": pid,
                    "title": product.title,
                    "requested": wanted,
                    "available": bool(in_stock),
                    "variant_id": best.id if best else None,
                    "variant": dict(best.options) if best else {},
                    "price": float(best.price) if best else None,
                    "currency": best.currency if best else None,
                    "stock": best.stock if best else None,
                    "in_stock_options": available,
                }
                artifact["items"].append(item)
                artifact["ids"].append(pid)
                wanted_text = options_text(wanted) or "any option"
                if best is None:
                    status = f"not offered in {wanted_text}"
                else:
                    status = (
                        f"{wanted_text}: variant {best.id} ({clean(options_text(best.options))}) "
                        f"{money(float(best.price), best.currency)}, "
                        f"{stock_text(best.in_stock, best.stock)}"
                    )
                avail = "; ".join(f"{k}: {', '.join(vs)}" for k, vs in available.items())
                lines.append(
                    f"[{pid}] {clean(product.title, 100)} | {status} | in stock options: "
                    f"{clean(avail, 300) or 'none'}"
                )
    except Exception as exc:  # noqa: BLE001
        return f"check_inventory failed: {type(exc).__name__}", artifact
    return as_data("Inventory:", lines), artifact


def make_check_inventory(catalog: Catalog) -> BaseTool:
    """Bind check_inventory to a catalog."""

    @tool("check_inventory", response_format="content_and_artifact")
    def check_inventory(
        product_ids: list[str], options: dict[str, str] | None = None
    ) -> tuple[str, dict[str, Any]]:
        """Whether products are in stock in the shopper's options, and which options are.

        Args:
            product_ids: 1-8 ids from tool results.
            options: option name to value, as the shopper stated them.
        """
        return inventory(catalog, product_ids, options)

    return check_inventory
