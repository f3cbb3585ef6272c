"""Scenario validation: clear errors naming file, scenario id and field; the bundled suites."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.scenario import ScenarioError, load_scenarios, select


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_valid_file_and_shorthands(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
scenarios:
  - id: boots
    tags: [budget]
    turns:
      - user: boots under $150
        expect:
          recommends: {min: 1, max: 5}
          constraints: {max_price: 150, category: hiking boots, options: {size: 10}}
      - user: pizza?
        expect: {recommends: none, mentions: [[nah, nope]]}
""",
    )
    [s] = load_scenarios([path])
    assert s.catalog == "demo" and s.source == str(path)
    assert s.turns[0].expect.count_range == (1, 5)
    assert s.turns[0].expect.constraints.options == {"size": "10"}
    assert s.turns[1].expect.count_range == (0, 0)


@pytest.mark.parametrize(
    ("body", "field", "sid"),
    [
        ("- id: a\n  turns: []\n", "turns", "a"),
        (
            "- id: b\n  turns: [{user: hi, expect: {recommends: {min: 3, max: 1}}}]\n",
            "turns.0.expect.recommends",
            "b",
        ),
        (
            "- id: c\n  turns: [{user: hi, expect: {constraints: {max_prize: 3}}}]\n",
            "turns.0.expect.constraints.max_prize",
            "c",
        ),
        (
            "- id: d\n  turns: [{user: hi, expect: {asks_clarification: maybe}}]\n",
            "turns.0.expect.asks_clarification",
            "d",
        ),
        ("- id: e\n  turnz: [{user: hi}]\n", "turns", "e"),
        ("- id: 'bad id'\n  turns: [{user: hi}]\n", "id", "bad id"),
        ("- id: f\n  family: shopping\n  turns: [{user: hi}]\n", "family", "f"),
        (
            "- id: g\n  turns: [{user: hi, expect: {constraints: {attributes: {w: {}}}}}]\n",
            "turns.0.expect.constraints.attributes.w",
            "g",
        ),
        (
            "- id: h\n  turns: [{user: hi, expect: {answers_yes_no: {shown: 1}}}]\n",
            "turns.0.expect.answers_yes_no",
            "h",
        ),
        (
            "- id: i\n  turns: [{user: hi, expect: {alternative_codes: [too_pricey]}}]\n",
            "turns.0.expect.alternative_codes.0",
            "i",
        ),
        (
            "- id: j\n  turns: [{user: hi, expect: {about_shown: 0}}]\n",
            "turns.0.expect.about_shown",
            "j",
        ),
    ],
)
def test_errors_name_file_scenario_and_field(
    tmp_path: Path, body: str, field: str, sid: str
) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ScenarioError) as info:
        load_scenarios([path])
    err = info.value
    assert err.file == str(path) and err.scenario == sid and err.field == field
    assert str(path) in str(err) and repr(sid) in str(err) and field in str(err)


def test_yaml_syntax_and_duplicates(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="yaml"):
        load_scenarios([write(tmp_path, "- id: [unclosed\n")])
    a = write(tmp_path, "- id: x\n  turns: [{user: hi}]\n", "a.yaml")
    b = write(tmp_path, "- id: x\n  turns: [{user: yo}]\n", "b.yaml")
    with pytest.raises(ScenarioError, match="duplicate id"):
        load_scenarios([a, b])
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenarios([tmp_path / "missing.yaml"])


def test_bundled_suites_are_large_enough_and_valid() -> None:
    scenarios = load_scenarios()
    demo = [s for s in scenarios if s.catalog == "demo"]
    dummy = [s for s in scenarios if "dummyjson" in s.catalog]
    tau2 = [s for s in scenarios if "tau2" in s.catalog]
    assert len(scenarios) >= 150 and len(demo) >= 40 and len(dummy) >= 20 and len(tau2) >= 10
    assert all(s.family for s in scenarios), [s.id for s in scenarios if not s.family]
    families = {
        "budget", "refinement", "clarification", "comparison", "out-of-stock", "not-sold",
        "follow-up", "different", "off-topic", "injection", "catalog-injection", "safety",
    }  # fmt: skip
    assert families <= {t for s in demo for t in s.tags}
    assert 5 <= len(select(scenarios, ["smoke"])) <= 25
    assert all(s.turns[0].user for s in scenarios)
