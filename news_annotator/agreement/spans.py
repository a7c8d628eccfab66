"""Span matching between two annotators: precision, recall and F1, exact and overlap.

A span here is a plain tuple `(label, start, end, fragments)` with `fragments` None for
an ordinary span, else its tuple of (start, end) parts.

- exact: same layer, label and fragments; matched one to one (a multiset intersection).
- overlap: same layer and label, sharing at least one character; a span counts as
  matched when it overlaps any span of the other side. Precision is the share of B's
  spans matched, recall the share of A's (A is the reference; the F1 is symmetric).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from news_annotator.ranges import Ranges

SpanTuple = tuple  # (label, start, end, fragments | None)


def parts(span: SpanTuple) -> tuple[tuple[int, int], ...]:
    return span[3] or ((span[1], span[2]),)


def matched_by_overlap(spans: Sequence[SpanTuple], others: Sequence[SpanTuple]) -> int:
    """How many of `spans` share a character with some span of `others`."""
    if not spans or not others:
        return 0
    ranges = Ranges(p for other in others for p in parts(other))
    return sum(1 for span in spans if any(ranges.overlaps(start, end)
                                          for start, end in parts(span)))


def by_label(spans: Iterable[SpanTuple]) -> dict[str, list[SpanTuple]]:
    grouped: dict[str, list[SpanTuple]] = {}
    for span in spans:
        grouped.setdefault(span[0], []).append(span)
    return grouped


@dataclass(slots=True)
class MatchCounts:
    """Counts behind P/R/F1 for one annotator pair and one label (or a whole layer)."""

    a_spans: int = 0
    b_spans: int = 0
    exact: int = 0
    overlap_a: int = 0  # A's spans overlapping some B span
    overlap_b: int = 0  # B's spans overlapping some A span

    def add(self, other: MatchCounts) -> None:
        self.a_spans += other.a_spans
        self.b_spans += other.b_spans
        self.exact += other.exact
        self.overlap_a += other.overlap_a
        self.overlap_b += other.overlap_b

    def scores(self) -> dict[str, dict[str, float | None]]:
        return {"exact": prf(self.exact, self.exact, self.a_spans, self.b_spans),
                "overlap": prf(self.overlap_a, self.overlap_b, self.a_spans, self.b_spans)}


def prf(matched_a: int, matched_b: int, a_total: int, b_total: int) -> dict[str, float | None]:
    """Precision (B against A), recall, F1; None where a denominator is zero."""
    precision = matched_b / b_total if b_total else None
    recall = matched_a / a_total if a_total else None
    if not a_total and not b_total:
        f1 = None  # neither marked anything: nothing to agree or disagree on
    elif not precision or not recall:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1}


@dataclass(slots=True)
class PairTally:
    """Per-label match counts of annotator A (reference) against B, over documents."""

    labels: dict[str, MatchCounts] = field(default_factory=dict)
    documents: int = 0

    def add(self, spans_a: Sequence[SpanTuple], spans_b: Sequence[SpanTuple]) -> MatchCounts:
        """Count one document of one layer; returns that document's totals."""
        self.documents += 1
        doc = MatchCounts(len(spans_a), len(spans_b))
        if not spans_a and not spans_b:
            return doc
        exact: Counter = Counter()
        set_a, set_b = set(spans_a), set(spans_b)
        unique = len(set_a) == len(spans_a) and len(set_b) == len(spans_b)
        if unique:
            exact.update(span[0] for span in set_a & set_b)
        else:  # a duplicated span: match as multisets
            for span, count in (Counter(spans_a) & Counter(spans_b)).items():
                exact[span[0]] += count
        group_a, group_b = by_label(spans_a), by_label(spans_b)
        for label in group_a.keys() | group_b.keys():
            mine, theirs = group_a.get(label, ()), group_b.get(label, ())
            counts = self.labels.get(label)
            if counts is None:
                counts = self.labels[label] = MatchCounts()
            if unique:  # a span with an exact twin overlaps it: test only the others
                twins = exact[label]
                hits_a = twins + matched_by_overlap([s for s in mine if s not in set_b], theirs)
                hits_b = twins + matched_by_overlap([s for s in theirs if s not in set_a], mine)
            else:
                hits_a, hits_b = matched_by_overlap(mine, theirs), matched_by_overlap(theirs, mine)
            one = MatchCounts(len(mine), len(theirs), exact[label], hits_a, hits_b)
            counts.add(one)
            doc.exact += one.exact
            doc.overlap_a += one.overlap_a
            doc.overlap_b += one.overlap_b
        return doc

    def total(self) -> MatchCounts:
        total = MatchCounts()
        for counts in self.labels.values():
            total.add(counts)
        return total
