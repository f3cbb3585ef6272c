"""The scenario checker: every bundled scenario is satisfiable on its catalog, and a broken
scenario is reported with its file, id, turn and reason."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from evals.check import check_scenarios, main, render
from evals.cli import make_app
from evals.scenario import families, load_scenarios

BROKEN = """
- id: broken
  family: budget
  turns:
  - user: tents for five
    expect:
      recommends: {min: 1}
      constraints:
        category: tent
        attributes: {capacity_people: {equals: 5}}
        exclude_brands: [Nope]
        options: {color: Purple}
      policy: [[lifetime warranty on socks]]
      relevant: [OUT-99999]
  - user: tents
    expect:
      recommends: none
      constraints: {category: tent}
- id: cheaper-impossible
  family: more-like-this
  turns:
  - user: yoga mats under $25
    expect:
      constraints: {category: yoga mat, max_price: 25}
  - user: anything cheaper?
    expect:
      cheaper_than_shown: true
      recommends: {min: 1}
      constraints: {category: yoga mat, max_price: 20}
- id: no-family
  turns:
  - user: hi
"""


def test_demo_scenarios_are_satisfiable() -> None:
    report = check_scenarios([s for s in load_scenarios() if s.catalog == "demo"])
    assert report.checked >= 150
    assert report.ok, render(report)


def test_shared_catalog_scenarios_are_satisfiable(shared_dir: Path) -> None:
    scenarios = [s for s in load_scenarios() if s.catalog != "demo"]
    report = check_scenarios(scenarios)
    assert not report.missing_catalogs and report.checked == len(scenarios) >= 40
    assert report.ok, render(report)


def test_broken_scenarios_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    report = check_scenarios(load_scenarios([path]))
    text = render(report)
    for reason in (
        "'broken': turn 1: product OUT-99999 is not in the catalog",
        "no brand 'Nope'",
        "no color 'Purple'",
        "expects 1+ picks but 0 products fit",
        "no relevant product meets the constraints",
        "is not in policy.md",
        "'broken': turn 2: expects no picks but 50 products fit",
        "'cheaper-impossible': turn 2: nothing fitting is cheaper than",
        "'no-family': family: no family",
    ):
        assert reason in text, (reason, text)
    assert main([str(path)]) == 1


def test_check_command(tmp_path: Path) -> None:
    runner = CliRunner()
    good = runner.invoke(make_app(), ["eval", "--check", "--tag", "gift"])
    assert good.exit_code == 0 and "scenario(s): ok" in good.output
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    bad = runner.invoke(make_app(), ["eval", "--check", str(path)])
    assert bad.exit_code == 1 and "problem(s)" in bad.output
    path.write_text("- id: x\n  family: nope\n  turns: [{user: hi}]\n")
    assert runner.invoke(make_app(), ["eval", "--check", str(path)]).exit_code == 2


def test_every_family_is_used_and_described() -> None:
    scenarios = load_scenarios()
    used = {s.family for s in scenarios}
    assert used == set(families()), set(families()) ^ used
    for family in families():
        assert sum(s.family == family for s in scenarios) >= 3, family
