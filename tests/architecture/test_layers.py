"""Dependencies run one way: catalog ← tools ← agent ← {ui, evals}; nothing imports ui.

Every module of the installed packages is parsed (not imported) and each of its imports,
including those inside functions, is checked against the layer order.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {"catalog": 0, "tools": 1, "agent": 2, "ui": 3, "evals": 3}
# What each package may import from the project (besides itself).
ALLOWED = {
    "catalog": set(),
    "tools": {"catalog"},
    "agent": {"catalog", "tools"},
    # the `shop` CLI is the composition root of `shop eval` too
    "ui": {"catalog", "tools", "agent", "evals"},
    "evals": {"catalog", "tools", "agent"},
}


def _project_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return [(line, top) for line, top in found if top in LAYERS]


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_imports_follow_the_layer_order(package: str) -> None:
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {top}"
        for path in _modules(package)
        for line, top in _project_imports(path)
        if top != package and top not in ALLOWED[package]
    ]
    assert not bad, "imports against catalog ← tools ← agent ← {ui, evals}:\n" + "\n".join(bad)


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from agent.graph import build_graph\n    import ui.cli\n")
    assert _project_imports(module) == [(2, "agent"), (3, "ui")]


def test_tools_need_no_agent_for_the_shared_contracts() -> None:
    from tools import contracts

    assert {"TurnResult", "Recommendation", "Comparison"} <= set(dir(contracts))
