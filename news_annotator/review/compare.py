"""Compare annotators on one document: where they agree and how they differ.

Within each layer, spans with the same label and fragments from every compared
annotator are one SAME difference. Every other span joins the spans it overlaps (across
annotators, transitively) in one group, which becomes one record:

- ONLY_IN: the spans present are identical, but some annotators have none there;
- LABEL: the spans have the same bounds but different labels;
- BOUNDARIES: the spans overlap with different bounds (`same_label` tells whether
  their labels agree).

A record holds each compared annotator's version (possibly empty), which is what the
review view shows side by side and what curation accepts.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from news_annotator.model import AnnotatorId, Span
from news_annotator.project import Project


class DifferenceKind(str, enum.Enum):
    SAME = "same"
    ONLY_IN = "only in"
    LABEL = "label differs"
    BOUNDARIES = "boundaries differ"


@dataclass(frozen=True, slots=True)
class Difference:
    """One place in a document and each compared annotator's version of it."""

    kind: DifferenceKind
    layer: str
    start: int
    end: int
    versions: tuple[tuple[AnnotatorId, tuple[Span, ...]], ...]
    same_label: bool = True

    def spans_of(self, annotator_id: int) -> tuple[Span, ...]:
        return next((spans for who, spans in self.versions if who == annotator_id), ())

    @property
    def annotators(self) -> tuple[AnnotatorId, ...]:
        """The annotators who have a span here."""
        return tuple(who for who, spans in self.versions if spans)

    @property
    def spans(self) -> tuple[Span, ...]:
        return tuple(span for _, spans in self.versions for span in spans)


def _overlap(a: Span, b: Span) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.fragments for s2, e2 in b.fragments)


def _groups(spans: list[Span]) -> list[list[Span]]:
    """Connected groups of overlapping spans (sorted by start; a sweep with union-find)."""
    spans = sorted(spans, key=lambda s: (s.start, s.end, s.id))
    parent = list(range(len(spans)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    active: list[int] = []
    for i, span in enumerate(spans):
        active = [j for j in active if spans[j].end > span.start]
        for j in active:
            if _overlap(spans[j], span):
                parent[root(i)] = root(j)
        active.append(i)
    grouped: dict[int, list[Span]] = {}
    for i, span in enumerate(spans):
        grouped.setdefault(root(i), []).append(span)
    return list(grouped.values())


def compare_spans(spans_by_annotator: Mapping[int, Sequence[Span]],
                  annotator_ids: Sequence[int]) -> list[Difference]:
    """Differences between the annotators' spans of one document, in text order."""
    order = [AnnotatorId(a) for a in annotator_ids]
    differences: list[Difference] = []
    layers = sorted({s.layer for a in order for s in spans_by_annotator.get(a, ())})
    for layer in layers:
        exact: dict[tuple, dict[AnnotatorId, Span]] = {}
        rest: list[Span] = []
        for who in order:
            for span in spans_by_annotator.get(who, ()):
                if span.layer != layer:
                    continue
                slot = exact.setdefault((span.label, span.fragments), {})
                if who in slot:
                    rest.append(span)  # a duplicate of the annotator's own span
                else:
                    slot[who] = span
        for (_, fragments), found in exact.items():
            if len(found) == len(order):
                differences.append(Difference(
                    DifferenceKind.SAME, layer, fragments[0][0], fragments[-1][1],
                    tuple((who, (found[who],)) for who in order)))
            else:
                rest.extend(found.values())
        for group in _groups(rest):
            differences.append(_classify(layer, group, order))
    differences.sort(key=lambda d: (d.start, d.end, d.layer, d.kind.value))
    return differences


def _classify(layer: str, group: list[Span], order: list[AnnotatorId]) -> Difference:
    versions = tuple((who, tuple(s for s in group if s.annotator_id == who)) for who in order)
    shapes = {s.fragments for s in group}
    labels = {s.label for s in group}
    if len(shapes) == 1 and len(labels) == 1:
        kind = DifferenceKind.ONLY_IN
    elif len(shapes) == 1:
        kind = DifferenceKind.LABEL
    else:
        kind = DifferenceKind.BOUNDARIES
    return Difference(kind, layer, min(s.start for s in group), max(s.end for s in group),
                      versions, same_label=len(labels) == 1)


def compare_document(project: Project, document_id: int, annotator_ids: Sequence[int], *,
                     layer: str | None = None) -> list[Difference]:
    """Differences between annotators on one document (optionally one layer)."""
    by_annotator: dict[int, list[Span]] = {a: [] for a in annotator_ids}
    for span in project.spans.for_document(document_id):
        if span.annotator_id in by_annotator and (layer is None or span.layer == layer):
            by_annotator[span.annotator_id].append(span)
    return compare_spans(by_annotator, annotator_ids)


def summarize(differences: Sequence[Difference]) -> dict[str, int]:
    """How many differences of each kind (for a review list's header)."""
    counts = {kind.value: 0 for kind in DifferenceKind}
    for difference in differences:
        counts[difference.kind.value] += 1
    return counts
