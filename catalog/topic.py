"""What a request is about: the categories of its nearest products, whatever the filters.

A budget or stock filter can leave a request's own neighbourhood behind. "camping" around $60
ranks hoodies named "Campfire" and campfire-scented candles high once most tents cost more
than that: among what qualifies, they are simply the nearest. The request's unfiltered
nearest neighbours (fetched anyway to apply the filter) say what it is about: qualifying hits
from those categories rank first, and the result says which hits those are
(`SearchResult.on_topic`). The search still returns every qualifying product it ranks; the
agent's search tool shows only the on-topic ones, and when none qualifies it says so and
offers labelled alternatives (over budget, another size) instead of a hoodie for a camper.

Meaning alone can be fooled by a word the titles share ("Campfire" candles sit near
"camping"), so where the request's words match products too, the topic keeps only the
categories both the nearest meanings and the full-text matches name. A request whose
neighbours spread over many categories ("a gift") has no topic and is left alone. The
thresholds are shares of the neighbourhood, so they do not depend on catalog size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

# the unfiltered neighbours a topic is read from
TOPIC_NEIGHBOURS = 100
# a category holding fewer of them than this is noise, not part of the topic
MIN_SHARE = 0.05
# the topic's categories must hold this much of the neighbourhood, else there is no topic
MIN_COVER = 0.8
# and the largest of them this much: neighbours spread evenly over five or six categories
# ("a gift": chargers, laptops, cat toys, puzzles... none above a quarter) are no topic
MIN_LEAD = 0.3


def topic_codes(
    neighbours: Iterable[str], row: Mapping[str, int], category: np.ndarray
) -> frozenset[int]:
    """The category codes the nearest `neighbours` (best first) are about, or none."""
    codes = [int(category[row[pid]]) for pid in list(neighbours)[:TOPIC_NEIGHBOURS] if pid in row]
    if not codes:
        return frozenset()
    counts = Counter(codes)
    topic = {code for code, n in counts.items() if n / len(codes) >= MIN_SHARE}
    if sum(counts[code] for code in topic) / len(codes) < MIN_COVER:
        return frozenset()
    if max(counts.values()) / len(codes) < MIN_LEAD:
        return frozenset()
    return frozenset(topic)


def confirmed(
    topic: frozenset[int], matches: Iterable[str], row: Mapping[str, int], category: np.ndarray
) -> frozenset[int]:
    """`topic` narrowed to the categories the request's full-text `matches` also name (each
    with at least MIN_SHARE of them); the topic as it was when they name none of it."""
    codes = [int(category[row[pid]]) for pid in list(matches)[:TOPIC_NEIGHBOURS] if pid in row]
    counts = Counter(codes)
    named = {code for code, n in counts.items() if n / max(1, len(codes)) >= MIN_SHARE}
    return frozenset(topic & named) or topic


def about(
    ranked: list[str], topic: frozenset[int], row: Mapping[str, int], category: np.ndarray
) -> list[str]:
    """The products of `ranked` in the topic's categories, in order."""
    return [pid for pid in ranked if pid in row and int(category[row[pid]]) in topic]
