"""An interval index over spans: sorted starts + bisect, with long spans kept aside.

Queries answer "which spans touch this stretch of text" in O(log n + hits), which is
what painting the lines in view and hit-testing under the mouse need.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable

from news_annotator.model import Span

LONG_SPAN = 400  # code points; longer spans live in a short list scanned linearly


class SpanIndex:
    """Spans by their outer bounds; fragments are checked by the callers that care."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._spans: dict[int, Span] = {}
        self._starts: list[int] = []
        self._entries: list[tuple[int, int, int]] = []  # (start, end, id), sorted
        self._long: list[Span] = []
        self._max_short = 0
        self._order: list[Span] | None = None
        self.reset(spans)

    def reset(self, spans: Iterable[Span]) -> None:
        self._spans = {span.id: span for span in spans}
        short = [s for s in self._spans.values() if s.end - s.start <= LONG_SPAN]
        self._long = [s for s in self._spans.values() if s.end - s.start > LONG_SPAN]
        self._entries = sorted((s.start, s.end, s.id) for s in short)
        self._starts = [entry[0] for entry in self._entries]
        self._max_short = max((s.end - s.start for s in short), default=0)
        self._order = None

    def replace(self, spans: Iterable[Span]) -> list[Span]:
        """`reset` to these spans; returns the spans that came, went or changed."""
        before = self._spans
        self.reset(spans)
        gone = [span for span_id, span in before.items() if self._spans.get(span_id) != span]
        return gone + [span for span_id, span in self._spans.items()
                       if before.get(span_id) != span]

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._spans

    def get(self, span_id: int) -> Span | None:
        return self._spans.get(span_id)

    def spans(self) -> Iterable[Span]:
        return self._spans.values()

    def add(self, span: Span) -> None:
        """Insert a span, replacing any span with the same id."""
        if span.id in self._spans:
            self.remove(span.id)
        self._spans[span.id] = span
        length = span.end - span.start
        if length > LONG_SPAN:
            self._long.append(span)
        else:
            entry = (span.start, span.end, span.id)
            index = bisect_left(self._entries, entry)
            self._entries.insert(index, entry)
            self._starts.insert(index, span.start)
            self._max_short = max(self._max_short, length)
        self._order = None

    def remove(self, span_id: int) -> Span | None:
        """Drop a span by id; returns it, or None when it was not there."""
        span = self._spans.pop(span_id, None)
        if span is None:
            return None
        if span.end - span.start > LONG_SPAN:
            self._long = [s for s in self._long if s.id != span_id]
        else:
            index = bisect_left(self._entries, (span.start, span.end, span.id))
            del self._entries[index]
            del self._starts[index]
        self._order = None
        return span

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans whose outer bounds overlap [start, end)."""
        spans = self._spans
        low = bisect_left(self._starts, start - self._max_short)
        high = bisect_left(self._starts, end)
        found = [spans[sid] for _, span_end, sid in self._entries[low:high] if span_end > start]
        found.extend(s for s in self._long if s.start < end and s.end > start)
        return found

    def at(self, position: int) -> list[Span]:
        """Spans with a fragment covering code point `position`."""
        return [span for span in self.overlapping(position, position + 1)
                if any(a <= position < b for a, b in span.fragments)]

    def reading_order(self) -> list[Span]:
        """Every span sorted by start, longer first on ties (the order Tab walks)."""
        if self._order is None:
            self._order = sorted(self._spans.values(), key=lambda s: (s.start, -s.end, s.id))
        return self._order

    def position_in_order(self, span: Span) -> int:
        """Where `span` sits (or would sit) in reading_order()."""
        keys = [(s.start, -s.end, s.id) for s in self.reading_order()]
        return bisect_right(keys, (span.start, -span.end, span.id)) - 1


def step_through(order: list[Span], current: int | None, anchor: int, step: int
                 ) -> Span | None:
    """The span after (step > 0) or before `current` in `order`, wrapping round; with no
    current span in `order`, the first one starting at or after `anchor` (or the last
    one before it)."""
    if not order:
        return None
    index = next((i for i, span in enumerate(order) if span.id == current), None)
    if index is not None:
        return order[(index + (1 if step > 0 else -1)) % len(order)]
    if step > 0:
        return next((s for s in order if s.start >= anchor), order[0])
    return next((s for s in reversed(order) if s.start < anchor), order[-1])


def insort_span(spans: list[Span], span: Span) -> None:
    """Insert into a list kept in reading order."""
    insort(spans, span, key=lambda s: (s.start, -s.end, s.id))
