"""Products a search offered because nothing matched are never shown as picks.

When a search finds nothing for a request, `search_products` returns the store's nearest
products, labelled as such ("No product in the store matches this request ... offer these
nearest alternatives"). A model that then recommends them, or an answer built from what the
turn gathered, would present "the nearest things we have" as a match for "pizza". Here any
pick that only such a result returned becomes a labelled alternative, and when nothing else is
left the answer says plainly that the store has no match: for any model, whatever it wrote.
"""

from __future__ import annotations

from langchain_core.messages import BaseMessage, ToolMessage

from tools.contracts import Alternative, Recommendation, Violation

NOT_A_MATCH = Violation(code="not_a_match", detail="the nearest the store has, not a match")


def offered_only(this_turn: list[BaseMessage]) -> set[str]:
    """Ids this turn's results returned only as nearest alternatives to a request with no match."""
    offered: set[str] = set()
    matched: set[str] = set()
    for m in this_turn:
        if not isinstance(m, ToolMessage) or not isinstance(m.artifact, dict):
            continue
        ids = {str(i) for i in m.artifact.get("ids") or []}
        if m.artifact.get("alternatives"):
            offered |= ids
        else:
            matched |= ids
    return offered - matched


def set_apart(
    picks: list[Recommendation], offered: set[str]
) -> tuple[list[Recommendation], list[Alternative]]:
    """The picks that stay picks, and those moved to alternatives as not a match."""
    kept = [p for p in picks if p.product_id not in offered]
    moved = [
        Alternative(**p.model_dump(exclude={"reason"}), violations=[NOT_A_MATCH])
        for p in picks
        if p.product_id in offered
    ]
    return kept, moved
