"""Check every scenario against its catalog before anything runs (`python -m evals.check`,
`shop eval --check`).

A scenario is only an honest instrument when what it asks for exists: every product id it
names is in the catalog; every category, brand, option (name and value) and attribute it
names occurs there; every turn that expects picks has at least that many products meeting all
of its constraints (and a turn that expects none has none); a relevant list and a turn's
constraints agree; "cheaper" always has something cheaper to show; every policy fact is in the
store's policy document (`policy.md` beside the catalog file); and the scenario names a family.
Products are read through the catalog layer's own readers, without ingesting anything.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from catalog.formats import detect_format
from catalog.ingest import to_row, validate
from catalog.normalize import fold, normalize_option_name, normalize_value
from evals.dialogue_graders import find_words
from evals.expect import ConstraintSpec, ProductRef
from evals.facts import (
    ProductFact,
    attribute_value,
    category_matches,
    fact_from_row,
    product_failures,
    product_level_failures,
    words_match,
)
from evals.runner import resolve_catalog_path
from evals.scenario import Scenario, ScenarioError, Turn, load_scenarios

POLICY_FILE = "policy.md"


@dataclass
class Problem:
    """One thing wrong with one scenario."""

    file: str
    scenario: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: scenario {self.scenario!r}: {self.where}: {self.message}"


@dataclass
class CheckReport:
    """Problems found, and catalogs whose file is absent (their scenarios were not checked)."""

    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    missing_catalogs: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class CatalogView:
    """A catalog file's products as ProductFacts, plus its vocabulary and policy text."""

    def __init__(self, path: Path) -> None:
        valid, _ = validate(path, detect_format(path))
        self.products = [fact_from_row(to_row(p, "check", "")) for _, p in valid]
        self.by_id = {p.id: p for p in self.products}
        self.brands = {normalize_value(p.brand) for p in self.products if p.brand}
        self.names: set[str] = set()
        self.values: dict[str, set[str]] = {}
        for p in self.products:
            self.names |= {normalize_option_name(k) for k in p.attributes}
            for v in p.variants:
                for k, val in v.options.items():
                    key = normalize_option_name(k)
                    self.names.add(key)
                    self.values.setdefault(key, set()).add(normalize_value(val))
        policy = path.parent / POLICY_FILE
        self.policy = fold(policy.read_text(encoding="utf-8")) if policy.exists() else None

    def fitting(self, c: ConstraintSpec) -> list[ProductFact]:
        # Product-level checks first: most products fail on category, before any variant.
        candidates = [p for p in self.products if not product_level_failures(p, c)]
        return [p for p in candidates if not product_failures(p, c)]


@lru_cache(maxsize=8)
def catalog_view(path: Path) -> CatalogView:
    """One parsed catalog per file (process-wide)."""
    return CatalogView(path)


def _vocabulary(view: CatalogView, c: ConstraintSpec) -> list[str]:
    """Words in `c` that the catalog does not have."""
    bad: list[str] = []
    for cat in [c.category] * bool(c.category) + c.categories:
        if not any(category_matches(str(cat), p) for p in view.products):
            bad.append(f"no product in category {cat!r}")
    for brand in [c.brand] * bool(c.brand) + c.exclude_brands:
        if not any(words_match(str(brand), b) for b in view.brands):
            bad.append(f"no brand {brand!r}")
    for name, value in c.options.items():
        key = normalize_option_name(name)
        if key not in view.names:
            bad.append(f"no option or attribute {name!r}")
        elif key in view.values and not any(words_match(value, have) for have in view.values[key]):
            bad.append(f"no {name} {value!r} (have {sorted(view.values[key])[:8]})")
    for name in c.attributes:
        if normalize_option_name(name) not in view.names:
            bad.append(f"no attribute {name!r}")
    return bad


def _check_ref(view: CatalogView, ref: ProductRef | None, key: str | None) -> list[str]:
    if ref is None or ref.product is None:
        return []
    product = view.by_id.get(ref.product)
    if product is None:
        return [f"product {ref.product} is not in the catalog"]
    if key and key != "price" and attribute_value(product, key) is None:
        options = {normalize_option_name(k) for v in product.variants for k in v.options}
        if normalize_option_name(key) not in options:
            return [f"{ref.product} has no {key!r}"]
    return []


