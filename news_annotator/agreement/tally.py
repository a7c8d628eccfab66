"""What the agreement report counts, per layer and per document-id range.

Why a module of its own: report.py fills these, parallel.py adds up those of several
ranges. Every field is an integer count (Counters, MatchCounts, UnitizingTally), so the
sum over ranges equals one pass over all documents exactly; floats come later.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from news_annotator.agreement.fast import LayerCodes, PairCounts, flush_units
from news_annotator.agreement.spans import MatchCounts, PairTally
from news_annotator.agreement.unitizing import UnitizingTally


class LayerTally:
    """Everything counted for one layer."""

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        self.tokens: Counter = Counter()
        self.pairs = {pair: PairTally() for pair in pairs}
        self.fast_pairs = {pair: PairCounts() for pair in pairs}
        self.unitizing: dict[str, UnitizingTally] = {}
        self.codes = LayerCodes()
        self.pending_units: dict[str, tuple[list, list]] = {}

    def finish(self) -> None:
        """Fold the fast path's counts into the PairTally and UnitizingTally ones."""
        flush_units(self.unitizing, self.pending_units)
        for pair, fast in self.fast_pairs.items():
            labels = self.pairs[pair].labels
            for label, counts in fast.match_counts().items():
                found = labels.get(label)
                if found is None:
                    found = labels[label] = MatchCounts()
                found.add(MatchCounts(*counts))
        self.fast_pairs = {pair: PairCounts() for pair in self.fast_pairs}


@dataclass(slots=True)
class Tallies:
    """What the documents of one id range add up to; ranges merge by adding."""

    layers: dict[str, LayerTally]
    compared: int = 0
    lengths: Counter = field(default_factory=Counter)  # of documents every coder annotated
    ranking: list[tuple[float, int, int]] = field(default_factory=list)  # by document id


def merge_tallies(into: Tallies, other: Tallies) -> None:
    """Add `other` (a later id range) to `into`. Counters merge with update(), which
    keeps zero counts as a single pass would; rankings concatenate in id order."""
    into.compared += other.compared
    into.lengths.update(other.lengths)
    into.ranking.extend(other.ranking)
    for name, layer in other.layers.items():
        _merge_layer(into.layers[name], layer)


def _merge_layer(into: LayerTally, other: LayerTally) -> None:
    into.tokens.update(other.tokens)
    for pair, tally in other.pairs.items():
        mine = into.pairs[pair]
        mine.documents += tally.documents
        for label, counts in tally.labels.items():
            mine.labels.setdefault(label, MatchCounts()).add(counts)
    for label, units in other.unitizing.items():
        found = into.unitizing.setdefault(label, UnitizingTally())
        found.observed += units.observed
        found.units.update(units.units)
        found.gaps.update(units.gaps)
        found.seen.update(units.seen)
