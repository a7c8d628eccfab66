"""Which annotators' versions of a difference gold holds now (pure, no Qt).

Gold copies are found the way curation finds them: by the uid derived from the source
span, or else by an identical shape (layer, label, fragments).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from news_annotator.model import Span
from news_annotator.review.compare import Difference
from news_annotator.review.curation import gold_uid


@dataclass(frozen=True, slots=True)
class GoldVersion:
    """Gold's state for one difference: the accepted annotators, or other spans there."""

    accepted: tuple[int, ...] = ()
    other: int = 0  # gold spans overlapping the difference that match no version

    @property
    def empty(self) -> bool:
        return not self.accepted and not self.other


def _shape(span: Span) -> tuple:
    return span.layer, span.label, span.fragments


def gold_version(difference: Difference, gold_spans: Iterable[Span],
                 gold_id: int | None) -> GoldVersion:
    """What gold holds of `difference`: whose versions, and how many unrelated spans."""
    if gold_id is None:
        return GoldVersion()
    near = [s for s in gold_spans if s.layer == difference.layer
            and s.start < difference.end and difference.start < s.end]
    if not near:
        return GoldVersion()
    uids = {s.uid for s in near}
    shapes = {_shape(s) for s in near}
    matched: set[str] = set()
    accepted = []
    for who, spans in difference.versions:
        if not spans:
            continue
        if all(gold_uid(s.uid, gold_id) in uids or _shape(s) in shapes for s in spans):
            accepted.append(who)
            matched |= {gold_uid(s.uid, gold_id) for s in spans}
            matched |= {g.uid for g in near for s in spans if _shape(g) == _shape(s)}
    return GoldVersion(tuple(accepted), sum(1 for s in near if s.uid not in matched))


def letters(count: int) -> list[str]:
    """Column letters for compared annotators: A, B, C, …"""
    return [chr(ord("A") + i) for i in range(count)]


def default_pair(span_counts: dict[int, int], candidates: Sequence[int]) -> list[int]:
    """The two candidates with most spans on the document (ties: lower id first)."""
    ranked = sorted(candidates, key=lambda a: (-span_counts.get(a, 0), a))
    return ranked[:2]