def _anchor_price(view: CatalogView, turn: Turn) -> float | None:
    """The cheapest a slate of `turn` can be: the least price of anything fitting it."""
    e = turn.expect
    ids = [*(e.compares or []), *(e.relevant or [])]
    products = [view.by_id[i] for i in ids if i in view.by_id]
    if not products and e.constraints is not None:
        products = view.fitting(e.constraints)
    prices = [v.price for p in products for v in p.variants]
    return min(prices) if prices else None


def check_turn(view: CatalogView, turns: list[Turn], i: int) -> list[str]:
    """Problems with turn `i` of a scenario on catalog `view`."""
    e = turns[i].expect
    bad: list[str] = []
    for pid in [*(e.relevant or []), *(e.compares or []), *(e.not_products or [])]:
        if pid not in view.by_id:
            bad.append(f"product {pid} is not in the catalog")
    yes_no = e.answers_yes_no if not isinstance(e.answers_yes_no, bool) else None
    bad += _check_ref(view, yes_no, yes_no.attribute if yes_no else None)
    bad += _check_ref(view, e.states_attribute, getattr(e.states_attribute, "attribute", None))
    best = e.best_of_shown
    if (
        best
        and best.attribute != "price"
        and normalize_option_name(best.attribute) not in view.names
    ):
        bad.append(f"no attribute {e.best_of_shown.attribute!r}")
    for cat in e.suggests or []:
        if not any(category_matches(cat, p) for p in view.products):
            bad.append(f"suggests {cat!r}, which the store does not sell")
    for item in e.policy or []:
        options = [item] if isinstance(item, str) else item
        if view.policy is None:
            bad.append(f"policy fact {options[0]!r}, but the catalog has no {POLICY_FILE}")
        elif not any(find_words(view.policy, fold(o)) >= 0 for o in options):
            bad.append(f"policy fact {options} is not in {POLICY_FILE}")
    c = e.constraints
    if c is None:
        return bad
    bad += _vocabulary(view, c)
    fitting = view.fitting(c)
    rng = e.count_range
    if rng and rng[0] > len(fitting):
        bad.append(f"expects {rng[0]}+ picks but {len(fitting)} products fit the constraints")
    if rng == (0, 0) and fitting:
        ids = [p.id for p in fitting[:4]]
        bad.append(f"expects no picks but {len(fitting)} products fit (e.g. {ids})")
    if e.relevant and not any(p.id in set(e.relevant) for p in fitting):
        bad.append("no relevant product meets the constraints")
    if e.cheaper_than_shown and i > 0:
        anchor = _anchor_price(view, turns[i - 1])
        if anchor is not None and not any(p.price_min < anchor for p in fitting):
            bad.append(f"nothing fitting is cheaper than {anchor:.2f}, the cheapest shown before")
    return bad


def check_scenarios(scenarios: Iterable[Scenario], *, require_family: bool = True) -> CheckReport:
    """Check each scenario against its catalog; catalogs whose file is absent are counted."""
    report = CheckReport()
    for s in scenarios:
        path = resolve_catalog_path(s.catalog)
        if not path.exists():
            report.missing_catalogs[s.catalog] = report.missing_catalogs.get(s.catalog, 0) + 1
            continue
        report.checked += 1
        if require_family and not s.family:
            report.problems.append(Problem(s.source, s.id, "family", "no family"))
        view = catalog_view(path)
        for i in range(len(s.turns)):
            for message in check_turn(view, s.turns, i):
                report.problems.append(Problem(s.source, s.id, f"turn {i + 1}", message))
    return report


def render(report: CheckReport) -> str:
    """The report as text: one line per problem, then a summary."""
    lines = [str(p) for p in report.problems]
    for spec, n in report.missing_catalogs.items():
        lines.append(f"skipped {n} scenario(s): catalog {spec!r} not found")
    verdict = "ok" if report.ok else f"{len(report.problems)} problem(s)"
    lines.append(f"checked {report.checked} scenario(s): {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m evals.check [PATH ...]`: exit 1 when a scenario has a problem, 2 when one
    does not validate."""
    paths = [Path(a) for a in (sys.argv[1:] if argv is None else argv)]
    try:
        scenarios = load_scenarios(paths or None)
    except ScenarioError as exc:
        print(f"invalid scenario {exc}")
        return 2
    report = check_scenarios(scenarios)
    print(render(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
