"""What every suggestion source proposes: spans and the relations between them.

Rules, the learned model and the gazetteer each return `Proposals` for one document; the
engine merges them (first source wins a place) and writes them as ordinary spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from news_annotator.model import Fragment
from news_annotator.ranges import ranges_by_layer


@dataclass(frozen=True, slots=True)
class ProposedSpan:
    layer: str
    label: str
    fragments: tuple[Fragment, ...]
    origin: str  # "gazetteer", "model" or "rules"

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    @property
    def key(self) -> tuple[str, str, tuple[Fragment, ...]]:
        return self.layer, self.label, self.fragments


@dataclass(frozen=True, slots=True)
class ProposedRelation:
    type: str
    source: int  # indices into Proposals.spans
    target: int


@dataclass
class Proposals:
    """The spans and relations proposed for one document."""

    spans: list[ProposedSpan] = field(default_factory=list)
    relations: list[ProposedRelation] = field(default_factory=list)
    _index: dict[tuple, int] = field(default_factory=dict, repr=False)
    _related: set[ProposedRelation] = field(default_factory=set, repr=False)

    def add(self, span: ProposedSpan) -> int:
        """The index of `span` (the one already proposed at that place, if any)."""
        found = self._index.get(span.key)
        if found is not None:
            return found
        self.spans.append(span)
        self._index[span.key] = len(self.spans) - 1
        return len(self.spans) - 1

    def relate(self, relation_type: str, source: int, target: int) -> None:
        relation = ProposedRelation(relation_type, source, target)
        if source != target and relation not in self._related:
            self._related.add(relation)
            self.relations.append(relation)

    def extend(self, other: Proposals, *, blocked: set[tuple[str, int, int]] | None = None
               ) -> None:
        """Add `other`'s spans and relations; a span of `other` overlapping one already
        here in the same layer (`blocked`: layer, start, end ranges) is left out with its
        relations."""
        taken = ranges_by_layer(blocked if blocked is not None else self.ranges())
        mapping: dict[int, int] = {}
        for index, span in enumerate(other.spans):
            if span.key in self._index:
                mapping[index] = self._index[span.key]
            else:
                ranges = taken.get(span.layer)
                if ranges is None or not ranges.overlaps(span.start, span.end):
                    mapping[index] = self.add(span)
        for relation in other.relations:
            if relation.source in mapping and relation.target in mapping:
                self.relate(relation.type, mapping[relation.source], mapping[relation.target])

    def shifted(self, offset: int) -> Proposals:
        """The same proposals `offset` characters further on (a piece's, in the whole)."""
        if not offset:
            return self
        moved = Proposals()
        for span in self.spans:
            moved.add(ProposedSpan(span.layer, span.label,
                                   tuple((s + offset, e + offset) for s, e in span.fragments),
                                   span.origin))
        for relation in self.relations:
            moved.relate(relation.type, relation.source, relation.target)
        return moved

    def ranges(self) -> set[tuple[str, int, int]]:
        return {(s.layer, s.start, s.end) for s in self.spans}
