"""Fixed sets of (start, end) ranges that answer "does anything here overlap start–end?"
in logarithmic time: the ranges sorted by start, with the furthest end reached so far.
Suggestions (what is already taken in a layer) and agreement (overlap matching) share it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable


class Ranges:
    """Half-open (start, end) ranges, fixed once made."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self.starts = [start for start, _ in ordered]
        self.reach: list[int] = []
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self.starts, end)  # the ranges starting before `end`
        return before > 0 and self.reach[before - 1] > start


def ranges_by_layer(taken: Iterable[tuple[str, int, int]]) -> dict[str, Ranges]:
    """(layer, start, end) triples as each layer's Ranges."""
    layers: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for layer, start, end in taken:
        layers[layer].append((start, end))
    return {layer: Ranges(ranges) for layer, ranges in layers.items()}
